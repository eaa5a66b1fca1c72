/**
 * The virtual board's own words (status, sensor labels, names read out for its controls) in
 * English and Simplified Chinese. The board's template never holds text of its own: it calls
 * `t()` while rendering, so a language switch shows.
 */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

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
  // Sentences the live region says when the board changes (see `announcements.ts`).
  ledsAll: 'LEDs {colour}',
  ledOne: 'LED {n} {colour}',
  colourOff: 'off',
  colourNamed: '{name} ({r}, {g}, {b})',
  colourNumbers: 'red {r}, green {g}, blue {b}',
  red: 'red',
  green: 'green',
  blue: 'blue',
  yellow: 'yellow',
  cyan: 'cyan',
  purple: 'purple',
  white: 'white',
  listSeparator: ', ',
  screenLine: 'screen line {n}: {text}',
  screenLineBlank: 'screen line {n} blank',
  screenCleared: 'screen cleared',
  sentenceSeparator: '; ',
  programEnded: 'program ended',
  programEndedBecause: 'program ended: {reason}',
} as const;

/** The name of a board string. */
export type BoardStringKey = keyof typeof en;

/** Simplified Chinese board strings: every key of `en` (a new key goes into both maps). */
export const zhHans: Record<BoardStringKey, string> = {
  board: '掌控板',
  // The silk-screen print on the real board, which reads "mPython" in every country.
  brand: 'mPython',
  online: '在线',
  offline: '离线',
  light: '光线',
  sound: '声音',
  buttonA: '按键A',
  buttonB: '按键B',
  touchPad: '触摸键 {pad}',
  screen: 'OLED 显示屏',
  ledOff: 'RGB 灯 {n}：关',
  ledColour: 'RGB 灯 {n}：红 {r}，绿 {g}，蓝 {b}',
  ledsAll: 'RGB 灯全部：{colour}',
  ledOne: 'RGB 灯 {n}：{colour}',
  colourOff: '关',
  colourNamed: '{name}（{r}, {g}, {b}）',
  colourNumbers: '红 {r}，绿 {g}，蓝 {b}',
  red: '红',
  green: '绿',
  blue: '蓝',
  yellow: '黄',
  cyan: '青',
  purple: '紫',
  white: '白',
  listSeparator: '，',
  screenLine: '屏幕第 {n} 行：{text}',
  screenLineBlank: '屏幕第 {n} 行空了',
  screenCleared: '屏幕清空了',
  sentenceSeparator: '；',
  programEnded: '程序结束了',
  programEndedBecause: '程序结束了：{reason}',
};

const maps: Record<Language, Record<BoardStringKey, string>> = { en, 'zh-hans': zhHans };

/** The board string `key` in the current language, each `{name}` replaced by `values[name]`. */
export const t = translator(maps);
