/** TypeScript for the board blocks: the OLED, buttons A and B, waiting, light and sound. */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './generator.ts';
import { pythonInt, textInput } from './builtins.ts';

export function oled_show_text(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const text = textInput(block, 'TEXT', generator);
  return `${generator.use('oled')}.showText(${text}, ${Number(block.getFieldValue('LINE'))});\n`;
}

export function oled_clear(_block: Blockly.Block, generator: TypeScriptGenerator): string {
  return `${generator.use('oled')}.clear();\n`;
}

export function board_on_button(block: Blockly.Block, generator: TypeScriptGenerator): null {
  const kind = block.getFieldValue('BUTTON') === 'b' ? 'button_b' : 'button_a';
  generator.addEventBody(kind, block, generator.statementToCode(block, 'DO'));
  return null;
}

/** `wait` as the board's `sleep_ms(int(ms))`: NaN or infinity raises there (see `pythonInt`). */
export function board_wait(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const ms = generator.valueToCode(block, 'MS', Order.NONE) || '0';
  return `await ${generator.use('sleep')}(${/^\d+$/.test(ms) ? ms : pythonInt(generator, ms)});\n`;
}

export function board_light_level(
  _block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  return [`${generator.use('sensors')}.light()`, Order.FUNCTION_CALL];
}

export function board_sound_level(
  _block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  return [`${generator.use('sensors')}.sound()`, Order.FUNCTION_CALL];
}
