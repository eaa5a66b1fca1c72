/** MicroPython for the WiFi blocks. */
import type * as Blockly from 'blockly';
import type { MicroPythonGenerator } from './generator.ts';

export function wifi_connect(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const ssid = generator.quote_(block.getFieldValue('SSID'));
  const password = generator.quote_(block.getFieldValue('PASSWORD'));
  return `wifi().connectWiFi(${ssid}, ${password})\n`;
}
