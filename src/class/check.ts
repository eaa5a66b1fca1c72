/**
 * The teacher's check of the class: "send `on`, expect the LEDs red within 2 s". Virtual boards
 * are judged on their mirrored LEDs, real boards (no mirrored state) on a reply within the window.
 * Plain functions, so the judging and the CSV are tested without a page.
 */
import type { Rgb } from '../board/board-state.ts';
import type { Tile } from './class-protocol.ts';

/** What a check expects of each board. */
export type Expectation = 'red' | 'green' | 'blue' | 'off' | 'reply';

/** A recorded check. */
export interface Check {
  payload: string;
  expect: Expectation;
  /** The window, in ms: 2000 unless the teacher chose another. */
  windowMs: number;
}

/** The default window of a check. */
export const DEFAULT_WINDOW_MS = 2000;

/** A board's result: passed, did not pass, or still within the window. */
export type CheckResult = 'pass' | 'fail' | 'waiting';

/** Whether one LED shows `colour`: that channel lit and at least twice each other one. */
function ledIs(led: Rgb, colour: Exclude<Expectation, 'reply'>): boolean {
  if (colour === 'off') return led.every((level) => level === 0);
  const index = { red: 0, green: 1, blue: 2 }[colour];
  const main = led[index];
  return main > 0 && led.every((level, i) => i === index || main >= 2 * level);
}

/**
 * Whether `tile` meets `check` now: a mirrored board by its three LEDs (a reply expectation by
 * any message it sent), a real board by a message it sent after `since` (ms, the tiles' clock).
 */
export function meets(tile: Tile, check: Check, since: number): boolean {
  if (tile.board && check.expect !== 'reply') {
    const colour = check.expect;
    return tile.board.leds.every((led) => ledIs(led, colour));
  }
  return tile.out.some((message) => message.time >= since);
}

/** A device's group: its client ID up to the last `-`, `_` or `/`, or without trailing digits. */
export function groupOf(clientId: string): string {
  const cut = Math.max(
    clientId.lastIndexOf('-'),
    clientId.lastIndexOf('_'),
    clientId.lastIndexOf('/'),
  );
  if (cut > 0) return clientId.slice(0, cut);
  const stem = clientId.replace(/\d+$/, '');
  return stem === '' ? clientId : stem;
}

/**
 * One CSV cell: quoted, quotes doubled, and text a spreadsheet would run as a formula (a client
 * ID is any text a child typed) starting with a `'`.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** CSV text of `rows` (the first is the header), lines ending in CRLF as spreadsheets expect. */
export function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
