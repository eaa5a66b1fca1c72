/**
 * The teacher's classroom wall, server side: one tile per MQTT client of the broker, fed by the
 * broker's tap (who is online, the last messages in and out) and by the studio pages' state
 * frames on `/board`, sent to the teacher's page on `/classroom?token=…` at most every
 * FLUSH_MS. The wire format is src/class/class-protocol.ts.
 *
 * Only a client itself shows its own board: a studio page names its run's secret, which its
 * program's MQTT connection carried in its address (`/mqtt?run=…`), and the state goes to the
 * tile of the client connected with that secret; a real board may publish
 * `$iot/state/<its own ID>`, and no client may publish anywhere else under `$iot/`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Client } from 'aedes';
import { WebSocket, WebSocketServer } from 'ws';
import {
  RUN_PARAMETER,
  STATE_TOPIC_PREFIX,
  TILE_MESSAGES,
  parseBoard,
  type ClassCommand,
  type ClassFrame,
  type MirroredBoard,
  type Tile,
  type TileMessage,
} from '../class/class-protocol.ts';
import type { StudioBroker, TapMessage } from './broker.ts';
import { refuseUpgrade } from './upgrade-door.ts';

/** The studio pages' state channel and the teacher's page's channel. */
export const BOARD_PATH = '/board';
export const CLASSROOM_PATH = '/classroom';
/** The teacher's page, and where Vite builds it. */
export const CLASS_PAGE_PATH = '/class';
export const CLASS_PAGE_FILE = '/src/class/index.html';

/** Tiles that changed go to the teacher's pages at most this often. */
const FLUSH_MS = 100;
/** A page reading slower than this much buffered gets everything again once it has caught up. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** The longest text a tile keeps of a message. */
const TEXT_CHARS = 200;
/** The most client IDs one send names, and the largest message it sends. */
const MAX_TARGETS = 2000;
const MAX_PAYLOAD_CHARS = 64_000;

/** The one prefix under which clients may publish: their own state. */
const RESERVED_PREFIX = '$iot/';

/** The query parameter `name` of a request's URL, or null. */
function queryParameter(url: string | undefined, name: string): string | null {
  try {
    return new URL(url ?? '/', 'http://studio.invalid').searchParams.get(name);
  } catch {
    return null;
  }
}

/** Whether secret `given` is `expected` (in constant time). */
function sameSecret(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why client `clientId` may not publish on `topic`, or null when it may. */
export function reservedTopicProblem(topic: string, clientId: string): string | null {
  if (!topic.startsWith(RESERVED_PREFIX)) return null;
  if (topic === `${STATE_TOPIC_PREFIX}${clientId}`) return null;
  return `only client ${clientId === '' ? '(none)' : clientId} publishes on ${STATE_TOPIC_PREFIX}${clientId}, nothing else under ${RESERVED_PREFIX}`;
}

/** A tile's message for `message`. */
function tileMessage(message: TapMessage, topic = message.topic): TileMessage {
  return {
    time: message.time,
    topic,
    text: message.payload
      .subarray(0, TEXT_CHARS * 4)
      .toString('utf8')
      .slice(0, TEXT_CHARS),
  };
}

/** Keeps the last TILE_MESSAGES of `list`. */
function pushLast(list: TileMessage[], message: TileMessage): void {
  list.push(message);
  if (list.length > TILE_MESSAGES) list.splice(0, list.length - TILE_MESSAGES);
}

/** The classroom wall of one broker. */
export class ClassWall {
  /** The teacher's secret: new at each start, printed in the terminal only. */
  readonly token = randomBytes(18).toString('base64url');
  readonly #broker: StudioBroker;
  readonly #clients: Record<string, Client>;
  readonly #tiles = new Map<string, Tile>();
  /** Studio pages' last state by their run's secret, until their client connects. */
  readonly #states = new Map<string, { project: string; board: MirroredBoard }>();
  /** The client connected with each run's secret. */
  readonly #byRun = new Map<string, string>();
  readonly #boards = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  readonly #pages = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  readonly #dirty = new Set<string>();
  /** Pages that fell behind and get every tile once they catch up. */
  readonly #behind = new WeakSet<WebSocket>();
  readonly #timer: NodeJS.Timeout;
  readonly #unhook: () => void;

  constructor(broker: StudioBroker) {
    this.#broker = broker;
    this.#clients = (broker.aedes as unknown as { clients: Record<string, Client> }).clients;
    for (const id of broker.online()) this.#onConnect(id);
    const onMessage = (message: TapMessage) => this.#onMessage(message);
    const onConnect = (id: string) => this.#onConnect(id);
    const onDisconnect = (id: string) => this.#onDisconnect(id);
    broker.on('message', onMessage);
    broker.on('connect', onConnect);
    broker.on('disconnect', onDisconnect);
    const authorizePublish = broker.aedes.authorizePublish;
    broker.aedes.authorizePublish = (client, packet, done) => {
      const problem = client ? reservedTopicProblem(packet.topic, client.id) : null;
      if (problem) done(new Error(problem));
      else authorizePublish.call(broker.aedes, client, packet, done);
    };
    this.#unhook = () => {
      broker.off('message', onMessage);
      broker.off('connect', onConnect);
      broker.off('disconnect', onDisconnect);
    };
    this.#timer = setInterval(() => this.#flush(), FLUSH_MS);
    this.#timer.unref();
  }

  /** Whether `req` carries the teacher's token (`?token=…`). */
  admits(req: IncomingMessage): boolean {
    return sameSecret(queryParameter(req.url, 'token'), this.token);
  }

  /** Accepts an upgrade already let through the studio's door, for BOARD_PATH or CLASSROOM_PATH. */
  handleUpgrade(pathname: string, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (pathname === BOARD_PATH) {
      this.#boards.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {});
        ws.on('message', (data, isBinary) => {
          if (!isBinary) this.#onState(data.toString());
        });
      });
    } else if (!this.admits(req)) {
      refuseUpgrade(socket, { status: 403, text: 'The classroom wall needs the teacher’s link.' });
    } else {
      this.#pages.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => {});
        ws.on('message', (data, isBinary) => {
          if (!isBinary) this.#onCommand(data.toString());
        });
        this.#send(ws, [...this.#tiles.values()]);
      });
    }
  }

  #tile(clientId: string): Tile {
    let tile = this.#tiles.get(clientId);
    if (!tile) {
      tile = { clientId, online: false, tcp: false, in: [], out: [] };
      this.#tiles.set(clientId, tile);
    }
    this.#dirty.add(clientId);
    return tile;
  }

  #onConnect(clientId: string): void {
    const client = this.#clients[clientId];
    const tile = this.#tile(clientId);
    tile.online = true;
    tile.tcp = !client?.req;
    const run = queryParameter(client?.req?.url, RUN_PARAMETER);
    if (run !== null) this.#byRun.set(run, clientId);
    const state = run === null ? undefined : this.#states.get(run);
    if (state) {
      tile.project = state.project;
      tile.board = state.board;
    }
  }

  #onDisconnect(clientId: string): void {
    if (this.#clients[clientId] && !this.#clients[clientId].closed) return;
    this.#tile(clientId).online = false;
    for (const [run, id] of this.#byRun) {
      if (id === clientId) {
        this.#byRun.delete(run);
        this.#states.delete(run);
      }
    }
  }

  #onMessage(message: TapMessage): void {
    const { from, topic } = message;
    if (from !== null && topic === `${STATE_TOPIC_PREFIX}${from}`) {
      let board: MirroredBoard | null;
      try {
        board = parseBoard(JSON.parse(message.payload.toString('utf8')));
      } catch {
        board = null;
      }
      if (board) this.#tile(from).board = board;
      return;
    }
    if (message.direct) return; // counted as the cmd/<id> message it delivers
    if (from !== null) pushLast(this.#tile(from).out, tileMessage(message));
    if (topic.startsWith('cmd/') && topic.length > 4) {
      pushLast(this.#tile(topic.slice(4)).in, tileMessage(message));
    }
  }

  /** A studio page's state frame: shown on the tile of the client connected with its secret. */
  #onState(text: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const { type, run, project } = frame ?? {};
    const board = parseBoard(frame);
    if (type !== 'state' || typeof run !== 'string' || run.length < 16 || !board) return;
    const name = typeof project === 'string' ? project.slice(0, 100) : '';
    if (this.#states.size > 5000) this.#states.clear();
    this.#states.set(run, { project: name, board });
    const clientId = this.#byRun.get(run);
    const client = clientId === undefined ? undefined : this.#clients[clientId];
    if (!client || client.closed) return;
    // The ID may have been taken over by a connection of another run since.
    if (!sameSecret(queryParameter(client.req?.url, RUN_PARAMETER), run)) return;
    const tile = this.#tile(clientId!);
    tile.project = name;
    tile.board = board;
  }

  #onCommand(text: string): void {
    let command: ClassCommand;
    try {
      command = JSON.parse(text) as ClassCommand;
    } catch {
      return;
    }
    if (command?.type === 'stop') {
      const stop = JSON.stringify({ type: 'stop' });
      for (const ws of this.#boards.clients) if (ws.readyState === WebSocket.OPEN) ws.send(stop);
    } else if (command?.type === 'send') {
      const { clientIds, payloadText } = command;
      if (!Array.isArray(clientIds) || clientIds.length > MAX_TARGETS) return;
      if (typeof payloadText !== 'string' || payloadText.length > MAX_PAYLOAD_CHARS) return;
      for (const id of clientIds) {
        if (typeof id !== 'string' || id === '') continue;
        this.#broker.publish(`cmd/${id}`, payloadText).catch(() => {});
      }
    }
  }

  #send(ws: WebSocket, tiles: Tile[]): void {
    const frame: ClassFrame = { type: 'tiles', tiles };
    ws.send(JSON.stringify(frame));
  }

  #flush(): void {
    if (this.#dirty.size === 0 && this.#pages.clients.size === 0) return;
    const changed = [...this.#dirty].map((id) => this.#tiles.get(id)!);
    this.#dirty.clear();
    for (const ws of this.#pages.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.#behind.add(ws);
      } else if (this.#behind.has(ws)) {
        this.#behind.delete(ws);
        this.#send(ws, [...this.#tiles.values()]);
      } else if (changed.length > 0) {
        this.#send(ws, changed);
      }
    }
  }

  /** Stops listening to the broker and closes both channels. */
  close(): void {
    clearInterval(this.#timer);
    this.#unhook();
    for (const ws of [...this.#boards.clients, ...this.#pages.clients]) ws.terminate();
    this.#boards.close();
    this.#pages.close();
  }
}
