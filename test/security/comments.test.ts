// Issue 14, "Code hidden in a block comment": whatever a shared project puts in a block comment
// stays a comment in both languages. The real CLI generates each project; the real MicroPython
// interpreter compiles and runs main.py, and TypeScript's compiler and sucrase (the studio's
// transpiler) must see exactly the code of the same project without the comment, which then runs
// on the recording runtime doing nothing more.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';
import type * as TypeScript from 'typescript';
import { runOnBoard } from '../support/micropython-board.ts';
import { runTypeScript } from '../support/recording-runtime.ts';
import { diagnosticText, typeCheck } from '../support/type-check.ts';

const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;
const bin = fileURLToPath(new URL('../../src/cli/iot-blocks.js', import.meta.url));

/** The project in the issue, byte for byte: carriage returns in an OLED block's comment. */
const ISSUE_PROJECT = String.raw`{"format":"iot-blocks-project","version":1,"workspace":{"blocks":{"languageVersion":0,"blocks":[{"type":"oled_clear","id":"a","icons":{"comment":{"text":"hi\rimport os; print(1)\r#"}}}]}}}`;

type Lang = 'micropython' | 'typescript';
const LANGS: Lang[] = ['micropython', 'typescript'];

/**
 * What is put between the comment's words, and how the comment must then read in each language:
 * `null` when it starts a new comment line, else the visible text it becomes.
 */
const VARIANTS: [name: string, between: string, shown: Record<Lang, string> | null][] = [
  ['a carriage return', '\r', null],
  ['a line feed', '\n', null],
  ['CRLF', '\r\n', null],
  ['U+2028 (line separator)', '\u2028', null],
  ['U+2029 (paragraph separator)', '\u2029', null],
  ['U+0085 (next line)', '\u0085', null],
  ['a vertical tab', '\v', null],
  ['a form feed', '\f', null],
  ['NUL', '\u0000', { micropython: '\\x00', typescript: '\\u0000' }],
  [
    "the line map's markers",
    '\u0001a\u0002',
    { micropython: '\\x01a\\x02', typescript: '\\u0001a\\u0002' },
  ],
  ['a lone surrogate', '\ud800', { micropython: '\ufffd', typescript: '\ufffd' }],
  ['a terminal escape', '\u001b[2J', { micropython: '\\x1b[2J', typescript: '\\u001b[2J' }],
  ['a right-to-left override', '\u202e', { micropython: '\\u202e', typescript: '\\u202e' }],
  ['"*/"', '*/', { micropython: '*/', typescript: '*/' }],
];

/** The code each language would run if the comment ended early: it must not run. */
const HIDDEN: Record<Lang, string> = {
  micropython: 'import os; print(1)',
  typescript: 'print(1);',
};
const PREFIX: Record<Lang, string> = { micropython: '#', typescript: '//' };

/** The comment for a variant: hidden code between `between`s, then a comment sign. */
const commentText = (lang: Lang, between: string) =>
  `hi${between}${HIDDEN[lang]}${between}${PREFIX[lang]}`;

/** The comment lines it must become. */
function commentLines(lang: Lang, shown: Record<Lang, string> | null): string[] {
  const p = PREFIX[lang];
  if (!shown) return [`${p} hi`, `${p} ${HIDDEN[lang]}`, `${p} ${p}`];
  return [`${p} hi${shown[lang]}${HIDDEN[lang]}${shown[lang]}${p}`];
}

/**
 * A project that prints "ok" and clears the screen, with `comment` on the print block (or, with
 * `onValue`, on the text block inside it, which Blockly writes above the print block).
 */
function project(comment: string | undefined, onValue = false): string {
  const icons = comment === undefined ? {} : { icons: { comment: { text: comment } } };
  const print = {
    type: 'text_print',
    id: 'print',
    ...(onValue ? {} : icons),
    inputs: {
      TEXT: {
        block: { type: 'text', id: 'ok', fields: { TEXT: 'ok' }, ...(onValue ? icons : {}) },
      },
    },
    next: { block: { type: 'oled_clear', id: 'clear' } },
  };
  const workspace = { blocks: { languageVersion: 0, blocks: [print] } };
  return JSON.stringify({ format: 'iot-blocks-project', version: 1, workspace });
}

let dir: string;
let files = 0;

/** Runs the real CLI on a project text; resolves with the generated program. */
async function generate(projectText: string, lang: Lang): Promise<string> {
  const file = join(dir, `project-${files++}.json`);
  await writeFile(file, projectText);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, 'generate', file, '--lang', lang],
      { encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`iot-blocks generate failed (${error.code}): ${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** One check: a project with a hostile comment, the same project without it, and their programs. */
interface Case {
  name: string;
  lang: Lang;
  /** The project with the comment (`true`) or without it. */
  project: (withComment: boolean) => string;
  /** The comment lines the program must show (indentation aside). */
  lines: string[];
  code?: string;
  baseline?: string;
}

/** The issue's project without its comment. */
const ISSUE_PROJECT_PLAIN = JSON.stringify({
  format: 'iot-blocks-project',
  version: 1,
  workspace: { blocks: { languageVersion: 0, blocks: [{ type: 'oled_clear', id: 'a' }] } },
});

const cases: Case[] = LANGS.flatMap((lang): Case[] => [
  {
    name: 'the comment of the issue\'s project ("hi\\rimport os; print(1)\\r#")',
    lang,
    project: (withComment) => (withComment ? ISSUE_PROJECT : ISSUE_PROJECT_PLAIN),
    lines: [`${PREFIX[lang]} hi`, `${PREFIX[lang]} import os; print(1)`, `${PREFIX[lang]} #`],
  },
  ...VARIANTS.map(([name, between, shown]) => ({
    name: `a comment holding ${name}`,
    lang,
    project: (withComment: boolean) =>
      project(withComment ? commentText(lang, between) : undefined),
    lines: commentLines(lang, shown),
  })),
  {
    name: 'a comment holding a carriage return, on a value block',
    lang,
    project: (withComment) => project(withComment ? commentText(lang, '\r') : undefined, true),
    lines: commentLines(lang, null),
  },
]);

/**
 * Characters that must never appear raw in a program (tab and line feed aside): controls, line and
 * paragraph separators, bidirectional overrides, lone surrogates (the `u` flag sees those alone).
 */
const RAW =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

/** Every line of `code`, without its indentation. */
const trimmed = (code: string) => code.split('\n').map((line) => line.trim());

/** Lines that are not comments, in order: the code a compiler must see. */
const codeLines = (code: string, lang: Lang) =>
  trimmed(code).filter((line) => line && !line.startsWith(PREFIX[lang]));

/** The JavaScript TypeScript's compiler makes of `code`, comments removed; fails on syntax errors. */
function compiled(code: string): string {
  const out = ts.transpileModule(code, {
    compilerOptions: {
      removeComments: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
    },
    reportDiagnostics: true,
  });
  const errors = (out.diagnostics ?? []).map(diagnosticText);
  assert.deepEqual(errors, [], 'TypeScript sees a syntax error');
  return out.outputText;
}

/** What sucrase (the studio's transpiler, in the program Worker) makes of `code`, compiled again without comments. */
const sucrased = (code: string) =>
  compiled(transform(code, { transforms: ['typescript', 'imports'] }).code);

/** Asserts that `lines` appear one after the other in `code` (indentation aside). */
function assertHasLines(code: string, lines: string[]) {
  const all = trimmed(code);
  const at = all.indexOf(lines[0]);
  assert.ok(
    at >= 0 && lines.every((line, n) => all[at + n] === line),
    `the comment should read ${JSON.stringify(lines)} in:\n${code}`,
  );
}

describe('Code hidden in a block comment', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iot-blocks-comments-'));
    // The CLI takes a second to load Blockly: a few at a time.
    const jobs = cases.flatMap((c) => [
      async () => (c.code = await generate(c.project(true), c.lang)),
      async () => (c.baseline = await generate(c.project(false), c.lang)),
    ]);
    const workers = Array.from({ length: 6 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    });
    await Promise.all(workers);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const c of cases) {
    if (c.lang === 'micropython') {
      it(`MicroPython: ${c.name} stays a comment on the real interpreter`, async () => {
        const code = c.code!;
        const run = await runOnBoard(code, []);
        const plain = await runOnBoard(c.baseline!, []);
        assert.equal(run.error, undefined, `main.py failed:\n${code}`);
        assert.equal(run.stdout, plain.stdout, 'the comment printed something');
        assert.deepEqual(run.trace, plain.trace);
        assert.deepEqual(codeLines(code, c.lang), codeLines(c.baseline!, c.lang));
        assert.doesNotMatch(code, RAW, 'main.py holds a raw control or separator character');
        assertHasLines(code, c.lines);
      });
    } else {
      it(`TypeScript: ${c.name} stays a comment to the compiler and to sucrase`, async () => {
        const code = c.code!;
        assert.equal(compiled(code), compiled(c.baseline!), 'TypeScript sees other code');
        assert.equal(sucrased(code), sucrased(c.baseline!), 'sucrase sees other code');
        const run = await runTypeScript(code, []);
        const plain = await runTypeScript(c.baseline!, []);
        assert.equal(run.error, undefined, `the program failed:\n${code}`);
        assert.equal(run.stdout, plain.stdout, 'the comment printed something');
        assert.deepEqual(run.trace, plain.trace);
        assert.doesNotMatch(code, RAW, 'the program holds a raw control or separator character');
        assertHasLines(code, c.lines);
      });
    }
  }

  it('TypeScript: every program with a hostile comment type-checks', () => {
    const programs = cases.filter((c) => c.lang === 'typescript');
    const files = new Map(programs.map((c, n) => [`/security/p${n}.ts`, c.code!]));
    const checked = typeCheck(files);
    const problems = checked.diagnostics.map(
      (d) => `${d.file?.fileName ?? ''}: ${diagnosticText(d)}`,
    );
    assert.deepEqual(problems, []);
  });
});
