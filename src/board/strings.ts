/**
 * The virtual board's own words (status, sensor labels, names read out for its controls). English
 * first: a Chinese map with the same keys comes later, which is why the board's template never
 * holds text of its own.
 */

/** English board strings. `{name}` marks a value filled in by `t`. */
export const en = {
  board: 'mPython board',
  brand: 'mPython',
  online: 'online',
  offline: 'offline',
  light: 'Light',
  sound: 'Sound',
  buttonA: 'Button A',
  buttonB: 'Button B',
  touchPad: 'Touch pad {pad}',
  screen: 'Screen',
  ledOff: 'LED {n}: off',
  ledColour: 'LED {n}: red {r}, green {g}, blue {b}',
} as const;

/** The name of a board string. */
export type BoardStringKey = keyof typeof en;

/** The board string `key`, with each `{name}` replaced by `values[name]`. */
export function t(key: BoardStringKey, values: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
