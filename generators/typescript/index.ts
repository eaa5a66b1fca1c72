/**
 * The TypeScript generator's entry, as Blockly's own `javascript.ts`: it makes the one instance
 * and gives it Blockly's JavaScript block functions and ours, one module per block category, and
 * each board part's (src/parts/).
 */
import type * as Blockly from 'blockly';
import { javascriptGenerator } from 'blockly/javascript';
import type { GeneratedProgram } from '../line-map.ts';
import { TypeScriptGenerator } from './generator.ts';
import * as wifi from './wifi.ts';
import * as mqtt from './mqtt.ts';
import * as onenet from './onenet.ts';
import * as rgb from './rgb.ts';
import * as board from './board.ts';
import * as builtins from './builtins.ts';
import * as code from './code.ts';
import { PARTS } from '../../src/parts/index.ts';

/** The shared TypeScript generator instance. */
export const typescriptGenerator = new TypeScriptGenerator();
Object.assign(
  typescriptGenerator.forBlock,
  javascriptGenerator.forBlock,
  builtins,
  wifi,
  mqtt,
  onenet,
  rgb,
  board,
  code,
  ...PARTS.map((part) => part.typescript),
);
// Each part's runtime export is imported under its name: a child's variable never takes it.
typescriptGenerator.addReservedWords(PARTS.map((part) => part.name).join(','));

/** Generates the browser program (`main.ts`) for `workspace`. */
export function generateTypeScript(workspace: Blockly.Workspace): GeneratedProgram {
  return typescriptGenerator.generate(workspace);
}
