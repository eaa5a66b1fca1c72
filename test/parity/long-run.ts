/**
 * The long parity run: `node --import tsx test/parity/long-run.ts --count 5000 --seed 123`.
 * Runs `count` random programs (seeds `seed` … `seed + count - 1`), prints the block usage, how
 * many programs count the letters of a text with an emoji, and every difference (the first
 * `--shrink` of them shrunk, default 10), and exits 1 when any program differs or one of our
 * blocks was used too little.
 */
import { parseArgs } from 'node:util';
import { ParityPool } from './harness.ts';
import { runRandom, usageTable } from './random-run.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    shrink: { type: 'string', default: '10' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const started = Date.now();
const pool = new ParityPool();
try {
  const result = await runRandom(pool, seed, count, Number(values.shrink));
  console.log(usageTable(result));
  console.log(`\n${result.emojiCounted} programs count the letters of a text with an emoji`);
  for (const d of result.differences) console.log(`\n${d.report}`);
  if (result.underUsed.length) console.log(`\nunder-used: ${result.underUsed.join(', ')}`);
  console.log(
    `\n${result.cases} programs from seed ${seed}: ${result.differences.length} differ ` +
      `(${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  process.exitCode = result.differences.length || result.underUsed.length ? 1 : 0;
} finally {
  await pool.close();
}
