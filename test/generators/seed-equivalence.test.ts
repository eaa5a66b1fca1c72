// The seed tutorial's program (taken verbatim from shared/seed) and the MicroPython generated from
// the OneNET example project run in the real MicroPython interpreter on the same stand-in board,
// driven by the same script; their board and MQTT effects must be the same. Without the tutorial
// (a clone with nothing beside it) the tests that read it are skipped and say where it was looked
// for; the example's own tests still run.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import { runOnBoard, type BoardRun } from '../support/micropython-board.ts';
import {
  SCRIPT,
  TICKS,
  TOPIC,
  assertTutorialBehaviour,
  callsOf,
  exampleFile,
  noSeed,
  seedProgram,
} from '../support/seed-tutorial.ts';
import { runTypeScript } from '../support/recording-runtime.ts';

/** The example project loaded into a fresh headless workspace. */
function exampleWorkspace(): Blockly.Workspace {
  registerBlocks();
  const workspace = new Blockly.Workspace();
  loadProject(workspace, parseProject(readFileSync(exampleFile, 'utf8')));
  return workspace;
}

describe('seed equivalence: the OneNET tutorial and the example project', () => {
  let seed: BoardRun | undefined;
  let example: BoardRun;
  let exampleSource: string;

  before(async () => {
    const workspace = exampleWorkspace();
    try {
      exampleSource = generateMicroPython(workspace).code;
    } finally {
      workspace.dispose();
    }
    if (!noSeed) seed = await runOnBoard(seedProgram(), SCRIPT);
    example = await runOnBoard(exampleSource, SCRIPT);
  });

  it('runs the seed program as the tutorial describes', { skip: noSeed }, () => {
    assertTutorialBehaviour(seed!, 'the seed program');
  });

  it('runs the generated example as the tutorial describes', () => {
    assertTutorialBehaviour(example, 'the generated example');
  });

  it('gives the same board and MQTT trace for both', { skip: noSeed }, () => {
    // stdout is not compared: the seed prints `(topic, msg)` tuples, the example prints text.
    assert.deepEqual(
      example.trace,
      seed!.trace,
      `the generated program:\n${exampleSource}\ndiffers from the seed in its effects`,
    );
  });

  it('decodes non-UTF-8 bytes without raising in the example', () => {
    assert.equal(example.error, undefined, `the example raised:\n${example.error}`);
    const lines = example.stdout.split('\n');
    assert.ok(
      lines.includes(`${TOPIC} \ufffd\ufffd`),
      `b"\\xff\\xfe" is printed as two U+FFFD: ${JSON.stringify(example.stdout)}`,
    );
    assert.ok(lines.includes(`${TOPIC} 开灯`), 'the Chinese message is printed as text');
  });

  it("gives the same prints, LED colours and pings in the example's TypeScript", async () => {
    const workspace = exampleWorkspace();
    let source: string;
    try {
      source = generateTypeScript(workspace).code;
    } finally {
      workspace.dispose();
    }
    const run = await runTypeScript(source, SCRIPT);
    assert.equal(run.error, undefined, `the TypeScript program threw:\n${run.error}`);
    assert.equal(run.stdout, example.stdout, 'the same lines printed in both languages');
    assert.deepEqual(
      run.trace.filter((e) => e.call === 'rgb.write').map((e) => e.args[0]),
      callsOf(example.trace, 'rgb.write').map((e) => e.args[0]),
      'the same LED colours in both languages',
    );
    assert.equal(
      run.trace.filter((e) => e.call === 'mqtt.ping').length,
      TICKS,
      'one ping per tick in TypeScript',
    );
    assert.equal(run.trace.at(-1)?.call, 'mqtt.disconnect', 'disconnect comes last');
  });
});
