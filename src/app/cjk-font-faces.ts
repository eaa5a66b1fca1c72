/// <reference types="vite/client" />
/**
 * Noto Sans SC (OFL, @fontsource/noto-sans-sc) as font faces, one for each of its unicode-range
 * slices, each narrowed to Chinese (`CJK_BLOCKS`): the family comes first in every font stack, so
 * any other character it covered (Latin letters, digits, emoji) would change how text looks where
 * the system font draws it well. The woff2 files go into the build, so the studio serves them
 * itself. Loaded only where the system has no Chinese font (`cjk-font.ts`).
 */
import ranges from '@fontsource/noto-sans-sc/unicode.json';

/** Each slice's file address, by its path under node_modules. */
const files = import.meta.glob<string>(
  '/node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-[0-9]*-400-normal.woff2',
  { query: '?url', import: 'default', eager: true, exhaustive: true },
);

/**
 * The code points drawn with the web font: CJK radicals, symbols and punctuation, kana, bopomofo,
 * the unified ideographs, compatibility ideographs and forms, fullwidth forms, and the
 * supplementary ideographic planes.
 */
export const CJK_BLOCKS: readonly (readonly [number, number])[] = [
  [0x2e80, 0x9fff],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0xff00, 0xffef],
  [0x20000, 0x3ffff],
];

/** `unicodeRange` (CSS `U+…` list) narrowed to `CJK_BLOCKS`; empty when nothing is left. */
export function chineseOnly(unicodeRange: string): string {
  const kept: string[] = [];
  for (const part of unicodeRange.split(',')) {
    const [first, last = first] = part.trim().replace(/^U\+/i, '').split('-');
    const from = parseInt(first, 16);
    const to = parseInt(last, 16);
    for (const [start, end] of CJK_BLOCKS) {
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (a <= b)
        kept.push(a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`);
    }
  }
  return kept.join(',');
}

/** The faces of `family`: regular weight (the browser makes bold from it), shown when loaded. */
export function chineseFaces(family: string): FontFace[] {
  return Object.entries(ranges as Record<string, string>).flatMap(([slice, sliceRange]) => {
    const number = /^\[(\d+)\]$/.exec(slice)?.[1];
    const url =
      number &&
      files[`/node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-${number}-400-normal.woff2`];
    const unicodeRange = chineseOnly(sliceRange);
    if (!url || !unicodeRange) return [];
    return [
      new FontFace(family, `url("${url}") format("woff2")`, {
        weight: '400',
        display: 'swap',
        unicodeRange,
      }),
    ];
  });
}
