/**
 * Seeded random hostile text for the fuzz tests: strings built from pieces that have broken code
 * generators before (quotes, backslashes, newlines, control characters, lone and paired
 * surrogates, Chinese, emoji with ZWJ sequences, combining marks, U+2028/2029, BOM, injection
 * attempts, very long text), names a child might give a variable, and a shrinker that cuts a
 * failing string down to a minimal one.
 */

/** A small seeded generator (mulberry32): the same seed always gives the same cases. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const char = (code: number) => String.fromCodePoint(code);

/** Pieces that are hard to quote, each as it would be typed or pasted. */
const FRAGMENTS = [
  '"',
  "'",
  '`',
  '"""',
  "'''",
  '\\',
  '\\\\',
  '\\n',
  '\\x41',
  '\\u0041',
  '\\U0001F600',
  '\\N{DASH}',
  '\\0',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\v',
  '\f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u00ad',
  '\u200b',
  '\u202e',
  '\ufffd',
  '\uffff',
  '\ufffe',
  '${x}',
  '`; throw 1; `',
  '*/',
  '/*',
  '//',
  '#',
  '"); import os; ("',
  "'); import os; ('",
  '</script>',
  '%s',
  '{0}',
  '$&',
  '$1',
  '$$',
  "$'",
  '$`',
  '$<x>',
  '.*+?^$()[]{}|',
  '\u0001block\u0002',
  'None',
  'null',
  'undefined',
  '中文',
  '你好，世界。',
  '😀',
  '👨‍👩‍👧',
  '🏳️‍🌈',
  '👍🏽',
  '1️⃣',
  '🇨🇳',
  'e\u0301',
  'n\u0303',
  'ﷺ',
  'ß',
  'İ',
];

/** Code point ranges to draw single characters from. */
const RANGES: [number, number][] = [
  [0x20, 0x7e], // printable ASCII
  [0x20, 0x7e],
  [0x00, 0x1f], // C0 controls, NUL included
  [0x7f, 0x9f], // DEL and C1 controls
  [0xa0, 0x2ff], // Latin-1 and Latin Extended
  [0x300, 0x36f], // combining marks
  [0x4e00, 0x9fff], // CJK
  [0x4e00, 0x9fff],
  [0x3000, 0x303f], // CJK punctuation
  [0x2000, 0x206f], // general punctuation: spaces, ZWJ, bidi controls, U+2028/2029
  [0x1f300, 0x1faff], // emoji (astral: a surrogate pair in UTF-16)
  [0x10000, 0x10ffff], // any astral code point
  [0xe000, 0xf8ff], // private use
  [0xfe00, 0xfe0f], // variation selectors
];

/** One piece of a random string. */
function piece(random: Random): string {
  const roll = random.next();
  if (roll < 0.35) return random.pick(FRAGMENTS);
  if (roll < 0.42) return char(random.int(0xd800, 0xdbff)); // lone high surrogate
  if (roll < 0.47) return char(random.int(0xdc00, 0xdfff)); // lone low surrogate
  if (roll < 0.55) return 'abcxyz ABC019_-'.slice(random.int(0, 14)).slice(0, random.int(1, 6));
  const [low, high] = random.pick(RANGES);
  return char(random.int(low, high));
}

/** A random hostile string: usually short, now and then empty or thousands of characters. */
export function hostileString(random: Random): string {
  const roll = random.next();
  if (roll < 0.03) return '';
  const long = roll > 0.995;
  const pieces = long ? random.int(300, 1500) : Math.floor(-Math.log(1 - random.next()) * 5) + 1;
  let text = '';
  for (let i = 0; i < pieces; i++) text += piece(random);
  return text;
}

/**
 * Names that a variable could clash with: keywords and builtins of Python and TypeScript, the
 * board's and the runtime's names, our helpers, the names Blockly gives helpers and loop
 * counters, and names that Blockly's renaming produces (`_E4_B8_AD` is 中, `my_1` is `1`).
 */
export const CLASHING_NAMES = [
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type _'.split(
    ' ',
  ),
  ...'abs all any bin bool bytearray bytes callable chr dict dir divmod enumerate eval exec filter float getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max min next object oct open ord pow print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple zip __name__ __file__ __import__ __builtins__ self cls'.split(
    ' ',
  ),
  ...'mpython umqtt simple machine Timer MQTTClient time utime math random sys gc network os micropython binascii json io struct ubinascii ujson'.split(
    ' ',
  ),
  ...'rgb oled wifi button_a button_b light sound sleep_ms Pin mqtt_client topic msg t on_message on_button_a on_button_b mqtt_text mqtt_bytes text_title_case math_is_prime'.split(
    ' ',
  ),
  ...'break case catch const debugger default delete do enum export extends function implements instanceof interface let new null package private protected public return static switch this throw typeof var void yield arguments eval undefined NaN Infinity declare namespace module require exports abstract readonly keyof infer never unknown any string number boolean symbol object of get satisfies'.split(
    ' ',
  ),
  ...'mqtt buttons sensors sleep message String Number Math Array Object JSON Promise Error RegExp Symbol globalThis self postMessage close console _runtime'.split(
    ' ',
  ),
  ...'count i j k x item list text textReplace textCount textToTitleCase mathRandomInt mathIsPrime colourRandom upRange downRange first_index last_index text_count'.split(
    ' ',
  ),
  ...'unnamed my_1 my_1a _2 print2 rgb2 msg2 on_message2 count2 i2 _E4_B8_AD _E4_B8_AD2 a_b a__b _a a_ my__'.split(
    ' ',
  ),
];

/** A random variable name: a clashing name, a variation of one, or a hostile string. */
export function hostileName(random: Random): string {
  const roll = random.next();
  const name = random.pick(CLASHING_NAMES);
  if (roll < 0.4) return name;
  if (roll < 0.5) return name + random.pick(['2', '3', '_', ' ', '_2', '22']);
  if (roll < 0.55) return random.pick([' ', '-', '.', '1', '中', '😀']) + name;
  if (roll < 0.6) return name.toUpperCase();
  if (roll < 0.7) return random.pick(['a b', 'a-b', 'a.b', 'a/b', '1', '1a', '中', '中文', '😀']);
  const text = hostileString(random).slice(0, 40);
  return text || name;
}

/**
 * Cuts `text` down while `fails` still says some candidate fails: first whole chunks of code
 * points are removed (halves, quarters, … single ones), then each remaining code point is tried
 * as a plain `a`. `fails` gets several candidates at once (so a caller can check them in one go)
 * and answers the index of one that fails, or -1. Stops after `budget` candidates.
 */
export async function shrink(
  text: string,
  fails: (candidates: string[]) => Promise<number>,
  budget = 400,
): Promise<string> {
  let points = Array.from(text); // lone surrogates stay single elements
  let spent = 0;
  const attempt = async (candidates: string[][]): Promise<boolean> => {
    const batch = candidates.slice(0, Math.max(0, budget - spent));
    spent += batch.length;
    if (!batch.length) return false;
    const found = await fails(batch.map((c) => c.join('')));
    if (found < 0) return false;
    points = batch[found];
    return true;
  };
  for (let size = Math.max(1, points.length >> 1); size >= 1 && spent < budget;) {
    const candidates: string[][] = [];
    for (let start = 0; start < points.length; start += size) {
      candidates.push([...points.slice(0, start), ...points.slice(start + size)]);
    }
    if (!(await attempt(candidates))) size >>= 1;
    else size = Math.min(size, Math.max(1, points.length >> 1));
  }
  for (let i = 0; i < points.length && spent < budget; i++) {
    if (points[i] === 'a') continue;
    await attempt([[...points.slice(0, i), 'a', ...points.slice(i + 1)]]);
  }
  return points.join('');
}

/** What a program must see for `text`: lone surrogates become U+FFFD, as they do in UTF-8. */
export function expectedText(text: string): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(new TextEncoder().encode(text));
}

/**
 * A string as a JavaScript literal with every non-ASCII character escaped, for reports; a long
 * one is cut after `max` characters and its length given.
 */
export function shown(text: string, max = 120): string {
  const literal = JSON.stringify(text.length > max ? text.slice(0, max) : text).replace(
    /[^\x20-\x7e]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  return text.length > max ? `${literal}… (${text.length} UTF-16 units)` : literal;
}
