// Proves the Node pipeline: a .ts test run through tsx, with Blockly headless (its jsdom build).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { pythonGenerator } from 'blockly/python';

const printHello = {
  type: 'text_print',
  inputs: { TEXT: { block: { type: 'text', fields: { TEXT: 'hello' } } } },
};

describe('node test pipeline', () => {
  it('round-trips a text_print block through JSON serialization', () => {
    const workspace = new Blockly.Workspace();
    try {
      Blockly.serialization.workspaces.load({ blocks: { blocks: [printHello] } }, workspace);
      const saved = Blockly.serialization.workspaces.save(workspace);

      const copy = new Blockly.Workspace();
      try {
        Blockly.serialization.workspaces.load(saved, copy);
        assert.deepEqual(Blockly.serialization.workspaces.save(copy), saved);
        assert.deepEqual(
          copy.getAllBlocks(true).map((block) => block.type),
          ['text_print', 'text'],
        );
      } finally {
        copy.dispose();
      }
    } finally {
      workspace.dispose();
    }
  });

  it('generates Python for it headless', () => {
    const workspace = new Blockly.Workspace();
    try {
      Blockly.serialization.blocks.append(printHello, workspace);
      assert.equal(pythonGenerator.workspaceToCode(workspace), "print('hello')\n");
    } finally {
      workspace.dispose();
    }
  });
});
