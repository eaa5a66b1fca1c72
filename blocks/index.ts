/**
 * The blocks of IoT Blocks as plain data: JSON definitions, the toolbox, the theme and the
 * messages in English and Simplified Chinese (the same keys in both), and the Chinese for what
 * Blockly's own zh-hans pack leaves in English (its screen-reader and keyboard words). Nothing here
 * registers anything; `src/editor/register.ts` does that once.
 */
import wifi from './wifi.json' with { type: 'json' };
import mqtt from './mqtt.json' with { type: 'json' };
import onenet from './onenet.json' with { type: 'json' };
import rgb from './rgb.json' with { type: 'json' };
import board from './board.json' with { type: 'json' };

export { default as toolbox } from './toolbox.json' with { type: 'json' };
export { default as theme } from './theme.json' with { type: 'json' };
export { default as messagesEn } from './messages/en.json' with { type: 'json' };
export { default as messagesZhHans } from './messages/zh-hans.json' with { type: 'json' };
/** Blockly's own words (its blocks, menus, screen-reader labels) as children read them. */
export { default as blocklyWordsEn } from './messages/blockly-en.json' with { type: 'json' };
export { default as blocklyWordsZhHans } from './messages/blockly-zh-hans.json' with { type: 'json' };

/** Every block definition of ours, in toolbox order. */
export const blockDefinitions: ReadonlyArray<{ type: string } & Record<string, unknown>> = [
  ...wifi,
  ...mqtt,
  ...onenet,
  ...rgb,
  ...board,
];

/** The type names of our own blocks (Blockly's built-in blocks are not listed). */
export const ourBlockTypes: readonly string[] = blockDefinitions.map((d) => d.type);
