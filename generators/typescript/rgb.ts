/** TypeScript for the RGB LED blocks; the runtime cuts levels to whole numbers in 0–255. */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './index.ts';

function colour(block: Blockly.Block, generator: TypeScriptGenerator): string {
  return ['RED', 'GREEN', 'BLUE']
    .map((name) => generator.valueToCode(block, name, Order.NONE) || '0')
    .join(', ');
}

export function rgb_fill(block: Blockly.Block, generator: TypeScriptGenerator): string {
  return `${generator.use('rgb')}.fill(${colour(block, generator)});\n`;
}

export function rgb_set(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const index = Number(block.getFieldValue('LED'));
  return `${generator.use('rgb')}.set(${index}, ${colour(block, generator)});\n`;
}

export function rgb_off(_block: Blockly.Block, generator: TypeScriptGenerator): string {
  return `${generator.use('rgb')}.fill(0, 0, 0);\n`;
}
