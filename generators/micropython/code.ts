/**
 * MicroPython for the "MicroPython code" blocks: their text, exactly as it was imported (see
 * ./import/), and the import lines it uses, collected at the top like every other import.
 */
import type * as Blockly from 'blockly';
import { Order, type MicroPythonGenerator } from './index.ts';
import { codeOf, importsOf } from '../../src/editor/code-block.ts';

export function micropython_code(block: Blockly.Block, generator: MicroPythonGenerator): string {
  for (const line of importsOf(block)) generator.addImport(line);
  return `${codeOf(block)}\n`;
}

export function micropython_code_value(
  block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  for (const line of importsOf(block)) generator.addImport(line);
  return [codeOf(block), Order.ATOMIC];
}
