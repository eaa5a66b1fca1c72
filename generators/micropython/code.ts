/**
 * MicroPython for the "MicroPython code" blocks: their text, exactly as it was imported (see
 * ./import/), with the import lines and the generator's helpers it uses.
 */
import type * as Blockly from 'blockly';
import { Order, type MicroPythonGenerator } from './index.ts';
import { codeOf, helpersOf, importsOf, isLoose } from '../../src/editor/code-block.ts';

/**
 * The imports and helpers a code block carries, given to the generator as its own blocks give
 * theirs (a helper another block also needs is written once).
 */
function carried(block: Blockly.Block, generator: MicroPythonGenerator): void {
  for (const line of importsOf(block)) generator.addImport(line);
  for (const helper of helpersOf(block)) {
    const name = /^(?:def\s+)?(\w+)/.exec(helper)?.[1];
    if (!name) continue;
    // provideFunction_ reads 2-space steps and writes the generator's indent.
    const code = helper
      .replace(new RegExp(`\\b${name}\\b`), generator.FUNCTION_NAME_PLACEHOLDER_)
      .replace(/^((?: {4})+)/gm, (indent) => '  '.repeat(indent.length / 4));
    generator.provideFunction_(name, code);
  }
}

export function micropython_code(block: Blockly.Block, generator: MicroPythonGenerator): string {
  carried(block, generator);
  return `${codeOf(block)}\n`;
}

export function micropython_code_value(
  block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  carried(block, generator);
  return [codeOf(block), isLoose(block) ? Order.NONE : Order.ATOMIC];
}
