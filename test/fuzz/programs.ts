/**
 * What the fuzz tests share: generating both programs from a workspace, running them (MicroPython
 * on the real interpreter, TypeScript on the recording runtime), type-checking TypeScript in one
 * compiler program, and comparing what a run did with what it should have done.
 */
import '../../src/cli/headless-dom.ts';
import { isDeepStrictEqual } from 'node:util';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
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

/** A workspace to generate, the script to run it with, and what both programs must do. */
export interface FuzzProgram {
  variables: { name: string; id: string }[];
  blocks: BlockJson[];
  script: Event[];
  expect: Expectation;
}

/** Both generated programs, or the error that stopped generation. */
export interface Generated {
  python?: string;
  typescript?: string;
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
    return {
      python: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
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
