// Whatever a child types must reach both programs intact: random hostile strings in every text
// field and random variable names, with a fixed seed and a bounded count. The MicroPython runs
// (and so compiles) on the real interpreter, the TypeScript type-checks in one compiler program
// and runs on the recording runtime, and the values are compared at run time. A failure prints
// the seed and the shrunk input; `node --import tsx test/fuzz/long-run.ts` runs more.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzStrings, fuzzVariableNames, nameSummary, textSummary } from './inputs.ts';

const SEED = 20261128;
const STRINGS = 1000;
const NAMES = 300;

describe('fuzz: what a child types', () => {
  it(`keeps ${STRINGS} random strings intact in every text field, in both languages`, async () => {
    const report = await fuzzStrings(SEED, STRINGS);
    const summary = textSummary(SEED, report);
    console.log(summary.split('\n')[0]);
    assert.equal(report.failures.length, 0, summary);
  });

  it(`keeps ${NAMES} random variable names apart from each other and from every name the programs use`, async () => {
    const report = await fuzzVariableNames(SEED, NAMES);
    const summary = nameSummary(SEED, report);
    console.log(summary.split('\n')[0]);
    assert.equal(report.failures.length, 0, summary);
  });
});
