/**
 * MicroPython for the "MicroPython code" blocks: their text, exactly as it was imported (see
 * ./import/), with the import lines and the generator's helpers it uses.
 */
import type * as Blockly from 'blockly';
import { Order, type MicroPythonGenerator } from './generator.ts';
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

/**
 * The block's text with the program's variables under their names in main.py: a variable a child
 * named `计数` is `_E8_AE_A1_E6_95_B0` there (see ./quote.ts), and code written by hand says `计数`.
 */
function withVariableNames(block: Blockly.Block, generator: MicroPythonGenerator): string {
  let text = codeOf(block);
  for (const variable of block.workspace.getVariableMap().getAllVariables()) {
    const name = variable.getName();
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !text.includes(name)) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const word = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'gu');
    text = text.replace(word, generator.getVariableName(variable.getId()));
  }
  return text;
}

export function micropython_code(block: Blockly.Block, generator: MicroPythonGenerator): string {
  carried(block, generator);
  return `${withVariableNames(block, generator)}\n`;
}

export function micropython_code_value(
  block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  carried(block, generator);
  return [withVariableNames(block, generator), isLoose(block) ? Order.NONE : Order.ATOMIC];
}
