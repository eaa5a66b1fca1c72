/** TypeScript for the RGB LED blocks; the runtime cuts levels to whole numbers in 0–255. */
import * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './generator.ts';
import { pythonInt } from './builtins.ts';

/**
 * One colour level: a number typed in the block as it is, anything else made whole as the
 * board's `rgb_level()` does with `int()`, which raises for NaN and infinity (the runtime alone
 * would show them as 0 and 255).
 */
function level(block: Blockly.Block, name: string, generator: TypeScriptGenerator): string {
  const code = generator.valueToCode(block, name, Order.NONE) || '0';
  return Blockly.utils.string.isNumber(code) ? code : pythonInt(generator, code);
}

function colour(block: Blockly.Block, generator: TypeScriptGenerator): string {
  return ['RED', 'GREEN', 'BLUE'].map((name) => level(block, name, generator)).join(', ');
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
