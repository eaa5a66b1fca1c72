/**
 * Runs the parity check over random programs (`program-builder.ts`): programs `seed`,
 * `seed + 1`, … `seed + count - 1`; shrinks each that differs and describes it; counts how often
 * each block type was used, which of ours were used too little, and how many programs count the
 * letters of a text with an emoji.
 */
import { ourBlockTypes } from '../../blocks/index.ts';
import type { ParityPool } from './harness.ts';
import { BUILDERS, buildProgram, countBlocks } from './program-builder.ts';
import { shrink } from './shrink.ts';
import type { Event } from '../support/micropython-board.ts';
import type { BlockJson } from '../support/block-json.ts';

/**
 * Our block types the builder does not make yet, each with its reason. Every other type in
 * `ourBlockTypes` must be in `BUILDERS` and used in at least `MIN_SHARE` of the programs.
 */
export const NOT_BUILT: Readonly<Record<string, string>> = {
  // (none: a new block type of ours goes here, `type: 'why'`, until it has its BUILDERS entry)
};

/** The least share of programs each of our block types must appear in. */
export const MIN_SHARE = 0.05;

/** One program whose runs differed, shrunk. */
export interface Difference {
  seed: number;
  difference: string;
  report: string;
}

/** What a random run found. */
export interface RandomRunResult {
  cases: number;
  differences: Difference[];
  /** How many programs have a text with an emoji in an input of a block that counts letters. */
  emojiCounted: number;
  /** Block type → how many blocks of it were built. */
  counts: Map<string, number>;
  /** Block type → in how many programs it appears. */
  programs: Map<string, number>;
  /** Our block types used in fewer than `MIN_SHARE` of the programs, or missing from BUILDERS. */
  underUsed: string[];
}

/** Blocks whose result depends on how letters are counted (an emoji is one on the board). */
const COUNTING_LETTERS = new Set([
  'text_length',
  'text_charAt',
  'text_getSubstring',
  'text_indexOf',
  'text_count',
]);
/** A character outside the Basic Multilingual Plane: two UTF-16 units, one letter on the board. */
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u;

/**
 * Whether a block in `blocks` that counts letters holds, somewhere in its inputs, a text block
 * with a character outside the Basic Multilingual Plane (a lower bound: a variable may hold one too).
 */
export function countsEmojiLetters(blocks: unknown, inside = false): boolean {
  if (Array.isArray(blocks)) return blocks.some((b) => countsEmojiLetters(b, inside));
  if (typeof blocks !== 'object' || blocks === null) return false;
  const b = blocks as BlockJson;
  const text = (b.fields as { TEXT?: unknown } | undefined)?.TEXT;
  if (inside && b.type === 'text' && ASTRAL.test(String(text))) return true;
  const counting = inside || COUNTING_LETTERS.has(b.type as string);
  return Object.entries(b).some(([key, child]) => {
    if (key === 'inputs') return countsEmojiLetters(Object.values(child as object), counting);
    if (key === 'block' || key === 'shadow') return countsEmojiLetters(child, counting);
    // The next block in a stack is not an input of this one.
    return key === 'next' && countsEmojiLetters(child, inside);
  });
}

const showEvent = (event: Event): string =>
  typeof event === 'string'
    ? event
    : `message(${JSON.stringify(event.topic)}, ${
        typeof event.payload === 'string'
          ? JSON.stringify(event.payload)
          : `bytes [${[...event.payload]}]`
      })`;

/** Runs `count` random programs from `seed` on `pool`; shrinks at most `shrinkAtMost` differences. */
export async function runRandom(
  pool: ParityPool,
  seed: number,
  count: number,
  shrinkAtMost = 5,
): Promise<RandomRunResult> {
  const counts = new Map<string, number>();
  const programs = new Map<string, number>();
  let emojiCounted = 0;
  const outcomes = await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const parityCase = buildProgram(seed + i);
      const own = new Map<string, number>();
      countBlocks(parityCase.blocks, own);
      if (countsEmojiLetters(parityCase.blocks)) emojiCounted++;
      for (const [type, n] of own) {
        counts.set(type, (counts.get(type) ?? 0) + n);
        programs.set(type, (programs.get(type) ?? 0) + 1);
      }
      return pool.check(parityCase).then((outcome) => ({ seed: seed + i, parityCase, outcome }));
    }),
  );
  const differences: Difference[] = [];
  for (const { seed: s, parityCase, outcome } of outcomes) {
    if (outcome.difference === null) continue;
    if (differences.length >= shrinkAtMost) {
      differences.push({ seed: s, difference: outcome.difference, report: '(not shrunk)' });
      continue;
    }
    const small = await shrink(parityCase, (c) => pool.check(c));
    differences.push({
      seed: s,
      difference: small.outcome.difference ?? outcome.difference,
      report: [
        `seed ${s}: ${small.outcome.difference}`,
        `shrunk in ${small.runs} runs; script: [${small.parityCase.script.map(showEvent).join(', ')}]`,
        '--- MicroPython ---',
        small.outcome.python.trimEnd(),
        '--- TypeScript ---',
        small.outcome.typescript.trimEnd(),
        '--- blocks ---',
        JSON.stringify(small.parityCase.blocks),
      ].join('\n'),
    });
  }
  const underUsed = ourBlockTypes.filter(
    (type) =>
      !(type in NOT_BUILT) &&
      (!(type in BUILDERS) || (programs.get(type) ?? 0) < MIN_SHARE * count),
  );
  return { cases: count, differences, emojiCounted, counts, programs, underUsed };
}

/** The usage table: each block type with its count and share of programs, ours marked. */
export function usageTable(result: RandomRunResult): string {
  const ours = new Set(ourBlockTypes);
  const types = [...new Set([...ourBlockTypes, ...result.counts.keys()])].sort();
  return types
    .map((type) => {
      const share = ((result.programs.get(type) ?? 0) / result.cases) * 100;
      const mark = ours.has(type) ? (type in NOT_BUILT ? ' (ours, not built)' : ' (ours)') : '';
      return `${type.padEnd(26)} ${String(result.counts.get(type) ?? 0).padStart(6)}  ${share.toFixed(0).padStart(3)}% of programs${mark}`;
    })
    .join('\n');
}
