/** MicroPython for the RGB LED blocks: `rgb` from `mpython`, shown at once with `rgb.write()`. */
import type * as Blockly from 'blockly';
import { Order, type MicroPythonGenerator } from './generator.ts';

/** One colour channel: a literal 0–255 as it is, anything else made a whole number in range. */
function level(block: Blockly.Block, name: string, generator: MicroPythonGenerator): string {
  const code = generator.valueToCode(block, name, Order.NONE) || '0';
  if (/^\d+$/.test(code) && Number(code) <= 255) return code;
  const helper = generator.provideFunction_('rgb_level', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(value):`,
    '  return max(0, min(255, int(value)))',
  ]);
  return `${helper}(${code})`;
}

function colour(block: Blockly.Block, generator: MicroPythonGenerator): string {
  return ['RED', 'GREEN', 'BLUE'].map((name) => level(block, name, generator)).join(', ');
}

export function rgb_fill(block: Blockly.Block, generator: MicroPythonGenerator): string {
  return `rgb.fill((${colour(block, generator)}))\nrgb.write()\n`;
}

export function rgb_set(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const index = Number(block.getFieldValue('LED'));
  return `rgb[${index}] = (${colour(block, generator)})\nrgb.write()\n`;
}

export function rgb_off(): string {
  return 'rgb.fill((0, 0, 0))\nrgb.write()\n';
}
