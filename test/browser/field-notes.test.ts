/// <reference types="mocha" />
// A number field says what it did with what a child typed (src/editor/field-notes.ts): letters
// are refused with a note, a fraction in a whole-number field is rounded with a note, and a
// colour level outside 0–255 is noted at once; a number kept as typed gets no note. In real
// Chromium, typing into Blockly's own field editor, in English and Chinese.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/block-editor.ts';
import type { BlockEditor } from '../../src/app/block-editor.ts';
import { correctionOf } from '../../src/editor/field-notes.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

let editor: BlockEditor;

before(async () => {
  editor = document.createElement('block-editor');
  editor.style.cssText = 'position: fixed; inset: 0; width: 1000px; height: 700px;';
  document.body.append(editor);
  await waitFor(() => editor.workspace, 20000, 'workspace');
});

after(() => {
  editor.remove();
  setLanguage('en');
});

/** A fresh connect block and RGB block, drawn; returns their number fields. */
function fields(): { port: Blockly.Field; red: Blockly.Field; period: Blockly.Field } {
  const workspace = editor.workspace!;
  workspace.clear();
  const state = {
    blocks: [
      { type: 'mqtt_connect', x: 20, y: 20 },
      {
        type: 'rgb_fill',
        x: 20,
        y: 200,
        inputs: {
          RED: { shadow: { type: 'math_number', fields: { NUM: 50 } } },
          GREEN: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
          BLUE: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
        },
      },
      { type: 'mqtt_keep_alive', x: 20, y: 350 },
    ],
  };
  Blockly.serialization.workspaces.load({ blocks: { languageVersion: 0, ...state } }, workspace);
  const [connect] = workspace.getBlocksByType('mqtt_connect', false);
  const [rgb] = workspace.getBlocksByType('rgb_fill', false);
  const [keep] = workspace.getBlocksByType('mqtt_keep_alive', false);
  return {
    port: connect.getField('PORT')!,
    red: rgb.getInputTargetBlock('RED')!.getField('NUM')!,
    period: keep.getField('PERIOD')!,
  };
}

/** Types `text` into `field`'s editor as a keyboard would fill it, then closes it with Enter. */
async function type(field: Blockly.Field, text: string): Promise<void> {
  field.showEditor();
  const input = await waitFor(() =>
    document.querySelector<HTMLInputElement>('.blocklyWidgetDiv input.blocklyHtmlInput'),
  );
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

const noteText = () => document.querySelector('.field-note')?.textContent ?? '';

function clearNote(): void {
  // A press anywhere takes a note away.
  dispatchEvent(new PointerEvent('pointerdown'));
  expect(document.querySelector('.field-note')).to.equal(null);
}

describe('number fields say what they corrected', () => {
  it('letters are refused with a note, and the number stays what it was', async () => {
    const { port } = fields();
    await type(port, '18a3');
    expect(noteText()).to.equal('Only numbers go here.');
    expect(document.querySelector('.field-note')!.getAttribute('role')).to.equal('status');
    expect(port.getValue()).to.equal(1883);
    clearNote();
  });

  it('a fraction in a whole-number field is rounded, and says to what', async () => {
    const { period } = fields();
    await type(period, '2500.6');
    expect(noteText()).to.equal('Whole numbers only here: it becomes 2501.');
    expect(period.getValue()).to.equal(2501);
    clearNote();
  });

  it('a colour level above 255 is noted at once', async () => {
    const { red } = fields();
    await type(red, '300');
    expect(noteText()).to.equal('Colours go from 0 to 255.');
    clearNote();
  });

  it('a number kept as typed gets no note', async () => {
    const { red, port } = fields();
    await type(red, '120');
    await type(port, '1884');
    expect(document.querySelector('.field-note')).to.equal(null);
    expect(port.getValue()).to.equal(1884);
  });

  it('speaks Chinese in the Chinese studio', async () => {
    setLanguage('zh-hans');
    await waitFor(() => editor.workspace);
    const { port } = fields();
    await type(port, 'abc');
    expect(noteText()).to.equal('这里只能填数字。');
    clearNote();
    setLanguage('en');
  });
});

describe('correctionOf', () => {
  it('tells a refusal, a rounding and a limit apart, and ignores what was kept', () => {
    expect(correctionOf('12a', null)).to.deep.equal({ key: 'FIELD_NOTE_NUMBERS_ONLY' });
    expect(correctionOf('2.5', 3)).to.deep.equal({ key: 'FIELD_NOTE_ROUNDED', value: '3' });
    expect(correctionOf('300', 255)).to.deep.equal({ key: 'FIELD_NOTE_LIMITED', value: '255' });
    expect(correctionOf('1,000', 1000)).to.equal(null);
    expect(correctionOf(' 7 ', 7)).to.equal(null);
    expect(correctionOf('-', 0)).to.equal(null);
    expect(correctionOf(7, 7)).to.equal(null);
  });
});
