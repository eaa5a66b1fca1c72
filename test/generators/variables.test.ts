// The generators start with one walk over the blocks (generators/variables.ts) instead of
// Blockly's three; the variables it finds must be Blockly's own, in Blockly's order.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { programVariables } from '../../generators/variables.ts';
import { exampleList } from '../../src/examples/index.ts';
import { buildProgram } from '../parity/program-builder.ts';
import { stack, type BlockJson } from '../support/block-json.ts';

registerBlocks();

/** The variable names and developer variables Blockly and ours find in `state`. */
function bothWays(state: object) {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(state, workspace);
    const ours = programVariables(workspace);
    return {
      ours: { used: ours.used.map((v) => v.getName()), developer: ours.developer },
      blockly: {
        used: Blockly.Variables.allUsedVarModels(workspace).map((v) => v.getName()),
        developer: Blockly.Variables.allDeveloperVariables(workspace),
      },
    };
  } finally {
    workspace.dispose();
  }
}

const withVariables = (blocks: BlockJson[], variables: string[]) => ({
  variables: variables.map((name) => ({ name, id: name })),
  blocks: { languageVersion: 0, blocks },
});

describe('the variables a program uses (one walk)', () => {
  for (const example of exampleList) {
    it(`are Blockly's for the example ${example.name}`, () => {
      const { ours, blockly } = bothWays((example.project as { workspace: object }).workspace);
      assert.deepEqual(ours, blockly);
    });
  }

  it("are Blockly's, in Blockly's order, for 300 random programs", () => {
    let withSome = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { blocks, variables } = buildProgram(seed);
      const { ours, blockly } = bothWays(withVariables(blocks, variables));
      assert.deepEqual(ours, blockly, `program ${seed}`);
      if (ours.used.length > 1) withSome++;
    }
    assert.ok(withSome > 100, `only ${withSome} programs used two variables or more`);
  });

  it('leave out a variable no block uses, and find one only a loop or "change by" uses', () => {
    const uses = (type: string, id: string) => ({ type, fields: { VAR: { id } } });
    const blocks = [
      stack(uses('controls_for', 'i'), uses('math_change', 'total'), uses('text_append', 'words')),
    ];
    const { ours, blockly } = bothWays(withVariables(blocks, ['unused', 'words', 'total', 'i']));
    assert.deepEqual(ours.used, ['i', 'total', 'words']);
    assert.deepEqual(ours, blockly);
  });
});
