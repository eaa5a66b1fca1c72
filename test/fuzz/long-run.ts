/**
 * The long inputs fuzz run (the one in `npm test` is short):
 *
 *   node --import tsx test/fuzz/long-run.ts --count 20000 --names 4000 --seed 7
 *
 * `--count` strings go through every text field and `--names` variable names through the names
 * programs, from `--seed` (default: the time). Prints progress, the counts, every failure with
 * its shrunk input and the seed, and exits 1 when anything failed.
 */
import { parseArgs } from 'node:util';
import { fuzzStrings, fuzzVariableNames, nameSummary, textSummary } from './inputs.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    names: { type: 'string', default: '2000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const seed = Number(values.seed);
const count = Number(values.count);
const names = Number(values.names);
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

console.log(`seed ${seed}: ${count} strings, ${names} variable names`);
const strings = await fuzzStrings(seed, count, (done, total) => {
  if (done % 10 === 0 || done === total)
    console.log(`  strings: program ${done}/${total}, ${seconds()} s`);
});
console.log(textSummary(seed, strings));
const variables = await fuzzVariableNames(seed, names);
console.log(nameSummary(seed, variables));
console.log(`${seconds()} s`);
process.exitCode = strings.failures.length || variables.failures.length ? 1 : 0;
