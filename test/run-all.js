/**
 * `npm test`: runs every step below in order, each even when an earlier one failed, streams each
 * tool's output, and ends with one line `N passed, N failed` (`, N skipped` when tests were
 * skipped). Exits 1 if anything failed; a skipped test is not a failure.
 *
 * Counts: type check, ESLint and Prettier are 1 passed or 1 failed each; browser and Node tests
 * count each test (from the counts reporter's JSON file and from a TAP copy of node's report).
 * A step whose tool exits non-zero without counting a failure (or leaves no counts) counts 1 failed.
 * Skipped Node tests are listed with their reasons above the last line (a clone without the seed
 * tutorial beside it skips the tests that compare with it, and says where it looked).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'iot-blocks-test-'));
const wtrCountsFile = join(scratch, 'wtr-counts.json');
const nodeTapFile = join(scratch, 'node-tests.tap');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const nodeTests = nodeTestFiles();

/** Every `*.test.ts` under test/ except test/browser/, as sorted paths relative to the root. */
function nodeTestFiles() {
  return readdirSync(join(root, 'test'), { recursive: true })
    .map((file) => join('test', file))
    .filter((file) => file.endsWith('.test.ts') && !file.startsWith(join('test', 'browser') + sep))
    .map((file) => file.split(sep).join('/'))
    .sort();
}

/** Pass/fail of a check that has no tests of its own. */
const checkCounts = (exitCode) => ({
  passed: exitCode === 0 ? 1 : 0,
  failed: exitCode === 0 ? 0 : 1,
});

/** `{passed, failed, skipped}` written by test/support/wtr-counts-reporter.js, or null. */
function browserCounts() {
  return existsSync(wtrCountsFile) ? JSON.parse(readFileSync(wtrCountsFile, 'utf8')) : null;
}

/** The totals at the end of node's TAP report, or null if there is none. */
function nodeCounts() {
  if (!existsSync(nodeTapFile)) return null;
  const tap = readFileSync(nodeTapFile, 'utf8');
  const total = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
  if (!/^# pass \d+$/m.test(tap)) return null;
  return {
    passed: total('pass'),
    failed: total('fail') + total('cancelled'),
    skipped: total('skipped') + total('todo'),
    // `ok 3 - name # SKIP reason`, at any depth; `#` in a name is escaped as `\#`.
    skips: [...tap.matchAll(/^\s*ok \d+ - (.*?) # (?:SKIP|TODO)\b *(.*)$/gm)].map(
      ([, escaped, reason]) => {
        const name = escaped.replace(/\\#/g, '#');
        return reason ? `${name}: ${reason}` : name;
      },
    ),
  };
}

const steps = [
  {
    name: 'type check',
    command: [bin('tsc'), '--noEmit', '-p', '.'],
    counts: checkCounts,
  },
  { name: 'ESLint', command: [bin('eslint'), '.'], counts: checkCounts },
  {
    name: 'Prettier',
    command: [bin('prettier'), '--check', '.'],
    counts: checkCounts,
  },
  {
    name: 'browser tests',
    command: [bin('web-test-runner')],
    env: { WTR_COUNTS_FILE: wtrCountsFile },
    counts: browserCounts,
  },
  {
    name: 'Node tests',
    // With no file arguments node would run its default patterns, this script among them.
    command:
      nodeTests.length === 0
        ? null
        : [
            process.execPath,
            '--import',
            'tsx',
            '--test',
            '--test-reporter=spec',
            '--test-reporter-destination=stdout',
            '--test-reporter=tap',
            `--test-reporter-destination=${nodeTapFile}`,
            ...nodeTests,
          ],
    counts: nodeCounts,
  },
];

/** Runs one command with inherited stdio and resolves to its exit code (127 if it cannot start). */
function run([command, ...args], env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', (error) => {
      console.error(error.message);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(signal ? 128 : (code ?? 1)));
  });
}

/** How a command is shown in the log: node_modules/.bin/tsc as tsc, node as node. */
const shown = (arg) =>
  arg === process.execPath ? 'node' : arg.startsWith(root) ? relative(root, arg) : arg;

/** Runs a step and returns its counts, adjusted so a failing tool always shows a failure. */
async function runStep(step) {
  if (!step.command) {
    console.log(`\n===== ${step.name}: none found =====`);
    return { passed: 0, failed: 0, skipped: 0, exitCode: 0 };
  }
  console.log(`\n===== ${step.name}: ${step.command.map(shown).join(' ')} =====\n`);
  const exitCode = await run(step.command, step.env);
  const counts = { passed: 0, failed: 0, skipped: 0, ...step.counts(exitCode) };
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  return { ...counts, exitCode };
}

const results = [];
for (const step of steps) results.push({ name: step.name, ...(await runStep(step)) });
rmSync(scratch, { recursive: true, force: true });

console.log('\n===== summary =====');
for (const r of results) {
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  console.log(
    `${r.name.padEnd(14)} ${r.passed} passed, ${r.failed} failed${skipped} (exit ${r.exitCode})`,
  );
}
for (const skip of results.flatMap((r) => r.skips ?? [])) console.log(`skipped: ${skip}`);
const sum = (key) => results.reduce((total, r) => total + r[key], 0);
const [passed, failed, skipped] = [sum('passed'), sum('failed'), sum('skipped')];
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 || results.some((r) => r.exitCode !== 0) ? 1 : 0;
