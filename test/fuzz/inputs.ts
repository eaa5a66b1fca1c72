/**
 * The inputs fuzz run, shared by `npm test` (inputs.test.ts: a fixed seed, a bounded count) and
 * the long run (long-run.ts): `strings` random hostile strings through every text field and
 * `names` random variable names, both languages, from one seed.
 */
import { Random, hostileName, hostileString } from './hostile-strings.ts';
import {
  TEXT_FIELDS,
  describeTextFailure,
  fuzzTextFields,
  type TextFuzzReport,
} from './text-fields.ts';
import {
  describeNameFailure,
  fuzzNames,
  nameGroups,
  type NameFuzzReport,
} from './variable-names.ts';

/** Failures listed in a summary (the first of each language is the shrunk one). */
const SHOWN = 8;

/** Variables per names program. */
const NAMES_PER_PROGRAM = 25;

/** Strings that broke a generator once (replacement patterns, emoji torn by a reverse). */
const KNOWN_STRINGS = ['$&', '$$', "$'", '$`', '$1', '😀', '👨‍👩‍👧', 'e\u0301', '\ud800', ''];

/**
 * Names that broke a generator once: a lone surrogate (Blockly's `encodeURI` threw), the Worker's
 * `require` and `exports`, names too long for a MicroPython identifier, `_` (the button
 * handlers' parameter), and names that Blockly turns into the same identifier.
 */
const KNOWN_NAMES = [
  '\ud800',
  'a\udc00b',
  'require',
  'exports',
  '中'.repeat(80),
  '😀'.repeat(60),
  '中'.repeat(80) + '2',
  '_',
  'a b',
  'a_b',
  '1',
  'my_1',
  '中',
  '_E4_B8_AD',
];

/** The strings and names for `seed`: the known ones first, then random ones up to the counts. */
export function casesFor(seed: number, strings: number, names: number) {
  const random = new Random(seed);
  const upTo = <T>(count: number, known: T[], make: () => T) => [
    ...known.slice(0, count),
    ...Array.from({ length: Math.max(0, count - known.length) }, make),
  ];
  return {
    strings: upTo(strings, KNOWN_STRINGS, () => hostileString(random)),
    names: upTo(names, KNOWN_NAMES, () => hostileName(random)),
  };
}

/** Fuzzes the text fields with `count` strings from `seed`. */
export function fuzzStrings(
  seed: number,
  count: number,
  progress?: (done: number, total: number) => void,
): Promise<TextFuzzReport> {
  return fuzzTextFields(casesFor(seed, count, 0).strings, progress);
}

/** Fuzzes variable names with `count` names from `seed` (a different stream from the strings). */
export function fuzzVariableNames(seed: number, count: number): Promise<NameFuzzReport> {
  const { names } = casesFor(seed ^ 0x5bd1e995, 0, count);
  return fuzzNames(nameGroups(names, NAMES_PER_PROGRAM));
}

/** A report of a text run: counts, and each failure with the seed to reproduce it. */
export function textSummary(seed: number, report: TextFuzzReport): string {
  const head =
    `seed ${seed}: ${report.strings} strings × ${TEXT_FIELDS.length} fields in ` +
    `${report.batches} programs per language, ${report.failures.length} failures`;
  const more = report.failures.length - SHOWN;
  const listed = report.failures.slice(0, SHOWN).map(describeTextFailure);
  return [head, ...listed, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

/** A report of a names run: counts, and each failure with the seed to reproduce it. */
export function nameSummary(seed: number, report: NameFuzzReport): string {
  const head =
    `seed ${seed}: ${report.names} variable names in ${report.programs} programs per ` +
    `language, ${report.failures.length} failures`;
  const more = report.failures.length - SHOWN;
  const listed = report.failures.slice(0, SHOWN).map(describeNameFailure);
  return [head, ...listed, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}
