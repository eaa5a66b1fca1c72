/** MicroPython for the board blocks: the OLED, buttons A and B, waiting, light and sound. */
import type * as Blockly from 'blockly';
import { Order, type MicroPythonGenerator } from './generator.ts';

/** Each OLED line is 16 pixels high. */
const LINE_HEIGHT = 16;

export function oled_show_text(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const target = block.getInputTargetBlock('TEXT');
  const value = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  const text = target?.type === 'text' ? value : `str(${value})`;
  const y = (Number(block.getFieldValue('LINE')) - 1) * LINE_HEIGHT;
  return (
    `oled.fill_rect(0, ${y}, 128, ${LINE_HEIGHT}, 0)\n` +
    `oled.DispChar(${text}, 0, ${y})\n` +
    'oled.show()\n'
  );
}

export function oled_clear(): string {
  return 'oled.fill(0)\noled.show()\n';
}

export function board_on_button(block: Blockly.Block, generator: MicroPythonGenerator): null {
  const button = block.getFieldValue('BUTTON') === 'b' ? 'b' : 'a';
  generator.addEventBody(`button_${button}`, block, generator.statementToCode(block, 'DO'));
  return null;
}

export function board_wait(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const ms = generator.valueToCode(block, 'MS', Order.NONE) || '0';
  return `sleep_ms(${/^\d+$/.test(ms) ? ms : `int(${ms})`})\n`;
}

/** mPython's `light` is the light sensor's ADC: `read()` gives 0 (dark) to 4095 (bright). */
export function board_light_level(): [string, Order] {
  return ['light.read()', Order.FUNCTION_CALL];
}

/** mPython's `sound` is the microphone's ADC: `read()` gives 0 (quiet) to 4095 (loud). */
export function board_sound_level(): [string, Order] {
  return ['sound.read()', Order.FUNCTION_CALL];
}
