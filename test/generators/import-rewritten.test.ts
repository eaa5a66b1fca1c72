// Rewritten programs: the parity builder's programs, reformatted the way people write them (other
// names for the client and the handlers, `while 1`, no spaces after commas, a timer object,
// comments), import to blocks whose program does the same on the real MicroPython interpreter as
// the original: the same board and MQTT effects, event by event (test/parity/trace.ts).
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { importMicroPython } from '../../generators/micropython/import/index.ts';
import { runOnBoard } from '../support/micropython-board.ts';
import { buildProgram } from '../parity/program-builder.ts';
import { generateBoth } from '../parity/harness.ts';
import { boardEffects, compare } from '../parity/trace.ts';

registerBlocks();

/** `source` as a person might have written it. */
export function rewrite(source: string): string {
  let step = 0;
  return source
    .replace(/\bmqtt_client\b/g, 'client')
    .replace(/\bon_message\b/g, 'sub_cb')
    .replace(/\bon_button_([ab])\b/g, 'pressed_$1')
    .replace(/^(\s*)while True:$/gm, '$1while 1:')
    .replace(
      /^(\s*)rgb(\.fill\(|\[)(.*)$/gm,
      (_, indent, call, rest) => `${indent}rgb${call}${rest.replace(/, /g, ',')}`,
    )
    .replace(
      /^Timer\((\d+)\)\.init\((.*)\)$/gm,
      (_, n, args) => `tim${n} = Timer(${n})  # a timer for the keep-alive\ntim${n}.init(${args})`,
    )
    .split('\n')
    .flatMap((line) => {
      const indent = /^\s*/.exec(line)![0];
      if (!line.trim() || ++step % 4) return [line];
      return [`${indent}# step ${step}`, line];
    })
    .join('\n');
}

describe('import: rewritten programs behave as the originals on the real interpreter', () => {
  const cases: number[] = [];
  for (let seed = 1; cases.length < 40; seed++) {
    const parityCase = buildProgram(seed);
    if (JSON.stringify(parityCase.blocks).includes('"onenet_')) continue;
    cases.push(seed);
  }
  for (const seed of cases) {
    it(`parity program ${seed}`, async () => {
      const parityCase = buildProgram(seed);
      const original = generateBoth(parityCase).python;
      const rewritten = rewrite(original);
      assert.notEqual(rewritten, original);
      const imported = importMicroPython(rewritten);
      const workspace = new Blockly.Workspace();
      let code: string;
      try {
        Blockly.serialization.workspaces.load(imported.workspace, workspace);
        code = generateMicroPython(workspace).code;
      } finally {
        workspace.dispose();
      }
      const limits = { recordPrints: true, timeoutMs: 20_000 };
      const before = await runOnBoard(original, parityCase.script, limits, parityCase.readings);
      const after = await runOnBoard(code, parityCase.script, limits, parityCase.readings);
      const { difference } = compare(boardEffects(before), boardEffects(after));
      assert.equal(difference, null, `rewritten:\n${rewritten}\nimported and generated:\n${code}`);
    });
  }
});
