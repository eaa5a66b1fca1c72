/**
 * Keeps an RGB block's colour swatch and its red, green and blue numbers in step: picking a
 * colour sets the numbers, typing a number recolours the swatch. Inputs that are not plain
 * numbers (a variable, a sum) leave the swatch as it was.
 */
import * as Blockly from 'blockly';
import { toLevel } from '../board/board-state.ts';

const CHANNELS = ['RED', 'GREEN', 'BLUE'] as const;

function toHex(levels: number[]): string {
  return '#' + levels.map((n) => toLevel(n).toString(16).padStart(2, '0')).join('');
}

function literalLevels(block: Blockly.Block): number[] | null {
  const levels = CHANNELS.map((name) => {
    const child = block.getInputTargetBlock(name);
    return child?.type === 'math_number' ? Number(child.getFieldValue('NUM')) : NaN;
  });
  return levels.every(Number.isFinite) ? levels : null;
}

function sync(block: Blockly.Block, event: Blockly.Events.Abstract): void {
  if (!(event instanceof Blockly.Events.BlockChange) || event.element !== 'field') return;
  if (event.blockId === block.id && event.name === 'PREVIEW') {
    const hex = String(block.getFieldValue('PREVIEW'));
    CHANNELS.forEach((name, i) => {
      const child = block.getInputTargetBlock(name);
      const level = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
      if (child?.type === 'math_number' && Number(child.getFieldValue('NUM')) !== level) {
        child.setFieldValue(level, 'NUM');
      }
    });
    return;
  }
  const children = CHANNELS.map((name) => block.getInputTargetBlock(name)?.id);
  if (!children.includes(event.blockId)) return;
  const levels = literalLevels(block);
  if (levels && toHex(levels) !== block.getFieldValue('PREVIEW')) {
    block.setFieldValue(toHex(levels), 'PREVIEW');
  }
}

/** Block extension `rgb_colour_preview`. */
export function colourPreviewExtension(this: Blockly.Block): void {
  this.setOnChange((event) => sync(this, event));
}
