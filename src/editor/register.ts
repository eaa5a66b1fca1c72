/**
 * The one place that registers our blocks with Blockly: messages, the colour field, the three
 * block extensions and the JSON definitions from `blocks/`. Runs in the browser and in Node (the
 * command line generates code headless).
 */
import * as Blockly from 'blockly';
import 'blockly/blocks';
import * as En from 'blockly/msg/en';
import * as ZhHans from 'blockly/msg/zh-hans';
import * as fieldColourModule from '@blockly/field-colour';
import {
  blockDefinitions,
  blocklyWordsEn,
  blocklyWordsZhHans,
  messagesEn,
  messagesZhHans,
} from '../../blocks/index.ts';
import type { Language } from '../i18n/language.ts';
import { newClientId } from './client-id.ts';
import { colourPreviewExtension } from './colour-preview.ts';
import { freshExpiryExtension } from '../onenet/device.ts';
import { defineCodeBlocks } from './code-block.ts';

// The colour plugin ships CommonJS only: Node's ESM loader shows its exports on `default`.
const fieldColour =
  (fieldColourModule as { default?: typeof fieldColourModule }).default ?? fieldColourModule;

let registered = false;

/**
 * Blockly's `getField` walks a generator over every field, and generating code asks it for
 * each field of each block: in a 1000-block program that was a fifth of the time. The same
 * search (the first field with that name, inputs in order) as a plain loop.
 */
function speedUpFieldLookup(): void {
  Blockly.Block.prototype.getField = function (this: Blockly.Block, name: string) {
    if (typeof name !== 'string') throw new TypeError(`getField expects a field name, not ${name}`);
    for (const input of this.inputList) {
      for (const field of input.fieldRow) if (field.name === name) return field;
    }
    return null;
  };
}

/**
 * Blockly 13 updates a field's screen-reader label each time its value is set. A field not drawn
 * yet (every field of a block being loaded, and every field headless) has no element, so
 * `getFocusableElement` throws and Blockly catches it and gives up: building those errors was over
 * half of opening a 1000-block program. The same answer, `false` with nothing changed, without the
 * throw; a field with its own `getFocusableElement` still goes Blockly's way.
 */
function skipLabelsOfUndrawnFields(): void {
  const prototype = Blockly.Field.prototype;
  const recompute = prototype.recomputeAriaContext;
  const focusable = prototype.getFocusableElement;
  prototype.recomputeAriaContext = function (this: Blockly.Field): boolean {
    const undrawn = !(this as unknown as { fieldGroup_: SVGGElement | null }).fieldGroup_;
    if (undrawn && this.getFocusableElement === focusable) return false;
    return recompute.call(this);
  };
}

/**
 * A number or text typed straight into an input of ours (the red of "set all LEDs to") is a
 * shadow block, whose field Blockly reads by its kind: "Edit number: 255". Read by the input's
 * name instead (`ariaLabelText` in blocks/*.json): "Edit red: 255". Worked out each time the
 * label is, so a block moved to another input is read by its new place.
 */
function nameFieldsByTheirInput(): void {
  const prototype = Blockly.Field.prototype;
  const compute = prototype.computeAriaLabel;
  prototype.computeAriaLabel = function (this: Blockly.Field, includeTypeInfo = true): string {
    const block = this.getSourceBlock();
    const input = block?.isSimpleReporter()
      ? block.outputConnection?.targetConnection?.getParentInput()
      : null;
    const name = includeTypeInfo ? input?.getAriaLabelText() : null;
    if (!name) return compute.call(this, includeTypeInfo);
    return `${name}: ${compute.call(this, false)}`;
  };
}

/**
 * Sets Blockly's messages: its own language pack, then the words of it we say differently for
 * children (and the ones its Chinese pack leaves in English), then our blocks' messages on top.
 */
export function setMessages(
  blocklyPack: Record<string, string> = En as unknown as Record<string, string>,
  ours: Record<string, string> = messagesEn,
  words: Record<string, string> = blocklyWordsEn,
): void {
  Blockly.setLocale(blocklyPack);
  Object.assign(Blockly.Msg, words, ours);
}

/** Blockly's own language pack and ours, for each studio language. */
const MESSAGES: Record<
  Language,
  [blockly: Record<string, string>, ours: Record<string, string>, words: Record<string, string>]
> = {
  en: [En as unknown as Record<string, string>, messagesEn, blocklyWordsEn],
  'zh-hans': [ZhHans as unknown as Record<string, string>, messagesZhHans, blocklyWordsZhHans],
};

/**
 * Sets Blockly's messages (its built-in blocks, menus and dialogs, and our blocks, toolbox and
 * warnings) to `language`. Blocks and toolboxes made from then on use them; the block editor
 * re-creates what it already shows.
 */
export function setBlockLanguage(language: Language): void {
  setMessages(...MESSAGES[language]);
}

/** Registers everything our blocks need, once. */
export function registerBlocks(): void {
  if (registered) return;
  registered = true;
  speedUpFieldLookup();
  skipLabelsOfUndrawnFields();
  nameFieldsByTheirInput();
  setMessages();
  fieldColour.registerFieldColour();
  Blockly.Extensions.register('mqtt_unique_client_id', function (this: Blockly.Block) {
    // The flyout's block and every block dragged from it start with a fresh ID; a loaded block
    // gets its saved ID right after this.
    this.setFieldValue(newClientId(), 'CLIENT_ID');
  });
  Blockly.Extensions.register('rgb_colour_preview', colourPreviewExtension);
  Blockly.Extensions.register('onenet_fresh_expiry', freshExpiryExtension);
  Blockly.common.defineBlocks(
    Blockly.common.createBlockDefinitionsFromJsonArray(blockDefinitions as object[]),
  );
  defineCodeBlocks();
}
