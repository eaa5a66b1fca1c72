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
import toolboxJson from './toolbox.json' with { type: 'json' };
import themeJson from './theme.json' with { type: 'json' };
import messagesEnJson from './messages/en.json' with { type: 'json' };
import messagesZhHansJson from './messages/zh-hans.json' with { type: 'json' };
import { PARTS } from '../src/parts/index.ts';

/** Blockly's own words (its blocks, menus, screen-reader labels) as children read them. */
export { default as blocklyWordsEn } from './messages/blockly-en.json' with { type: 'json' };
export { default as blocklyWordsZhHans } from './messages/blockly-zh-hans.json' with { type: 'json' };

/** Every block definition of ours, in toolbox order: the board's, then each part's. */
export const blockDefinitions: ReadonlyArray<{ type: string } & Record<string, unknown>> = [
  ...wifi,
  ...mqtt,
  ...onenet,
  ...rgb,
  ...board,
  ...PARTS.flatMap((part) => part.blocks),
];

/** The type names of our own blocks (Blockly's built-in blocks are not listed). */
export const ourBlockTypes: readonly string[] = blockDefinitions.map((d) => d.type);

/** The board's categories come before the first separator; each part's category follows them. */
const firstSeparator = toolboxJson.contents.findIndex((item) => item.kind === 'sep');

/** The toolbox: the board's categories, one per part (named `CATEGORY_<NAME>`), then Blockly's. */
export const toolbox = {
  ...toolboxJson,
  contents: [
    ...toolboxJson.contents.slice(0, firstSeparator),
    ...PARTS.map((part) => ({
      kind: 'category',
      name: `%{BKY_CATEGORY_${part.name.toUpperCase()}}`,
      toolboxitemid: part.name,
      categorystyle: `${part.name}_category`,
      contents: part.toolbox,
    })),
    ...toolboxJson.contents.slice(firstSeparator),
  ],
} as typeof toolboxJson;

/** The block and category styles: the board's, then `<name>_blocks`/`<name>_category` per part. */
export const theme = {
  ...themeJson,
  blockStyles: {
    ...themeJson.blockStyles,
    ...Object.fromEntries(PARTS.map((p) => [`${p.name}_blocks`, { colourPrimary: p.colour }])),
  },
  categoryStyles: {
    ...themeJson.categoryStyles,
    ...Object.fromEntries(PARTS.map((p) => [`${p.name}_category`, { colour: p.colour }])),
  },
} as typeof themeJson;

/** Our block messages in English: the board's and every part's. */
export const messagesEn = {
  ...messagesEnJson,
  ...Object.assign({}, ...PARTS.map((part) => part.words.en.messages)),
} as typeof messagesEnJson & Record<string, string>;

/** Our block messages in Simplified Chinese (the same keys as `messagesEn`). */
export const messagesZhHans = {
  ...messagesZhHansJson,
  ...Object.assign({}, ...PARTS.map((part) => part.words['zh-hans'].messages)),
} as typeof messagesZhHansJson & Record<string, string>;
