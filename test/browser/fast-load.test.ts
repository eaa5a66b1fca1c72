/// <reference types="mocha" />
// Opening a project the quick way (`<block-editor>`'s `loadBlocks`, src/editor/fast-load.ts)
// gives exactly what Blockly's own load gives: the same program back from serialization, and
// every block drawn the same (size, place, outline, classes): disabled blocks and the blocks
// inside them look disabled, collapsed blocks are collapsed, comments are there. In real Chromium,
// two editors side by side: one loaded by Blockly alone, one the quick way.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/block-editor.ts';
import type { BlockEditor } from '../../src/app/block-editor.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { blocklyUpdateSize } from '../../src/editor/renderer.ts';
import { exampleList } from '../../src/examples/index.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

const DISABLED = { disabledReasons: [Blockly.constants.MANUALLY_DISABLED] };
const number = (id: string, value: number) => ({
  block: { type: 'math_number', id, fields: { NUM: value } },
});
const print = (id: string, text: object, next?: object, extra: object = {}) => ({
  block: { type: 'text_print', id, inputs: { TEXT: text }, ...(next ? { next } : {}), ...extra },
});

/** A long chain of prints, `count` deep, each printing `n + -n`: depth, as in a big program. */
function chain(count: number, index = 0): object | undefined {
  if (index === count) return undefined;
  const sum = {
    block: {
      type: 'math_arithmetic',
      id: `add${index}`,
      fields: { OP: 'ADD' },
      inputs: {
        A: number(`a${index}`, index),
        B: {
          block: {
            type: 'math_single',
            id: `neg${index}`,
            fields: { OP: 'NEG' },
            inputs: { NUM: number(`b${index}`, index + 1) },
          },
        },
      },
    },
  };
  return print(`print${index}`, sum, chain(count, index + 1));
}

/** Disabled, collapsed, commented and nested blocks, a workspace comment and a deep chain. */
const state = {
  blocks: {
    languageVersion: 0,
    blocks: [
      {
        type: 'controls_repeat_ext',
        id: 'loop',
        x: 40,
        y: 30,
        ...DISABLED,
        inputs: {
          TIMES: number('times', 3),
          DO: print(
            'inner',
            { block: { type: 'text', id: 'hello', fields: { TEXT: 'hello 你好' } } },
            print('folded', number('seven', 7), undefined, { collapsed: true }),
          ),
        },
        next: print('after', number('one', 1), undefined, {
          icons: { comment: { text: 'says one', pinned: true, height: 80, width: 160 } },
        }),
      },
      {
        type: 'controls_if',
        id: 'if',
        x: 420,
        y: 30,
        collapsed: true,
        icons: { comment: { text: 'folded away', pinned: false, height: 80, width: 160 } },
        inputs: {
          IF0: { block: { type: 'logic_boolean', id: 'yes', fields: { BOOL: 'TRUE' } } },
          DO0: print('quiet', number('two', 2), undefined, DISABLED),
        },
      },
      { ...(chain(40) as { block: object }).block, x: 40, y: 400 },
    ],
  },
  workspaceComments: [{ id: 'note', text: 'a note', x: 600, y: 300, width: 200, height: 100 }],
};

let container: HTMLDivElement | undefined;

async function mountEditor(): Promise<BlockEditor> {
  const editor = document.createElement('block-editor');
  editor.style.cssText = 'width: 640px; height: 480px;';
  container!.append(editor);
  await waitFor(() => editor.workspace, 20000, 'workspace');
  return editor;
}

/** How block `block` is drawn, to compare between two workspaces. */
function drawn(block: Blockly.BlockSvg) {
  const root = block.getSvgRoot();
  return {
    size: block.getHeightWidth(),
    at: block.getRelativeToSurfaceXY(),
    outline: block.pathObject.svgPath.getAttribute('d'),
    classes: root.getAttribute('class'),
    collapsed: block.isCollapsed(),
    enabled: block.isEnabled(),
    inheritedDisabled: block.getInheritedDisabled(),
    text: root.textContent,
    comment: block.getCommentText(),
  };
}

describe('opening a project the quick way', function () {
  this.timeout(60000);

  beforeEach(() => {
    container = document.createElement('div');
    container.style.cssText = 'position: fixed; inset: 0; display: flex;';
    document.body.append(container);
  });

  afterEach(() => {
    container?.remove();
    container = undefined;
  });

  it('gives the same blocks, drawn the same, as Blockly loading them itself', async () => {
    const [stock, quick] = [await mountEditor(), await mountEditor()];
    // The quick one first: nothing measured before may help it.
    quick.loadBlocks((workspace) => Blockly.serialization.workspaces.load(state, workspace));
    Blockly.serialization.workspaces.load(state, stock.workspace!);
    const [a, b] = [stock.workspace!, quick.workspace!];
    // The chain is a loose stack (the collapsed `if` above it is the program), so the editor
    // warns on it: at once after a quick load, a frame after Blockly's load (its events).
    const warned = (workspace: Blockly.WorkspaceSvg) =>
      workspace
        .getAllBlocks(false)
        .filter((block) => block.getIcon(Blockly.icons.IconType.WARNING))
        .map((block) => block.id);
    expect(warned(b)).to.deep.equal(['print0']);
    await waitFor(() => warned(a).length > 0, 10000, 'the warning after Blockly’s own load');
    expect(warned(a)).to.deep.equal(['print0']);
    await Blockly.renderManagement.finishQueuedRenders();

    expect(Blockly.serialization.workspaces.save(b)).to.deep.equal(
      Blockly.serialization.workspaces.save(a),
    );
    const blocks = a.getAllBlocks(false);
    expect(blocks.length).to.equal(b.getAllBlocks(false).length).and.be.greaterThan(200);
    for (const block of blocks) {
      expect(drawn(b.getBlockById(block.id)!), block.id).to.deep.equal(drawn(block));
    }
    expect(b.getTopComments().map((comment) => comment.getText())).to.deep.equal(['a note']);
    // The workspace is shown again.
    expect(getComputedStyle(b.getParentSvg()).display).to.not.equal('none');
  });

  it("sizes every field's text as Blockly's own measure (computed style) does", async () => {
    const editor = await mountEditor();
    const workspace = editor.workspace!;
    let fields = 0;
    for (const project of [
      state,
      ...exampleList.map((e) => (e.project as { workspace: object }).workspace),
    ]) {
      editor.loadBlocks((ws) => Blockly.serialization.workspaces.load(project, ws));
      for (const block of workspace.getAllBlocks(false)) {
        for (const field of block.inputList.flatMap((input) => input.fieldRow)) {
          const sized = field as unknown as {
            textElement_: SVGTextElement | null;
            size_: Blockly.utils.Size;
          };
          if (!sized.textElement_ || !field.isVisible()) continue;
          const ours = field.getSize();
          blocklyUpdateSize.call(field as never);
          const blocklys = sized.size_;
          expect(
            { width: ours.width, height: ours.height },
            `${block.type} ${field.name} "${field.getText()}"`,
          ).to.deep.equal({ width: blocklys.width, height: blocklys.height });
          fields++;
        }
      }
    }
    expect(fields).to.be.greaterThan(300);
  });

  it('draws a disabled block and the blocks inside it disabled', async () => {
    const editor = await mountEditor();
    editor.loadBlocks((workspace) => Blockly.serialization.workspaces.load(state, workspace));
    const workspace = editor.workspace!;
    for (const id of ['loop', 'inner', 'hello', 'folded', 'quiet']) {
      const block = workspace.getBlockById(id)!;
      expect(block.getSvgRoot().classList.contains('blocklyDisabledPattern'), id).to.equal(true);
      expect(getComputedStyle(block.pathObject.svgPath).fillOpacity, id).to.equal('0.5');
    }
    for (const id of ['after', 'if', 'print0', 'print39']) {
      const block = workspace.getBlockById(id)!;
      expect(block.getSvgRoot().classList.contains('blocklyDisabledPattern'), id).to.equal(false);
    }
    expect(workspace.getBlockById('folded')!.isCollapsed()).to.equal(true);
    expect(workspace.getBlockById('after')!.getCommentText()).to.equal('says one');
  });
});
