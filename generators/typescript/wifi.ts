/** TypeScript for the WiFi blocks. */
import type * as Blockly from 'blockly';
import type { TypeScriptGenerator } from './generator.ts';

export function wifi_connect(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const ssid = generator.quote_(block.getFieldValue('SSID'));
  const password = generator.quote_(block.getFieldValue('PASSWORD'));
  return `await ${generator.use('wifi')}.connect(${ssid}, ${password});\n`;
}
