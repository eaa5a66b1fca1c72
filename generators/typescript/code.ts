/**
 * TypeScript for the "MicroPython code" blocks: the browser cannot run MicroPython, so the
 * program stops there with a sentence that says so (in both languages), at that block, instead
 * of pretending. The editor warns on the block before Run (src/editor/warnings.ts).
 */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './generator.ts';
import { typescriptString } from './quote.ts';

/** What Run says when it reaches a "MicroPython code" block. */
export const BOARD_ONLY =
  'This MicroPython code runs only on the real board. 这段 MicroPython 代码只能在真正的掌控板上运行。';

export function micropython_code(_block: Blockly.Block, _generator: TypeScriptGenerator): string {
  return `throw new Error(${typescriptString(BOARD_ONLY)});\n`;
}

export function micropython_code_value(
  _block: Blockly.Block,
  _generator: TypeScriptGenerator,
): [string, Order] {
  return [
    `((): never => {\n  throw new Error(${typescriptString(BOARD_ONLY)});\n})()`,
    Order.FUNCTION_CALL,
  ];
}
