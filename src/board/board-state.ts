/**
 * What the virtual board shows, as plain data. The board element only renders a `BoardState`
 * and reports inputs as `BoardInput`s; it knows nothing of Blockly, programs or MQTT.
 */

/** A colour as the program wrote it: whole numbers 0–255. */
export type Rgb = readonly [red: number, green: number, blue: number];

/** Everything the board displays. */
export interface BoardState {
  /** LED 1, 2 and 3 (the board's `rgb[0]`, `rgb[1]`, `rgb[2]`), as last written. */
  leds: readonly [Rgb, Rgb, Rgb];
  /** The OLED's four 16-pixel text lines, top to bottom ('' for a blank line). */
  oled: readonly [string, string, string, string];
  /** Whether the program is connected to its broker. */
  online: boolean;
  /** The light sensor's level, 0–4095 (set by the child on the page). */
  light: number;
  /** The sound sensor's level, 0–4095 (set by the child on the page). */
  sound: number;
}

/** The touch pads along the board's edge. */
export type TouchPad = 'P' | 'Y' | 'T' | 'H' | 'O' | 'N';

/** An input the child gives the board. */
export type BoardInput =
  | { kind: 'button'; button: 'a' | 'b' }
  | { kind: 'touch'; pad: TouchPad }
  | { kind: 'light'; level: number }
  | { kind: 'sound'; level: number };

const DARK: Rgb = [0, 0, 0];

/** The board before Run and after Stop: LEDs off, screen blank, offline. */
export function idleBoard(
  sensors: Pick<BoardState, 'light' | 'sound'> = { light: 2048, sound: 0 },
): BoardState {
  return { leds: [DARK, DARK, DARK], oled: ['', '', '', ''], online: false, ...sensors };
}

/** A colour level as the board takes it: cut to a whole number, kept within 0–255. */
export function toLevel(value: unknown): number {
  const n = Math.trunc(Number(value));
  // Like the board's rgb_level(): anything past 255, infinity too, is 255; NaN is 0.
  return Number.isNaN(n) ? 0 : Math.max(0, Math.min(255, n));
}
