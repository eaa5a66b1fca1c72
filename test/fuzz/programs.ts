/**
 * What the fuzz tests share: generating both programs from a workspace, running them (MicroPython
 * on the real interpreter, TypeScript on the recording runtime), type-checking TypeScript in one
 * compiler program, comparing what a run did with what it should have done, and checking the
 * line → block map of a program with block comments against the same program without them.
 */
import '../../src/cli/headless-dom.ts';
import { isDeepStrictEqual } from 'node:util';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { pythonComment } from '../../generators/micropython/quote.ts';
import { typescriptComment } from '../../generators/typescript/quote.ts';
import { runOnBoard, type Event } from '../support/micropython-board.ts';
import { runTypeScript } from '../support/recording-runtime.ts';
import { diagnosticText, typeCheck } from '../support/type-check.ts';
import type { BlockJson } from '../support/block-json.ts';

registerBlocks();

/** The two languages a workspace is generated in. */
export type Language = 'MicroPython' | 'TypeScript';

/** One call a run must make, in order among the calls of the same name, and what it is for. */
export interface ExpectedCall {
  call: string;
  args: unknown[];
  /** What made it, e.g. `string 3, wifi_connect SSID/PASSWORD`. */
  label: string;
}

/** What a program must do in each language: its calls, and what it prints, piece by piece. */
export interface Expectation {
  calls: Record<Language, ExpectedCall[]>;
  printed: { text: string; label: string }[];
}

/** A block comment and the statement block whose lines it must be written above. */
export interface ExpectedComment {
  /** The statement's id: the commented block's, or the id of the statement holding it. */
  owner: string;
  text: string;
}

/** A workspace to generate, the script to run it with, and what both programs must do. */
export interface FuzzProgram {
  variables: { name: string; id: string }[];
  blocks: BlockJson[];
  script: Event[];
  expect: Expectation;
  /** The program's block comments, in the order their lines must appear under each owner. */
  comments?: ExpectedComment[];
}

/** Both generated programs with their line → block maps, or the error that stopped generation. */
export interface Generated {
  python?: string;
  typescript?: string;
  pythonLines?: (string | null)[];
  typescriptLines?: (string | null)[];
  error?: string;
}

/** Generates both languages for a program's workspace. */
export function generateBoth(program: FuzzProgram): Generated {
  // No events: Blockly would serialize every created and deleted block to XML (slow in jsdom).
  Blockly.Events.disable();
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(
      { variables: program.variables, blocks: { languageVersion: 0, blocks: program.blocks } },
      workspace,
    );
    const python = generateMicroPython(workspace);
    const typescript = generateTypeScript(workspace);
    return {
      python: python.code,
      typescript: typescript.code,
      pythonLines: python.lineBlocks,
      typescriptLines: typescript.lineBlocks,
    };
  } catch (error) {
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  } finally {
    workspace.dispose();
    Blockly.Events.enable();
  }
}

/** Type-checks many programs in one compiler program; answers each one's first diagnostic. */
export function typeCheckAll(sources: (string | undefined)[]): (string | undefined)[] {
  const files = new Map<string, string>();
  sources.forEach((source, n) => source !== undefined && files.set(`/fuzz/p${n}.ts`, source));
  if (!files.size) return sources.map(() => undefined);
  const checked = typeCheck(files);
  const elsewhere = checked.diagnostics.find((d) => !d.file || !files.has(d.file.fileName));
  if (elsewhere) return sources.map(() => `outside the program: ${diagnosticText(elsewhere)}`);
  return sources.map((_source, n) => {
    const found = checked.inFile(`/fuzz/p${n}.ts`)[0];
    if (!found) return undefined;
    const line =
      found.file && found.start !== undefined
        ? found.file.getLineAndCharacterOfPosition(found.start).line + 1
        : 0;
    return `line ${line}: ${diagnosticText(found)}`;
  });
}

/** The first way a run differed from what was expected, or undefined when it did not. */
export function compareRun(
  language: Language,
  run: { trace: { call: string; args: unknown[] }[]; stdout: string; error?: string },
  expect: Expectation,
): string | undefined {
  if (run.error) return `the program failed:\n${run.error}`;
  const expected = expect.calls[language];
  const names = new Set(expected.map((c) => c.call));
  const actual = run.trace.filter((entry) => names.has(entry.call));
  for (const name of names) {
    const want = expected.filter((c) => c.call === name);
    const got = actual.filter((c) => c.call === name);
    for (let i = 0; i < Math.max(want.length, got.length); i++) {
      if (!isDeepStrictEqual(want[i]?.args, got[i]?.args)) {
        return (
          `${want[i]?.label ?? `an extra ${name}`}: ${name} was ` +
          `${got[i] ? describe(got[i].args) : 'not called'}, expected ${describe(want[i]?.args)}`
        );
      }
    }
  }
  const printed = expect.printed.map((p) => p.text + '\n').join('');
  if (run.stdout !== printed) {
    let at = 0;
    while (at < printed.length && run.stdout[at] === printed[at]) at++;
    let end = 0;
    const piece = expect.printed.find((p) => (end += p.text.length + 1) > at);
    return (
      `${piece?.label ?? 'after the last print'}: printed ${describe(run.stdout.slice(at, at + 60))}…` +
      ` where ${describe(printed.slice(at, at + 60))}… was expected`
    );
  }
  return undefined;
}

/** Runs one generated program in `language` and compares it with `expect`. */
export async function runAndCompare(
  language: Language,
  source: string,
  program: FuzzProgram,
): Promise<string | undefined> {
  const limits = { timeoutMs: 60_000, maxCalls: 1_000_000 };
  const run =
    language === 'MicroPython'
      ? await runOnBoard(source, program.script, limits)
      : await runTypeScript(source, program.script, limits);
  return compareRun(language, run, program.expect);
}

/** A value for a failure message: strings and bytes escaped, long ones cut. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? `bytes(${Buffer.from(v).toString('hex')})` : v,
  );
  const escaped = (text ?? 'undefined').replace(
    /[^\x20-\x7e]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
  return escaped.length > 300 ? escaped.slice(0, 300) + '…' : escaped;
}

/** `program` without its block comments (every `icons` dropped): what the comments must not change. */
export function uncommented(program: FuzzProgram): FuzzProgram {
  const blocks = JSON.parse(
    JSON.stringify(program.blocks, (key, v: unknown) => (key === 'icons' ? undefined : v)),
  ) as BlockJson[];
  return { ...program, blocks, comments: [] };
}

/**
 * `program` with an id on every block that has none (`b1`, `b2`…, always the same for the same
 * blocks), so that it and its uncommented copy give their blocks the same ids: Blockly's are random.
 */
export function withBlockIds(program: FuzzProgram): FuzzProgram {
  const blocks = JSON.parse(JSON.stringify(program.blocks)) as BlockJson[];
  let count = 0;
  // A loop, not recursion: a program's main stack is thousands of `next` links deep.
  const todo: [string, unknown][] = blocks.map((block) => ['block', block]);
  for (let item = todo.pop(); item; item = todo.pop()) {
    const [key, value] = item;
    if (!value || typeof value !== 'object') continue;
    const object = value as BlockJson;
    if ((key === 'block' || key === 'shadow') && typeof object.type === 'string') {
      object.id ??= `b${++count}`;
    }
    todo.push(...Object.entries(object));
  }
  return { ...program, blocks };
}

/**
 * The first way the line map of `generated` is wrong, or undefined. Its lines must be those of
 * `plain` (the program without comments) with the same blocks, and in between only the comments'
 * lines, each as the language writes it and owned by the statement it is written above. An empty
 * comment writes nothing. Comment lines are compared without indentation and trailing space.
 */
export function lineMapProblem(
  language: Language,
  program: FuzzProgram,
  generated: Generated,
  plain: Generated,
): string | undefined {
  const python = language === 'MicroPython';
  const [code, owners] = python
    ? [generated.python, generated.pythonLines]
    : [generated.typescript, generated.typescriptLines];
  const [plainCode, plainOwners] = python
    ? [plain.python, plain.pythonLines]
    : [plain.typescript, plain.typescriptLines];
  if (code === undefined || !owners || plainCode === undefined || !plainOwners) {
    return `generating failed: ${generated.error ?? plain.error}`;
  }
  const sign = python ? '#' : '//';
  const lines = code.split('\n').slice(0, -1);
  const plainLines = plainCode.split('\n').slice(0, -1);
  if (lines.length !== owners.length) {
    return `the line map has ${owners.length} entries for ${lines.length} lines`;
  }
  const found = new Map<string | null, string[]>();
  let next = 0;
  for (const [n, line] of lines.entries()) {
    if (line === plainLines[next] && owners[n] === plainOwners[next]) {
      next++;
      continue;
    }
    if (!line.trim().startsWith(sign)) {
      return (
        `line ${n + 1} ${describe(line)} (block ${owners[n]}) is neither a comment nor the ` +
        `program's line ${next + 1} ${describe(plainLines[next])} (block ${plainOwners[next]})`
      );
    }
    found.set(owners[n], [...(found.get(owners[n]) ?? []), line.trim()]);
  }
  if (next < plainLines.length) {
    return `the program's line ${next + 1} ${describe(plainLines[next])} is missing`;
  }
  const write = python ? pythonComment : typescriptComment;
  const expected = new Map<string | null, string[]>();
  for (const { owner, text } of program.comments ?? []) {
    const written = write(text).split('\n').slice(0, -1);
    if (text)
      expected.set(owner, [...(expected.get(owner) ?? []), ...written.map((l) => l.trim())]);
  }
  for (const owner of new Set([...found.keys(), ...expected.keys()])) {
    if (!isDeepStrictEqual(found.get(owner), expected.get(owner))) {
      return (
        `the comment lines of block ${owner} are ${describe(found.get(owner) ?? [])}, ` +
        `expected ${describe(expected.get(owner) ?? [])}`
      );
    }
  }
  return undefined;
}
