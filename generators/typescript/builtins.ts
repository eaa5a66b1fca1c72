/** Blockly's built-in blocks where its JavaScript must change for our runtime. */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './index.ts';

/** `print` goes to the console panel (Blockly's JavaScript would open an alert). */
export function text_print(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const value = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return `${generator.use('print')}(${value});\n`;
}
