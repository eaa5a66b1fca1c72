/// <reference types="mocha" />
// Proves the browser pipeline: a .ts test served by Vite, Blockly's ESM build, chai, Chromium.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';

describe('browser test pipeline', () => {
  let div: HTMLDivElement;
  let workspace: Blockly.WorkspaceSvg;

  beforeEach(() => {
    div = document.createElement('div');
    div.style.width = '600px';
    div.style.height = '400px';
    document.body.append(div);
    workspace = Blockly.inject(div, { sounds: false });
  });

  afterEach(() => {
    workspace.dispose();
    div.remove();
  });

  it('injects a toolbox-less workspace and renders a block loaded from JSON', () => {
    expect(workspace.getToolbox()).to.equal(null);
    expect(workspace.getFlyout()).to.equal(null);

    const block = Blockly.serialization.blocks.append(
      {
        type: 'text_print',
        inputs: {
          TEXT: { block: { type: 'text', fields: { TEXT: 'hello' } } },
        },
      },
      workspace,
    );

    expect(workspace.getAllBlocks(false).map((b) => b.type)).to.have.members([
      'text_print',
      'text',
    ]);
    expect(block.getInputTargetBlock('TEXT')?.getFieldValue('TEXT')).to.equal('hello');
    expect(div.querySelector('svg.blocklySvg')).to.not.equal(null);
  });
});
