/// <reference types="mocha" />
/// <reference types="vite/client" />
// Opening a big program in view first (`<block-editor>`'s `openProgram`,
// src/editor/open-in-view.ts): the benchmark's 1000-block program is drawn where the child looks
// at once and the rest in idle slices, and in the end every block is exactly as Blockly's own load
// draws it; meanwhile the editor takes no input, and the program that code, saving and Run read
// is always the whole one. Undo after opening works as before. In real Chromium, against an
// editor loaded by Blockly alone (what the studio did before).
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/block-editor.ts';
import '../../src/app/iot-studio.ts';
import type { BlockEditor } from '../../src/app/block-editor.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { piecesOf } from '../../src/editor/open-in-view.ts';
import { loadProjectCopy, parseProject, type Project } from '../../src/project/project-file.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import bigText from '../bench/workspace-1000.json?raw';
import { waitFor } from './wait-for.ts';

registerBlocks();

const big: Project = parseProject(bigText);

let container: HTMLDivElement | undefined;

async function mountEditor(): Promise<BlockEditor> {
  const editor = document.createElement('block-editor');
  editor.style.cssText = 'width: 640px; height: 480px;';
  container!.append(editor);
  await waitFor(() => editor.workspace, 20000, 'workspace');
  return editor;
}

/** An editor with the big program loaded by Blockly alone, all at once (the studio before). */
async function stockEditor(): Promise<BlockEditor> {
  const editor = await mountEditor();
  editor.loadBlocks((workspace) => Blockly.serialization.workspaces.load(big.workspace, workspace));
  return editor;
}

/**
 * How block `block` is drawn, to compare between two workspaces. Its own elements (outline,
 * texts, dropdown arrows) are compared in any order: a piece hung under a block comes after that
 * block's own elements, as a block a child connects by dragging does, where Blockly's load puts
 * the blocks under it first.
 */
function drawn(block: Blockly.BlockSvg) {
  const root = block.getSvgRoot();
  const children = new Set(block.getChildren(false).map((child) => child.getSvgRoot()));
  const own = [...root.children]
    .filter((element) => !children.has(element as SVGGElement))
    // Element ids are made afresh for every block drawn.
    .map((element) => element.outerHTML.replace(/ id="[^"]*"/g, ''))
    .sort();
  return {
    own,
    children: children.size,
    size: block.getHeightWidth(),
    at: block.getRelativeToSurfaceXY(),
    outline: block.pathObject.svgPath.getAttribute('d'),
    transform: root.getAttribute('transform'),
    classes: root.getAttribute('class'),
    style: root.getAttribute('style'),
    label: root.getAttribute('aria-label'),
    role: root.getAttribute('role'),
  };
}

/** Both languages' code for `workspace`. */
function code(workspace: Blockly.Workspace): [string, string] {
  return [generateMicroPython(workspace).code, generateTypeScript(workspace).code];
}

const workspaceHost = (editor: BlockEditor) =>
  editor.querySelector<HTMLDivElement>(':scope > .workspace')!;

describe('opening a big program in view first', function () {
  this.timeout(120000);

  beforeEach(() => {
    container = document.createElement('div');
    container.style.cssText = 'position: fixed; inset: 0; display: flex;';
    document.body.append(container);
  });

  afterEach(() => {
    container?.remove();
    container = undefined;
  });

  it('cuts a stack into pieces that hold every block once, in order', () => {
    const top = (big.workspace.blocks as { blocks: Blockly.serialization.blocks.State[] })
      .blocks[0];
    const pieces = piecesOf(top);
    expect(pieces.length).to.be.greaterThan(10);
    // Hung one under another again, they are the stack.
    const whole = structuredClone(pieces[0]);
    let last = whole;
    for (const piece of pieces.slice(1)) {
      while (last.next?.block) last = last.next.block;
      last.next = { block: structuredClone(piece) };
    }
    expect(whole).to.deep.equal(top);
    // A next block with a shadow stays with its connection.
    const shadowed = {
      type: 'text_print',
      id: 'p0',
      next: { block: top, shadow: { type: 'text_print', id: 'shadow' } },
    };
    expect(piecesOf(shadowed)[0].next?.shadow?.id).to.equal('shadow');
  });

  it('draws what is in view at once, the rest after, and in the end every block as Blockly does', async () => {
    const stock = await stockEditor();
    const editor = await mountEditor();
    const workspace = editor.workspace!;
    editor.openProgram(loadProjectCopy(big), big.workspace);

    // The task that opened it drew the top of the stack, and not everything.
    const drawnAtOnce = workspace.getAllBlocks(false).length;
    expect(drawnAtOnce).to.be.greaterThan(20).and.lessThan(1000);
    expect(workspace.getBlockById('print0')?.rendered).to.equal(true);
    // Editing waits, and assistive technology hears that the workspace is busy.
    expect(editor.opening).to.equal(true);
    expect(editor.hasAttribute('data-opening')).to.equal(true);
    expect(workspaceHost(editor).inert).to.equal(true);
    expect(workspaceHost(editor).getAttribute('aria-busy')).to.equal('true');
    // A pointer over the blocks reaches the editor itself, not Blockly, and shows it is busy.
    const box = editor.getBoundingClientRect();
    const [x, y] = [box.left + 100, box.top + 100];
    expect(document.elementFromPoint(x, y)).to.equal(editor);
    expect(getComputedStyle(editor).cursor).to.equal('progress');

    await waitFor(() => !editor.opening, 60000, 'every block drawn');
    expect(workspaceHost(editor).inert).to.equal(false);
    expect(workspaceHost(editor).hasAttribute('aria-busy')).to.equal(false);
    expect(editor.hasAttribute('data-opening')).to.equal(false);
    expect(editor.program).to.equal(workspace);
    expect(editor.contains(document.elementFromPoint(x, y))).to.equal(true);
    expect(document.elementFromPoint(x, y)).to.not.equal(editor);

    await Blockly.renderManagement.finishQueuedRenders();
    const a = stock.workspace!;
    expect(Blockly.serialization.workspaces.save(workspace)).to.deep.equal(
      Blockly.serialization.workspaces.save(a),
    );
    const blocks = a.getAllBlocks(false);
    expect(blocks.length).to.equal(1000);
    expect(workspace.getAllBlocks(false).length).to.equal(1000);
    for (const block of blocks) {
      expect(drawn(workspace.getBlockById(block.id)!), block.id).to.deep.equal(drawn(block));
    }
    // Each block's connections are where Blockly's own load puts them.
    const connections = (w: Blockly.WorkspaceSvg) =>
      w
        .getAllBlocks(true)
        .flatMap((block) => block.getConnections_(true).map((c) => `${block.id} ${c.x},${c.y}`));
    expect(connections(workspace)).to.deep.equal(connections(a));
    // And tracked, as after Blockly's load: a block dragged near one snaps to it.
    const near = (w: Blockly.WorkspaceSvg, id: string) =>
      w
        .getBlockById(id)!
        .nextConnection!.neighbours(5)
        .map((c) => c.getSourceBlock().id);
    for (const id of ['print0', 'print198']) {
      expect(near(workspace, id), id).to.deep.equal(near(a, id)).and.have.length(1);
    }
    // The last block is as much a block as the first: its code is there, it can be found.
    expect(workspace.getBlockById('b199')?.getFieldValue('NUM')).to.equal(200);
  });

  it('while drawing, the program read for code and saving is the whole one, with today’s code', async () => {
    const stock = await stockEditor();
    const todays = code(stock.workspace!);
    expect(todays[0]).to.include('print(199 + -200)');

    const editor = await mountEditor();
    const codes: string[][] = [];
    editor.addEventListener('program-changed', () => codes.push(code(editor.program!)));
    editor.openProgram(loadProjectCopy(big), big.workspace);
    expect(editor.opening).to.equal(true);
    expect(editor.workspace!.getBlockById('print199')).to.equal(null);
    // Told at once, as before, and what it reads is the whole program.
    expect(codes).to.deep.equal([todays]);
    expect(code(editor.program!)).to.deep.equal(todays);
    expect(Blockly.serialization.workspaces.save(editor.program!)).to.deep.equal(
      Blockly.serialization.workspaces.save(stock.workspace!),
    );

    await waitFor(() => !editor.opening, 60000, 'every block drawn');
    expect(code(editor.program!)).to.deep.equal(todays);
    // Drawing the rest is no change to the program.
    expect(codes).to.have.length(1);
  });

  it('a language switch or a run error while drawing draws the rest at once', async () => {
    const editor = await mountEditor();
    editor.openProgram(loadProjectCopy(big), big.workspace);
    expect(editor.opening).to.equal(true);
    editor.showRunError('print199', 'boom');
    expect(editor.opening).to.equal(false);
    expect(editor.workspace!.getAllBlocks(false).length).to.equal(1000);
    const warning = editor
      .workspace!.getBlockById('print199')!
      .getIcon(Blockly.icons.IconType.WARNING) as Blockly.icons.WarningIcon;
    expect(warning.getText()).to.include('boom');
  });

  it('another program opened while one is drawn replaces it', async () => {
    const editor = await mountEditor();
    editor.openProgram(loadProjectCopy(big), big.workspace);
    const small = parseProject(
      JSON.stringify({
        ...big,
        workspace: { blocks: { languageVersion: 0, blocks: [{ type: 'text_print', id: 'only' }] } },
      }),
    );
    editor.openProgram(loadProjectCopy(small), small.workspace);
    expect(editor.opening).to.equal(false);
    // Whatever the first one had left to draw never comes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(editor.workspace!.getAllBlocks(false).map((block) => block.id)).to.deep.equal(['only']);
  });
});

describe('undo after opening a big program in the studio', function () {
  this.timeout(120000);
  let studio: IotStudio;

  beforeEach(async () => {
    localStorage.clear();
    container = document.createElement('div');
    container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
    studio = document.createElement('iot-studio');
    container.append(studio);
    document.body.append(container);
    await waitFor(() => studio.editor?.workspace, 20000, 'studio ready');
  });

  afterEach(() => {
    container?.remove();
    container = undefined;
    localStorage.clear();
  });

  const undoButton = () =>
    studio.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="undo"]')!;
  const redoButton = () =>
    studio.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="redo"]')!;

  it('opening is no step to undo, and edits after it undo and redo as before', async () => {
    expect(studio.openProject(bigText)).to.equal(null);
    const editor = studio.editor!;
    const workspace = editor.workspace!;
    expect(editor.opening).to.equal(true);
    // Undo while it opens: nothing to undo, nothing happens.
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true }));
    await waitFor(() => !editor.opening, 60000, 'every block drawn');
    await studio.updateComplete;
    expect(workspace.getUndoStack()).to.have.length(0);
    expect(undoButton().disabled).to.equal(true);
    expect(workspace.getAllBlocks(false).length).to.equal(1000);

    // A number in a block drawn in an idle slice, and the last block taken away.
    workspace.getBlockById('a190')!.setFieldValue(5000, 'NUM');
    await waitFor(() => !undoButton().disabled, 10000, 'something to undo');
    const afterEdit = workspace.getUndoStack().length;
    // As the Delete key does it: one undo step.
    workspace.getBlockById('print199')!.checkAndDelete();
    await waitFor(() => workspace.getUndoStack().length > afterEdit, 10000, 'the deletion');
    expect(workspace.getAllBlocks(false).length).to.equal(995);

    undoButton().click();
    expect(workspace.getBlockById('print199')?.getParent()?.id).to.equal('print198');
    undoButton().click();
    expect(workspace.getBlockById('a190')!.getFieldValue('NUM')).to.equal(190);
    expect(workspace.getUndoStack()).to.have.length(0);
    await studio.updateComplete;
    redoButton().click();
    expect(workspace.getBlockById('a190')!.getFieldValue('NUM')).to.equal(5000);
  });
});
