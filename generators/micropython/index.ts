/**
 * The MicroPython generator's entry, as Blockly's own `python.ts`: it makes the one instance and
 * gives it Blockly's Python block functions and ours, one module per block category, and each
 * board part's (src/parts/).
 */
import type * as Blockly from 'blockly';
import { pythonGenerator } from 'blockly/python';
import type { GeneratedProgram } from '../line-map.ts';
import { MicroPythonGenerator } from './generator.ts';
import * as wifi from './wifi.ts';
import * as mqtt from './mqtt.ts';
import * as onenet from './onenet.ts';
import * as rgb from './rgb.ts';
import * as board from './board.ts';
import * as builtins from './builtins.ts';
import * as code from './code.ts';
import { PARTS } from '../../src/parts/index.ts';

/** The shared MicroPython generator instance. */
export const micropythonGenerator = new MicroPythonGenerator();
Object.assign(
  micropythonGenerator.forBlock,
  pythonGenerator.forBlock,
  builtins,
  wifi,
  mqtt,
  onenet,
  rgb,
  board,
  code,
  ...PARTS.map((part) => part.micropython),
);
// A child's variable never takes a name a part's MicroPython uses.
micropythonGenerator.addReservedWords(PARTS.flatMap((part) => part.pythonNames).join(','));

/** Generates the board's `main.py` for `workspace`. */
export function generateMicroPython(workspace: Blockly.Workspace): GeneratedProgram {
  return micropythonGenerator.generate(workspace);
}
