import '../../src/cli/headless-dom.ts';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';

/** Waits until Blockly has fired its queued events (it fires them on a timer). */
const eventsFired = () => new Promise((resolve) => setTimeout(resolve, 0));

function rgbFill(workspace: Blockly.Workspace, red: number, green: number, blue: number) {
  const level = (n: number) => ({ shadow: { type: 'math_number', fields: { NUM: n } } });
  return Blockly.serialization.blocks.append(
    { type: 'rgb_fill', inputs: { RED: level(red), GREEN: level(green), BLUE: level(blue) } },
    workspace,
  );
}

const levels = (block: Blockly.Block) =>
  ['RED', 'GREEN', 'BLUE'].map((name) => block.getInputTargetBlock(name)!.getFieldValue('NUM'));

describe('RGB colour swatch', () => {
  before(registerBlocks);

  it('typing a number recolours the swatch', async () => {
    const workspace = new Blockly.Workspace();
    const block = rgbFill(workspace, 0, 0, 0);
    block.getInputTargetBlock('RED')!.setFieldValue(50, 'NUM');
    await eventsFired();
    assert.equal(block.getFieldValue('PREVIEW'), '#320000');
  });

  it('picking a colour sets the three numbers', async () => {
    const workspace = new Blockly.Workspace();
    const block = rgbFill(workspace, 0, 0, 0);
    block.setFieldValue('#ff9900', 'PREVIEW');
    await eventsFired();
    assert.deepEqual(levels(block), [255, 153, 0]);
  });

  it('a level from a variable leaves the swatch alone', async () => {
    const workspace = new Blockly.Workspace();
    const block = rgbFill(workspace, 10, 20, 30);
    const variable = workspace.newBlock('variables_get');
    block.getInput('GREEN')!.connection!.connect(variable.outputConnection!);
    const before = block.getFieldValue('PREVIEW');
    block.getInputTargetBlock('RED')!.setFieldValue(99, 'NUM');
    await eventsFired();
    assert.equal(block.getFieldValue('PREVIEW'), before);
  });
});
