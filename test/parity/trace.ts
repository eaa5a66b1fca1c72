/**
 * The board effects both programs are compared on, and the comparison.
 *
 * A run becomes a list of `Effect`s: LED colours written, OLED lines shown, lines printed,
 * messages published, subscriptions, the MQTT CONNECT, errors, and a marker for each scripted
 * event where it was played. The markers cut a run into segments (start-up, then one per event);
 * segment by segment, each kind of effect must come in the same order with the same values.
 * Kinds are compared apart within a segment because the broker sees publishes on its own
 * clock, not in step with the LEDs.
 *
 * Numbers: the board's floats are single precision, and the two languages write numbers as text
 * differently (Python `3.0`, `0.30000001`, `1e+21`; JavaScript `3`, `0.30000000000000004`,
 * `1e+21`). So text is compared with every number in it read as a number, equal within a
 * relative 1e-5 (single precision keeps about 7 digits; a few operations lose some). That also
 * accepts `3.0` against `3`: a whole number shown with `.0` on the board and without in the
 * browser is a known difference of the text, not of the value (the runtime's `formatForPrint`
 * decides it so). Everything else in the text must be equal character for character.
 *
 * Errors: both must fail in the same segments (messages may differ). A handler's error is
 * reported and the program goes on, on the board (the scheduler, or the generated catch around a
 * message handler) and in the browser, so the segments after it are compared too; after the top
 * level failed the program has ended and the browser plays no more events.
 */
import type { BoardRun, TraceValue } from '../support/micropython-board.ts';
import type { BoardState, Rgb } from '../../src/board/board-state.ts';
import { PARTS } from '../../src/parts/index.ts';

export type Effect =
  | { type: 'leds'; leds: number[][] }
  | { type: 'oled'; lines: string[] }
  /** A board part's state (src/parts/), as its runtime piece shows it (`undefined`: idle). */
  | { type: 'part'; part: string; state: unknown }
  | { type: 'print'; text: string }
  | { type: 'publish'; topic: string; payload: Uint8Array }
  | { type: 'subscribe'; topic: string }
  | { type: 'connect'; clientId: string; username: string; password: string; keepalive: number }
  | { type: 'error'; message: string; block?: string | null }
  | { type: 'event'; event: string }
  /** The program's life: online, dropped, top level ended, ended (see micropython-board.ts). */
  | { type: 'life'; event: string };

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const text = (value: TraceValue): string =>
  value instanceof Uint8Array ? decoder.decode(value) : String(value);
const bytes = (value: TraceValue): Uint8Array =>
  value instanceof Uint8Array ? value : new TextEncoder().encode(String(value));

/** The OLED's line for a y position (lines are 16 pixels high). */
const lineOf = (y: TraceValue) => Math.floor(Number(y) / 16);

/** A run on the MicroPython stand-in board as effects. */
export function boardEffects(run: BoardRun): Effect[] {
  const effects: Effect[] = [];
  const lines = ['', '', '', ''];
  for (const { call, args } of run.trace) {
    switch (call) {
      case 'rgb.write':
        effects.push({ type: 'leds', leds: args[0] as number[][] });
        break;
      case 'oled.fill':
        lines.fill('');
        break;
      case 'oled.fill_rect':
        if (lines[lineOf(args[1])] !== undefined) lines[lineOf(args[1])] = '';
        break;
      case 'oled.DispChar':
        if (lines[lineOf(args[2])] !== undefined) lines[lineOf(args[2])] = text(args[0]);
        break;
      case 'oled.show':
        effects.push({ type: 'oled', lines: [...lines] });
        break;
      case 'print':
        effects.push({ type: 'print', text: text(args[0]) });
        break;
      case 'MQTTClient.publish':
        effects.push({ type: 'publish', topic: text(args[0]), payload: bytes(args[1]) });
        break;
      case 'MQTTClient.subscribe':
        effects.push({ type: 'subscribe', topic: text(args[0]) });
        break;
      case 'MQTTClient': {
        // umqtt sends a username (and then its password) only when the username is not empty;
        // the browser runtime sends an empty password as none.
        const username = text(args[3] ?? '');
        effects.push({
          type: 'connect',
          clientId: text(args[0]),
          username,
          password: username ? text(args[4] ?? '') : '',
          keepalive: Number(args[5]),
        });
        break;
      }
      case 'deliver':
      case 'undelivered':
      case 'tick':
      case 'wait':
      case 'broker restart':
        effects.push({ type: 'event', event: call });
        break;
      case 'caught':
      case 'failed':
        effects.push({ type: 'error', message: text(args[0]) });
        break;
      case 'MQTTClient.connect':
        effects.push({ type: 'life', event: 'online' });
        break;
      case 'dropped':
      case 'top level ended':
      case 'ended':
        effects.push({ type: 'life', event: call });
        break;
      case 'press':
        effects.push({ type: 'event', event: `press ${text(args[0])}` });
        break;
      default:
        for (const part of PARTS) effects.push(...patchEffects(part.boardCall?.(call, args) ?? {}));
    }
  }
  return effects;
}

/** A `board` patch the browser runtime posted, as effects: LEDs, screen, each part's state. */
export function patchEffects(patch: Partial<BoardState>): Effect[] {
  return Object.entries(patch).map(([key, value]): Effect => {
    if (key === 'leds') return { type: 'leds', leds: (value as readonly Rgb[]).map((l) => [...l]) };
    if (key === 'oled') return { type: 'oled', lines: [...(value as readonly string[])] };
    return { type: 'part', part: key, state: value };
  });
}

/** A number in text, as either language writes it. */
const NUMBER = /-?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+)/gi;
const TOLERANCE = 1e-5;

/** Whether two numbers are equal within the tolerance (see the module comment). */
export function closeEnough(a: number, b: number): boolean {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true;
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Whether two texts are equal, numbers in them within the tolerance. */
export function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  const split = (s: string) => ({ words: s.split(NUMBER), numbers: s.match(NUMBER) ?? [] });
  const x = split(a);
  const y = split(b);
  return (
    x.words.length === y.words.length &&
    x.words.every((word, i) => word === y.words[i]) &&
    x.numbers.every((n, i) => closeEnough(Number(n), Number(y.numbers[i])))
  );
}

function sameEffect(a: Effect, b: Effect): boolean {
  switch (a.type) {
    case 'print':
      return sameText(a.text, (b as typeof a).text);
    case 'oled':
      return a.lines.every((line, i) => sameText(line, (b as typeof a).lines[i]));
    case 'subscribe':
      return sameText(a.topic, (b as typeof a).topic);
    case 'publish': {
      const other = b as typeof a;
      return (
        sameText(a.topic, other.topic) &&
        sameText(decoder.decode(a.payload), decoder.decode(other.payload))
      );
    }
    default:
      return JSON.stringify(show(a)) === JSON.stringify(show(b));
  }
}

/** An effect as readable JSON (payload bytes as text when they are UTF-8). */
export function show(effect: Effect): unknown {
  if (effect.type !== 'publish') return effect;
  return { ...effect, payload: decoder.decode(effect.payload) };
}

const KINDS = ['connect', 'subscribe', 'publish', 'leds', 'oled', 'part', 'print'] as const;

/**
 * Splits effects at each event marker: start-up first, then one segment per event. A second
 * subscription to a topic the client already subscribed to is left out: mqtt.js does not send
 * it again (the broker's subscriptions are the same), umqtt does.
 */
function segments(effects: Effect[]): { event: string; effects: Effect[] }[] {
  const out = [{ event: 'start-up', effects: [] as Effect[] }];
  const subscribed = new Set<string>();
  for (const effect of effects) {
    if (effect.type === 'subscribe') {
      if (subscribed.has(effect.topic)) continue;
      subscribed.add(effect.topic);
    }
    if (effect.type === 'event') out.push({ event: effect.event, effects: [] });
    else out.at(-1)!.effects.push(effect);
  }
  return out;
}

/** How two runs compare: `difference` says how they differ, null when they did the same. */
export interface Comparison {
  difference: string | null;
}

/** Compares the board's effects with the browser's (see the module comment). */
export function compare(board: Effect[], browser: Effect[]): Comparison {
  const a = segments(board);
  const b = segments(browser);
  let failedBefore = false;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    // After the top level failed, the browser's harness plays no more events; the board marks them.
    if ((!x || !y) && failedBefore) return { difference: null };
    if (!x || !y) {
      return { difference: `the board played ${a.length - 1} events, the browser ${b.length - 1}` };
    }
    const where = i === 0 ? 'at start-up' : `at event ${i} (${x.event})`;
    if (x.event !== y.event) return { difference: `${where}: the browser had ${y.event}` };
    const xError = x.effects.find((e) => e.type === 'error');
    const yError = y.effects.find((e) => e.type === 'error');
    for (const kind of KINDS) {
      const xs = x.effects.filter((e) => e.type === kind);
      const ys = y.effects.filter((e) => e.type === kind);
      const n = xs.findIndex((e, j) => !ys[j] || !sameEffect(e, ys[j]));
      if (n !== -1 || xs.length !== ys.length) {
        return {
          difference:
            `${where}, ${kind}: board ${JSON.stringify(xs.map(show))}\n` +
            `                browser ${JSON.stringify(ys.map(show))}`,
        };
      }
    }
    if (!!xError !== !!yError) {
      const [who, error] = xError ? ['board', xError] : ['browser', yError!];
      return {
        difference: `${where}: only the ${who} failed: ${(error as { message: string }).message}`,
      };
    }
    // Both failed here: a handler's error is reported and both go on, so the rest is compared too.
    if (xError) failedBefore = true;
  }
  return { difference: null };
}
