/**
 * Type-checking generated TypeScript against the runtime contract with the compiler API, as a
 * program would be checked on its own: strict, ES2022 and the runtime only (programs run in a
 * Worker, which has no DOM), `@iot-blocks/runtime` resolved to `src/runtime/api.ts` with each
 * board part's export (declared by its `src/parts/<name>/runtime.ts`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TypeScript from 'typescript';

// Required, not imported: importing the 9 MB CommonJS compiler as ESM makes Node scan it for
// its export names first, which costs a second or two.
const ts = createRequire(import.meta.url)('typescript') as typeof TypeScript;

const RUNTIME_API = fileURLToPath(new URL('../../src/runtime/api.ts', import.meta.url));
const PARTS_DIR = fileURLToPath(new URL('../../src/parts/', import.meta.url));
/** Each board part's runtime piece, which declares the part's export of the runtime. */
const PART_RUNTIMES = readdirSync(PARTS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(PARTS_DIR, entry.name, 'runtime.ts')))
  .map((entry) => join(PARTS_DIR, entry.name, 'runtime.ts'));

/** What `typeCheck` found: every diagnostic, and a way to pick one file's. */
export interface TypeCheckResult {
  diagnostics: readonly TypeScript.Diagnostic[];
  inFile(name: string): TypeScript.Diagnostic[];
}

/**
 * Type-checks in-memory files (path → text) as one program, so the compiler reads lib and the
 * runtime once however many files there are.
 */
export function typeCheck(files: Map<string, string>): TypeCheckResult {
  const options: TypeScript.CompilerOptions = {
    strict: true,
    // Blockly's JavaScript helpers (mathRandomInt, textToTitleCase…) have untyped parameters.
    noImplicitAny: false,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // Programs run as ES modules (top-level await), even one that imports nothing.
    moduleDetection: ts.ModuleDetectionKind.Force,
    noEmit: true,
    types: [],
    // No DOM: generated programs run in a Worker with only the runtime.
    lib: ['lib.es2022.d.ts'],
    paths: { '@iot-blocks/runtime': [RUNTIME_API] },
    allowImportingTsExtensions: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(fileName);
    return text === undefined
      ? getSourceFile.call(host, fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  host.fileExists = (fileName) => files.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => files.get(fileName) ?? readFile.call(host, fileName);
  const program = ts.createProgram([...files.keys(), ...PART_RUNTIMES], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const inFile = (name: string) => diagnostics.filter((d) => d.file?.fileName === name);
  return { diagnostics, inFile };
}

/** A diagnostic's message, its chained parts on separate lines. */
export function diagnosticText(d: TypeScript.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

/** A diagnostic as `file:line:col message`, followed by the generating block's id if known. */
export function describeDiagnostic(
  d: TypeScript.Diagnostic,
  lineBlocks: Map<string, (string | null)[]>,
): string {
  const text = diagnosticText(d);
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const block = lineBlocks.get(d.file.fileName)?.[line];
  const source = d.file.text.split('\n')[line];
  return `${d.file.fileName}:${line + 1}:${character + 1} ${text}\n    ${source}${block ? `\n    (block ${block})` : ''}`;
}
