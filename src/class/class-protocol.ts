/**
 * The classroom wall's two small WebSockets, keyed by `type`, and the checks of what arrives.
 *
 * `/board` (a studio page that runs a program on the studio's broker ↔ server):
 *   page → server  {type:'state', run, project, leds, oled}   at most STATE_PER_SECOND a second
 *   server → page  {type:'stop'}                              the teacher stopped every program
 * `run` is the secret the page put in its program's MQTT WebSocket address (`/mqtt?run=…`): the
 * server shows the state on the tile of the client connected with that secret, so a page can
 * paint only its own program's tile (src/server/class-wall.ts).
 *
 * `/classroom?token=…` (the teacher's page ↔ server):
 *   server → page  {type:'tiles', tiles:[…]}                  every tile that changed, batched
 *   page → server  {type:'send', clientIds, payloadText}      (= cmd/<clientId> to each)
 *                  {type:'stop'}                              stop every virtual board's Run
 */
import type { Rgb } from '../board/board-state.ts';

/** How often a studio page may send its board's state; later changes wait, the last one wins. */
export const STATE_PER_SECOND = 5;

/** The query parameter of the program's MQTT address that carries the run's secret. */
export const RUN_PARAMETER = 'run';

/** What a virtual board shows, as its tile mirrors it. */
export interface MirroredBoard {
  leds: readonly [Rgb, Rgb, Rgb];
  oled: readonly [string, string, string, string];
}

/** A studio page's state frame. */
export interface StateFrame extends MirroredBoard {
  type: 'state';
  run: string;
  project: string;
}

/** One message a device sent or got, as a tile shows it. */
export interface TileMessage {
  time: number;
  topic: string;
  /** The payload as text (cut to a few hundred characters). */
  text: string;
}

/** A device's tile. */
export interface Tile {
  clientId: string;
  online: boolean;
  /** Whether it connected over TCP (a real board) rather than WebSocket (a browser). */
  tcp: boolean;
  /** The child's project name, when its studio page said it. */
  project?: string;
  /** Its mirrored board, when a studio page (or its own `$iot/state/<id>` message) said it. */
  board?: MirroredBoard;
  /** The last messages it published, newest last. */
  out: TileMessage[];
  /** The last messages sent to it (`cmd/<id>` and direct deliveries), newest last. */
  in: TileMessage[];
}

/** Server → classroom page. */
export type ClassFrame = { type: 'tiles'; tiles: Tile[] };

/** Classroom page → server. */
export type ClassCommand =
  { type: 'send'; clientIds: string[]; payloadText: string } | { type: 'stop' };

/** The topic a real board's program may publish its own state on (JSON `{leds, oled}`). */
export const STATE_TOPIC_PREFIX = '$iot/state/';

/** How many messages in and out a tile keeps. */
export const TILE_MESSAGES = 3;

const isRgb = (value: unknown): value is Rgb =>
  Array.isArray(value) &&
  value.length === 3 &&
  value.every((n) => Number.isInteger(n) && n >= 0 && n <= 255);

/** `value` as a mirrored board, or null when it is not one. */
export function parseBoard(value: unknown): MirroredBoard | null {
  if (typeof value !== 'object' || value === null) return null;
  const { leds, oled } = value as Record<string, unknown>;
  if (!Array.isArray(leds) || leds.length !== 3 || !leds.every(isRgb)) return null;
  if (!Array.isArray(oled) || oled.length !== 4) return null;
  if (!oled.every((line) => typeof line === 'string' && line.length <= 64)) return null;
  return {
    leds: leds.map((led) => [...led]) as unknown as MirroredBoard['leds'],
    oled: [...oled] as unknown as MirroredBoard['oled'],
  };
}
