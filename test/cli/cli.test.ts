// The `iot-blocks` command, run as users run it: the real bin in a child process, from another cwd.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';

const bin = fileURLToPath(new URL('../../src/cli/iot-blocks.js', import.meta.url));
const example = fileURLToPath(new URL('../../src/examples/onenet-rgb.json', import.meta.url));
const mqttLine =
  'MQTTClient("deviceID", "183.230.40.39", 6002, "productID", "APIKey", keepalive=10)';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;

/** Runs the bin with `args` in the temp dir, resolving (never rejecting) with what it did. */
function cli(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

let exampleText: string;

/** The example's program made in this process, to compare with what the bin prints. */
function generateInProcess(generate: typeof generateMicroPython): string {
  registerBlocks();
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, parseProject(exampleText));
    return generate(workspace).code;
  } finally {
    workspace.dispose();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iot-blocks-cli-'));
  exampleText = await readFile(example, 'utf8');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('iot-blocks generate', () => {
  it('prints the example as MicroPython, the same as the generator in-process', async () => {
    const result = await cli('generate', example, '--lang', 'micropython');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes(mqttLine), result.stdout);
    assert.equal(result.stdout, generateInProcess(generateMicroPython));
  });

  it('prints the example as TypeScript, the same as the generator in-process', async () => {
    const result = await cli('generate', example, '--lang', 'typescript');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes('@iot-blocks/runtime'), result.stdout);
    assert.equal(result.stdout, generateInProcess(generateTypeScript));
  });

  it('writes the program to the -o file and prints nothing', async () => {
    const result = await cli('generate', example, '--lang', 'micropython', '-o', 'main.py');
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    assert.equal(
      await readFile(join(dir, 'main.py'), 'utf8'),
      generateInProcess(generateMicroPython),
    );
  });

  for (const args of [['--help'], [], ['generate', '-h']]) {
    it(`prints a short usage for "${args.join(' ')}"`, async () => {
      const result = await cli(...args);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.match(result.stdout, /^Usage: iot-blocks generate <project\.json> --lang /);
    });
  }
});

describe('iot-blocks warnings', { concurrency: 4 }, () => {
  const wifiEmpty =
    'warning: wifi_connect wifi: The WiFi name is empty. Type the name of your WiFi network.\n';
  const portZero =
    'warning: mqtt_connect connect: The port must be a whole number from 1 to 65535.\n';
  const colour = 'warning: rgb_fill red: Colours go from 0 to 255.\n';

  before(async () => {
    // The example with an empty WiFi name and port 0: two warnings in its first stack.
    const warned = JSON.parse(exampleText);
    const [main, onMessage] = warned.workspace.blocks.blocks;
    main.fields.SSID = ' ';
    main.next.block.fields.PORT = 0;
    await writeFile(join(dir, 'warned.json'), JSON.stringify(warned));
    // The same, plus a colour out of range in the message stack, now drawn above the other one.
    onMessage.y = 0;
    const red = onMessage.inputs.DO.block.next.block.inputs.DO0.block;
    red.inputs.RED.shadow.fields.NUM = 300;
    await writeFile(join(dir, 'stacks.json'), JSON.stringify(warned));
    // A block id with line breaks cannot add lines of its own.
    main.id = 'wifi\r\nwarning: forged';
    await writeFile(join(dir, 'odd-id.json'), JSON.stringify(warned));
  });

  it('prints every warning on stderr, one line each, then the program; exits 0', async () => {
    const result = await cli('generate', 'warned.json', '--lang', 'micropython');
    assert.equal(result.stderr, wifiEmpty + portZero);
    assert.equal(result.code, 0);
    assert.ok(result.stdout.includes('MQTTClient('), result.stdout);
  });

  it('prints the warnings in the order the stacks are drawn, top to bottom', async () => {
    const result = await cli('generate', 'stacks.json', '--lang', 'typescript');
    assert.equal(result.stderr, colour + wifiEmpty + portZero);
    assert.equal(result.code, 0);
  });

  it('keeps a warning on one line when the block id has line breaks', async () => {
    const result = await cli('generate', 'odd-id.json', '--lang', 'micropython');
    assert.equal(
      result.stderr,
      colour + wifiEmpty.replace(' wifi:', ' wifi warning: forged:') + portZero,
    );
    assert.equal(result.code, 0);
  });

  it('with --strict, prints the warnings, makes no program and exits 1', async () => {
    const result = await cli('generate', 'warned.json', '--lang', 'micropython', '--strict');
    assert.equal(
      result.stderr,
      wifiEmpty +
        portZero +
        'iot-blocks: 2 blocks have warnings and --strict is on: no program made\n',
    );
    assert.equal(result.stdout, '');
    assert.equal(result.code, 1);
  });

  it('with --strict, writes no -o file when there are warnings', async () => {
    const args = ['generate', 'warned.json', '--lang', 'typescript', '-o', 'strict.ts', '--strict'];
    const result = await cli(...args);
    assert.equal(result.code, 1);
    assert.equal(existsSync(join(dir, 'strict.ts')), false);
  });

  for (const lang of ['micropython', 'typescript']) {
    it(`prints no warning for the clean example in ${lang}, and --strict exits 0`, async () => {
      const result = await cli('generate', example, '--lang', lang, '--strict');
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      assert.notEqual(result.stdout, '');
    });
  }

  it('says --strict takes no value', async () => {
    const result = await cli('generate', example, '--lang', 'micropython', '--strict=yes');
    assert.match(result.stderr, /^iot-blocks: --strict takes no value/);
    assert.equal(result.code, 2);
  });

  it('names --strict in the usage', async () => {
    const result = await cli('--help');
    assert.match(result.stdout, /\[--strict\]/);
    assert.match(result.stdout, /^ {2}--strict +.*exit 1$/m);
  });
});

// A few at a time: each child loads Blockly and jsdom (~1 s of CPU, ~160 MB).
describe('iot-blocks errors', { concurrency: 4 }, () => {
  before(async () => {
    const base = JSON.parse(exampleText);
    const unknownBlock = JSON.parse(exampleText);
    unknownBlock.workspace.blocks.blocks[0].type = 'flux_capacitor';
    await mkdir(join(dir, 'folder'));
    await writeFile(join(dir, 'bad.json'), '{ "format": "iot-blocks-project", ');
    await writeFile(join(dir, 'other.json'), JSON.stringify({ name: 'not a project' }));
    await writeFile(join(dir, 'newer.json'), JSON.stringify({ ...base, version: 2 }));
    await writeFile(join(dir, 'unknown-block.json'), JSON.stringify(unknownBlock));
    // A value outside a dropdown's choices (Blockly would put its first choice there), in a block
    // whose id holds a line break: the sentence stays on one line.
    const badChoice = JSON.parse(exampleText);
    badChoice.workspace.blocks.blocks.push({
      type: 'rgb_set',
      id: 'led\nfour',
      fields: { LED: '3' },
    });
    await writeFile(join(dir, 'bad-choice.json'), JSON.stringify(badChoice));
  });

  /** [what is wrong, the arguments between `generate` and `--lang micropython`, stderr]: exit 1. */
  const badInputs: [string, string[], RegExp][] = [
    ['a missing file', ['missing.json'], /cannot read "missing.json": no such file$/m],
    ['a directory', ['folder'], /cannot read "folder": it is a folder/],
    ['bad JSON', ['bad.json'], /cannot use "bad.json": .*not JSON/],
    ['a file that is not a project', ['other.json'], /not an IoT Blocks project/],
    ['a newer format version', ['newer.json'], /newer IoT Blocks \(format 2\)/],
    ['an unknown block type', ['unknown-block.json'], /does not know: flux_capacitor/],
    [
      'a value outside a dropdown’s choices',
      ['bad-choice.json'],
      /cannot use "bad-choice.json": the block rgb_set “led four” has “3” in its LED, which is not one of its choices \(0, 1, 2\)$/m,
    ],
    ['an -o that is a folder', [example, '-o', 'folder'], /cannot write "folder"/],
    ['an -o in a missing folder', [example, '-o', 'nope/main.py'], /no such folder/],
  ];
  /** [what is wrong, the whole command line, stderr]: exit 2. */
  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown --lang', ['generate', example, '--lang', 'py'], /unknown language "py"/],
    ['a missing --lang', ['generate', example], /--lang is missing/],
    ['--lang without a value', ['generate', example, '--lang'], /--lang needs a value/],
    ['an unknown option', ['generate', example, '--fast'], /unknown option "--fast"/],
    ['an unknown command', ['build', example], /unknown command "build"/],
    ['no project file', ['generate', '--lang', 'typescript'], /needs a project file/],
    ['an extra argument', ['generate', example, 'b.json'], /unexpected argument "b.json"/],
  ];
  const cases = [
    ...badInputs.map(([name, args, message]) => ({
      name,
      args: ['generate', ...args, '--lang', 'micropython'],
      code: 1,
      message,
    })),
    ...usageErrors.map(([name, args, message]) => ({ name, args, code: 2, message })),
  ];

  for (const { name, args, code, message } of cases) {
    it(`explains ${name} in one line and exits ${code}`, async () => {
      const result = await cli(...args);
      assert.match(result.stderr, /^iot-blocks: [^\n]+\n$/, result.stderr);
      assert.doesNotMatch(result.stderr, /^\s*at /m);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
      assert.equal(result.code, code);
    });
  }

  it('leaves no -o file behind when the project is bad', async () => {
    const result = await cli('generate', 'bad.json', '--lang', 'micropython', '-o', 'bad.py');
    assert.equal(result.code, 1);
    assert.equal(existsSync(join(dir, 'bad.py')), false);
  });
});
