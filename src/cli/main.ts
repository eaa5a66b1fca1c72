/**
 * The command line:
 * `iot-blocks generate <project.json> --lang micropython|typescript [-o FILE] [--strict]` and
 * `iot-blocks import <main.py> [-o project.json]` (MicroPython back to blocks).
 * The program goes to stdout (or FILE) and nothing else does. Each block warning (the editor's
 * sentence, in English) is one line on stderr, `warning: <type> <id>: <sentence>`; they do not
 * change the exit code unless `--strict` is given. Every failure is one plain line on stderr
 * starting `iot-blocks: `, with exit code 2 for a wrong command line and 1 for bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { basename } from 'node:path';

const USAGE = `Usage: iot-blocks generate <project.json> --lang micropython|typescript [-o FILE] [--strict]
       iot-blocks import <main.py> [-o project.json]

Prints the program made from a project's blocks, or writes it to FILE. Blocks with a warning
(the ones the editor marks) are listed on stderr, one line each.

import reads a MicroPython program and prints a project with its blocks (or writes it to FILE);
what it cannot turn into blocks becomes "MicroPython code" blocks, counted on stderr.

  --lang LANG       micropython (main.py for the mPython board) or typescript (the browser)
  -o, --output FILE write the program to FILE instead of printing it
  --strict          if any block has a warning, make no program and exit 1
  -h, --help        show this help
`;

const OPTIONS = {
  lang: { type: 'string' },
  output: { type: 'string', short: 'o' },
  strict: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const LANGUAGES = ['micropython', 'typescript'] as const;
type Language = (typeof LANGUAGES)[number];

/** A failure the user can fix; `exitCode` is 2 for a wrong command line, 1 for bad input. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

const usageError = (message: string) => new CliError(`${message} (see "iot-blocks --help")`, 2);

/** Plain words for the file-system errors a user can cause; `missing` says what ENOENT lacks. */
function fsReason(error: unknown, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: `no such ${missing}`,
    EISDIR: 'it is a folder, not a file',
    ENOTDIR: 'a part of the path is not a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the disk is read-only',
    ENOSPC: 'the disk is full',
  };
  return reasons[code ?? ''] ?? (error as Error).message;
}

/** Parses the command line by hand-checking parseArgs's tokens, so every message is ours. */
function parseCommandLine(argv: string[]) {
  // Non-strict parsing returns tokens instead of throwing parseArgs's long, technical messages.
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = (OPTIONS as Record<string, { type: string }>)[token.name];
    if (!option) throw usageError(`unknown option "${token.rawName}"`);
    if (option.type === 'string' && token.value === undefined) {
      throw usageError(`${token.rawName} needs a value`);
    }
    if (option.type === 'boolean' && token.value !== undefined) {
      throw usageError(`${token.rawName} takes no value`);
    }
  }
  return {
    help: values.help === true,
    lang: values.lang as string | undefined,
    output: values.output as string | undefined,
    strict: values.strict === true,
    positionals,
  };
}

/** Loads Blockly, our blocks and both generators; only `generate` pays for it (~1 s). */
async function loadStudio() {
  // Must come before anything imports Blockly (see headless-dom.ts).
  await import('./headless-dom.ts');
  const [Blockly, register, projectFile, warnings, micropython, typescript] = await Promise.all([
    import('blockly'),
    import('../editor/register.ts'),
    import('../project/project-file.ts'),
    import('../editor/warnings.ts'),
    import('../../generators/micropython/index.ts'),
    import('../../generators/typescript/index.ts'),
  ]);
  // Also sets the English messages, which the warnings' sentences come from.
  register.registerBlocks();
  return {
    Blockly,
    ...projectFile,
    warningsIn: warnings.warningsIn,
    generators: {
      micropython: micropython.generateMicroPython,
      typescript: typescript.generateTypeScript,
    } satisfies Record<Language, unknown>,
  };
}

/** Line breaks (which would split a warning line) and other control characters. */
const LINE_BREAKS = /\s*[\n\v\f\r\u0085\u2028\u2029]\s*/g;
const CONTROLS = /(?!\t)\p{Cc}/gu;

/** `text` on one line: line breaks become spaces, other control characters U+FFFD. */
function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROLS, '\ufffd');
}

/**
 * One stderr line for a block warning. The id comes from the project file, so it goes through
 * `oneLine` too: a file cannot add lines of its own or send escape codes to the terminal.
 */
export function warningLine(type: string, id: string, sentence: string): string {
  return `warning: ${oneLine(`${type} ${id}: ${sentence}`)}\n`;
}

/** What `generate` made: the program, and one stderr line per block warning. */
interface Generated {
  code: string;
  warnings: string[];
}

/** The program for the project file at `path`, in `lang`, and its blocks' warnings. */
async function generate(path: string, lang: Language): Promise<Generated> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read "${path}": ${fsReason(error, 'file')}`, 1);
  }
  const studio = await loadStudio();
  const workspace = new studio.Blockly.Workspace();
  try {
    studio.loadProject(workspace, studio.parseProject(text));
    const code = studio.generators[lang](workspace).code;
    // In the order a reader meets the blocks: stacks top to bottom, each block before its inner ones.
    const order = new Map(workspace.getAllBlocks(true).map((block, index) => [block, index]));
    const warnings = [...studio.warningsIn(workspace)]
      .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map(([block, sentence]) => warningLine(block.type, block.id, sentence));
    return { code, warnings };
  } catch (error) {
    // parseProject and loadProject explain themselves; anything else is still about this file.
    const reason = (error as Error).message.replace(/\.$/, '');
    const what =
      error instanceof studio.ProjectFileError ? 'cannot use' : `cannot generate ${lang} from`;
    throw new CliError(`${what} "${path}": ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, 1);
  } finally {
    workspace.dispose();
  }
}

/** The project (as JSON text) for the MicroPython program at `path`, and a note about code blocks. */
async function importProgram(path: string): Promise<{ code: string; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read "${path}": ${fsReason(error, 'file')}`, 1);
  }
  const studio = await loadStudio();
  const { importMicroPython, PythonSyntaxError } =
    await import('../../generators/micropython/import/index.ts');
  const workspace = new studio.Blockly.Workspace();
  try {
    const imported = importMicroPython(text);
    studio.Blockly.serialization.workspaces.load(imported.workspace, workspace);
    const name = basename(path).replace(/\.py$/i, '') || 'main';
    const project = studio.saveProject(workspace, studio.defaultSettings(name));
    const warnings = imported.codeBlocks
      ? [
          `note: ${imported.codeBlocks} part(s) stayed "MicroPython code" blocks: they run only on the real board\n`,
        ]
      : [];
    return { code: JSON.stringify(project, null, 2) + '\n', warnings };
  } catch (error) {
    if (error instanceof PythonSyntaxError) {
      throw new CliError(
        `cannot import "${path}": syntax error at line ${error.line}, column ${error.column}: ${error.lineText.trim()}`,
        1,
      );
    }
    throw new CliError(`cannot import "${path}": ${(error as Error).message}`, 1);
  } finally {
    workspace.dispose();
  }
}

// printOut's write callback reports stdout errors; without a listener the stream would also throw.
process.stdout.on('error', () => {});

/** Writes `text` to stdout and waits until it has been handed to the OS. */
function printOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => {
      // A reader that stops early (`| head`) is not a failure of ours.
      if (!error || (error as NodeJS.ErrnoException).code === 'EPIPE') resolve();
      else reject(new CliError(`cannot print: ${fsReason(error, 'file')}`, 1));
    });
  });
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { help, lang, output, strict, positionals } = parseCommandLine(argv);
    if (help || positionals.length === 0) {
      await printOut(USAGE);
      return 0;
    }
    const [command, path, ...extra] = positionals;
    if (command === 'import') {
      if (path === undefined) throw usageError('import needs a MicroPython file');
      if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
      const imported = await importProgram(path);
      process.stderr.write(imported.warnings.join(''));
      if (output === undefined) await printOut(imported.code);
      else {
        try {
          await writeFile(output, imported.code);
        } catch (error) {
          throw new CliError(`cannot write "${output}": ${fsReason(error, 'folder')}`, 1);
        }
      }
      return 0;
    }
    if (command !== 'generate') throw usageError(`unknown command "${command}"`);
    if (path === undefined) throw usageError('generate needs a project file');
    if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
    if (lang === undefined) throw usageError('--lang is missing: micropython or typescript');
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      throw usageError(`unknown language "${lang}": use micropython or typescript`);
    }
    const { code, warnings } = await generate(path, lang as Language);
    process.stderr.write(warnings.join(''));
    if (strict && warnings.length) {
      const count =
        warnings.length === 1 ? '1 block has a warning' : `${warnings.length} blocks have warnings`;
      throw new CliError(`${count} and --strict is on: no program made`, 1);
    }
    if (output === undefined) {
      await printOut(code);
      return 0;
    }
    try {
      await writeFile(output, code);
    } catch (error) {
      throw new CliError(`cannot write "${output}": ${fsReason(error, 'folder')}`, 1);
    }
    return 0;
  } catch (error) {
    // One line, never a stack trace: a child or teacher reads this, not a developer.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`iot-blocks: ${oneLine(message)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
