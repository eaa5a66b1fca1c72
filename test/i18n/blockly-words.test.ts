// Blockly's own words as a child reads them: every word we re-say exists in Blockly with the same
// %N placeholders, and in Chinese nothing of Blockly's that the toolbox, the context menu or a
// screen reader shows is left in English or in words a child does not know ("断言", "外部输入").
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import * as BlocklyEn from 'blockly/msg/en';
import { blocklyWordsEn, blocklyWordsZhHans, ourBlockTypes, toolbox } from '../../blocks/index.ts';
import { registerBlocks, setBlockLanguage } from '../../src/editor/register.ts';

registerBlocks();
after(() => setBlockLanguage('en'));

const blocklyEn = BlocklyEn as unknown as Record<string, string>;
const placeholders = (text: string) => [...new Set(text.match(/%\d+/g) ?? [])].sort();

interface ToolboxItem {
  kind: string;
  type?: string;
  contents?: ToolboxItem[];
}

/** The types of Blockly's own blocks in the toolbox. */
function builtInToolboxTypes(): string[] {
  const types: string[] = [];
  const walk = (items: ToolboxItem[]) => {
    for (const item of items) {
      if (item.kind === 'block' && item.type && !ourBlockTypes.includes(item.type)) {
        types.push(item.type);
      }
      walk(item.contents ?? []);
    }
  };
  walk((toolbox as { contents: ToolboxItem[] }).contents);
  return [...new Set(types)];
}

/** Every text a child sees on a block: labels, dropdown options, the tooltip. */
function textsOf(block: Blockly.Block): string[] {
  const texts = [String(block.getTooltip())];
  for (const input of block.inputList) {
    for (const field of input.fieldRow) {
      if (field instanceof Blockly.FieldDropdown) {
        for (const [label] of field.getOptions(false))
          if (typeof label === 'string') texts.push(label);
      } else if (!(field instanceof Blockly.FieldVariable)) {
        texts.push(field.getText());
      }
    }
  }
  return texts;
}

/** Latin words in a Chinese text, except key names (Shift, Esc) and maths names (sin, ln, log10, e^, sqrt…). */
const MATHS = new Set([
  'Shift',
  'Esc',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'ln',
  'log',
  'sqrt',
  'e',
]);
const englishWords = (text: string) =>
  (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !MATHS.has(word));

/** The menu and screen-reader words a child meets around the blocks. */
const AROUND_THE_BLOCKS = [
  'EXTERNAL_INPUTS',
  'INLINE_INPUTS',
  'COLLAPSE_BLOCK',
  'EXPAND_BLOCK',
  'DISABLE_BLOCK',
  'ENABLE_BLOCK',
  'DELETE_BLOCK',
  'DELETE_X_BLOCKS',
  'CLEAN_UP',
  'COLLAPSE_ALL',
  'EXPAND_ALL',
  'ZOOM_IN',
  'ZOOM_OUT',
  'RESET_ZOOM',
  'OPEN_TRASH',
  'WORKSPACE_SEARCH_PLACEHOLDER',
  'WORKSPACE_SEARCH_INPUT_LABEL',
  'CURRENT_BLOCK_ANNOUNCEMENT',
  'FIELD_LABEL_EMPTY',
  'ARIA_TYPE_FIELD_NUMBER',
  'ARIA_TYPE_FIELD_TEXT_INPUT',
  'ARIA_TYPE_FIELD_DROPDOWN',
  'ANNOUNCE_MOVE_TO',
  'ANNOUNCE_MOVE_CANCELED',
];

describe("Blockly's words for children", () => {
  for (const [language, words] of Object.entries({ en: blocklyWordsEn, zh: blocklyWordsZhHans })) {
    it(`${language}: every word is one of Blockly's, with its placeholders`, () => {
      for (const [key, text] of Object.entries(words as Record<string, string>)) {
        assert.ok(key in blocklyEn, `${key} is not a Blockly message`);
        assert.deepEqual(placeholders(text), placeholders(blocklyEn[key]), key);
        assert.ok(text.trim() !== '', key);
      }
    });
  }

  it('are what Blockly says once the studio speaks the language', () => {
    setBlockLanguage('zh-hans');
    assert.equal(Blockly.Msg.LOGIC_TERNARY_CONDITION, blocklyWordsZhHans.LOGIC_TERNARY_CONDITION);
    setBlockLanguage('en');
    assert.equal(Blockly.Msg.COLLAPSE_BLOCK, blocklyWordsEn.COLLAPSE_BLOCK);
  });

  it('zh: the toolbox’s Blockly blocks, the menus and the screen-reader words are Chinese', () => {
    setBlockLanguage('zh-hans');
    const workspace = new Blockly.Workspace();
    try {
      const types = builtInToolboxTypes();
      assert.ok(types.includes('logic_ternary') && types.includes('logic_boolean'));
      const problems: string[] = [];
      for (const type of types) {
        for (const text of textsOf(workspace.newBlock(type))) {
          const english = englishWords(text);
          if (english.length > 0) problems.push(`${type}: "${text}" (${english.join(', ')})`);
        }
      }
      for (const key of AROUND_THE_BLOCKS) {
        const text = Blockly.Msg[key];
        if (englishWords(text).length > 0) problems.push(`${key}: "${text}"`);
      }
      for (const hard of ['断言', '外部输入', '折叠块', '禁用块', '可整除被']) {
        for (const key of AROUND_THE_BLOCKS) {
          if (Blockly.Msg[key].includes(hard)) problems.push(`${key}: ${hard}`);
        }
        for (const type of types) {
          for (const text of textsOf(workspace.newBlock(type))) {
            if (text.includes(hard)) problems.push(`${type}: ${hard}`);
          }
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      workspace.dispose();
      setBlockLanguage('en');
    }
  });
});
