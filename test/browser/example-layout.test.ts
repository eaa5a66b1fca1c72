/// <reference types="mocha" />
// Every example, opened in the real block editor, in English and in Chinese: its stacks of
// blocks sit apart (none overlaps another, with room between them), start at the top left, and
// the main stack is as wide as the workspace of a 1024-pixel-wide studio shows without scrolling.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/block-editor.ts';
import type { BlockEditor } from '../../src/app/block-editor.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { exampleList, exampleText } from '../../src/examples/index.ts';
import { language, setLanguage, type Language } from '../../src/i18n/language.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

/** The least room, in workspace units, between two stacks. */
const GAP = 16;
/**
 * The widest a stack may be: at 1024 pixels the studio gives the workspace about 600 pixels,
 * less Blockly's toolbox (about 110) and its scrollbar; at the editor's start scale of 0.9 that
 * is about 520 workspace units.
 */
const MAX_WIDTH = 520;

let editor: BlockEditor;
let before: Language;

beforeEach(async () => {
  before = language();
  editor = document.createElement('block-editor');
  editor.style.cssText = 'display: block; width: 1000px; height: 700px;';
  document.body.append(editor);
  await waitFor(() => editor.workspace, 20000, 'the workspace');
});

afterEach(() => {
  editor.remove();
  setLanguage(before);
});

/** Each top block's box in workspace units, after opening `name`. */
function stacks(name: string): { id: string; box: Blockly.utils.Rect }[] {
  const workspace = editor.workspace!;
  workspace.clear();
  loadProject(workspace, parseProject(exampleText(name)!));
  return workspace.getTopBlocks(true).map((block) => ({
    id: block.id,
    box: block.getBoundingRectangle(),
  }));
}

function overlaps(a: Blockly.utils.Rect, b: Blockly.utils.Rect): boolean {
  return (
    a.left < b.right + GAP &&
    b.left < a.right + GAP &&
    a.top < b.bottom + GAP &&
    b.top < a.bottom + GAP
  );
}

for (const lang of ['en', 'zh-hans'] as const) {
  describe(`example layout (${lang})`, () => {
    for (const { name } of exampleList) {
      it(`${name}: stacks apart, from the top left, none too wide`, async () => {
        setLanguage(lang);
        await editor.updateComplete;
        const found = stacks(name);
        expect(found.length).to.be.greaterThan(0);
        const described = found.map(
          ({ id, box }) =>
            `${id} (${Math.round(box.left)}, ${Math.round(box.top)})–(${Math.round(box.right)}, ${Math.round(box.bottom)})`,
        );
        for (const [i, a] of found.entries()) {
          expect(a.box.left, described[i]).to.be.at.least(0);
          expect(a.box.top, described[i]).to.be.at.least(0);
          expect(a.box.right - a.box.left, described[i]).to.be.at.most(MAX_WIDTH);
          for (const b of found.slice(i + 1)) {
            expect(overlaps(a.box, b.box), described.join('\n')).to.equal(false);
          }
        }
        const top = Math.min(...found.map(({ box }) => box.top));
        const left = Math.min(...found.map(({ box }) => box.left));
        expect([left, top], 'the first stack sits at the top left').to.deep.equal([20, 20]);
      });
    }
  });
}
