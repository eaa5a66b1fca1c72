// Every module of a generator's language folder can be the first one a program imports: no import
// cycle leaves a module half-made (importing micropython/mqtt.ts first once threw
// `ReferenceError: CLIENT is not defined`), and the language's entry still loads after it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = new URL('../../generators/', import.meta.url);

/** The language folders, each with its entry `index.ts`. */
const LANGUAGES = ['micropython', 'typescript'];

/** `.ts` files directly in `dir` (a URL ending in `/`). */
const tsFiles = (dir: URL) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => new URL(entry.name, dir));

/** What a fresh Node process runs: `file` first, then its language's entry after it. */
const script = (file: URL, language: string) =>
  [file, new URL(`${language}/index.ts`, root)]
    .map((url) => `await import(${JSON.stringify(url.href)});`)
    .join('\n');

interface Outcome {
  file: string;
  error: string | null;
}

/** Runs `script` in a fresh `node --import tsx` process. */
function runFirst(file: URL, language: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script(file, language)],
      { cwd: fileURLToPath(new URL('../../', import.meta.url)), timeout: 120_000 },
      (error, _stdout, stderr) =>
        resolve({ file: fileURLToPath(file), error: error ? `${error.message}\n${stderr}` : null }),
    );
  });
}

/**
 * Every module of the language folders, with its language. (The shared modules in generators/
 * import no language module; ESLint's import-x/no-cycle keeps every folder free of cycles.)
 */
const modules: { file: URL; language: string }[] = LANGUAGES.flatMap((language) =>
  tsFiles(new URL(`${language}/`, root)).map((file) => ({ file, language })),
);

/** Runs them a few at a time: each process loads Blockly, and the machine may be busy. */
async function runAll(): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const queue = [...modules];
  const workers = Array.from({ length: 3 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      outcomes.push(await runFirst(next.file, next.language));
    }
  });
  await Promise.all(workers);
  return outcomes;
}

describe('generators: every module can be imported first', () => {
  it('finds the modules', () => {
    const names = modules.map(({ file }) => fileURLToPath(file));
    for (const language of LANGUAGES) {
      assert.ok(names.some((name) => name.endsWith(`generators/${language}/mqtt.ts`)));
      assert.ok(names.some((name) => name.endsWith(`generators/${language}/index.ts`)));
    }
  });

  it('imports each one first in a fresh process without an error', async () => {
    const outcomes = await runAll();
    assert.equal(outcomes.length, modules.length);
    const failures = outcomes.filter((o) => o.error).map((o) => `${o.file}: ${o.error}`);
    assert.deepEqual(failures, []);
  });
});
