/**
 * The command line: `iot-blocks generate <project.json> --lang micropython|typescript [-o FILE]`.
 * The program goes to stdout (or FILE) and nothing else does; every failure is one plain line on
 * stderr starting `iot-blocks: `, with exit code 2 for a wrong command line and 1 for bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const USAGE = `Usage: iot-blocks generate <project.json> --lang micropython|typescript [-o FILE]

Prints the program made from a project's blocks, or writes it to FILE.

  --lang LANG       micropython (main.py for the mPython board) or typescript (the browser)
  -o, --output FILE write the program to FILE instead of printing it
  -h, --help        show this help
`;

const OPTIONS = {
  lang: { type: 'string' },
  output: { type: 'string', short: 'o' },
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
    positionals,
  };
}

/** Loads Blockly, our blocks and both generators; only `generate` pays for it (~1 s). */
async function loadStudio() {
  // Must come before anything imports Blockly (see headless-dom.ts).
  await import('./headless-dom.ts');
  const [Blockly, register, projectFile, micropython, typescript] = await Promise.all([
    import('blockly'),
    import('../editor/register.ts'),
    import('../project/project-file.ts'),
    import('../../generators/micropython/index.ts'),
    import('../../generators/typescript/index.ts'),
  ]);
  register.registerBlocks();
  return {
    Blockly,
    ...projectFile,
    generators: {
      micropython: micropython.generateMicroPython,
      typescript: typescript.generateTypeScript,
    } satisfies Record<Language, unknown>,
  };
}

/** The program for the project file at `path`, in `lang`. */
async function generate(path: string, lang: Language): Promise<string> {
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
    return studio.generators[lang](workspace).code;
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
    const { help, lang, output, positionals } = parseCommandLine(argv);
    if (help || positionals.length === 0) {
      await printOut(USAGE);
      return 0;
    }
    const [command, path, ...extra] = positionals;
    if (command !== 'generate') throw usageError(`unknown command "${command}"`);
    if (path === undefined) throw usageError('generate needs a project file');
    if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
    if (lang === undefined) throw usageError('--lang is missing: micropython or typescript');
    if (!(LANGUAGES as readonly string[]).includes(lang)) {
      throw usageError(`unknown language "${lang}": use micropython or typescript`);
    }
    const code = await generate(path, lang as Language);
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
    process.stderr.write(`iot-blocks: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
