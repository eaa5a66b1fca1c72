// The import part of the benchmark (issue 20): MicroPython back to blocks for a program of 1000
// lines or more, headless in Node — generated parity programs (seeds 1, 2, …) one after another,
// with their imports, handlers and helpers. Measured: `importMicroPython` (parse with
// @lezer/python and the importers), and loading its blocks into a workspace.
import '../../src/cli/headless-dom.ts';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { importMicroPython } from '../../generators/micropython/import/index.ts';
import { generateBoth } from '../parity/harness.ts';
import { buildProgram } from '../parity/program-builder.ts';
import { summary, type Figure } from './figures.ts';

/** At least `lines` lines of generated MicroPython, whole programs. */
export function bigProgram(lines: number): string {
  const parts: string[] = [];
  let count = 0;
  for (let seed = 1; count < lines; seed++) {
    const code = generateBoth(buildProgram(seed)).python;
    parts.push(code);
    count += code.split('\n').length - 1;
  }
  return parts.join('');
}

/** `runs` imports of a 1000-line program (after one warm-up), and loading their blocks. */
export function measureImport(runs: number): Figure[] {
  registerBlocks();
  const source = bigProgram(1000);
  const lines = source.split('\n').length - 1;
  const importing: number[] = [];
  const loading: number[] = [];
  let blocks = 0;
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const imported = importMicroPython(source);
    const parsed = performance.now();
    const workspace = new Blockly.Workspace();
    Blockly.Events.disable();
    try {
      Blockly.serialization.workspaces.load(imported.workspace, workspace);
      blocks = workspace.getAllBlocks(false).length;
    } finally {
      Blockly.Events.enable();
      workspace.dispose();
    }
    if (i === 0) continue; // warm-up
    importing.push(parsed - start);
    loading.push(performance.now() - parsed);
  }
  const note = `${lines} lines, ${blocks} blocks; Node, headless`;
  return [
    summary('import', 'MicroPython import, 1000-line program', 'ms', importing, undefined, note),
    summary('import', 'loading its blocks (headless)', 'ms', loading, undefined, note),
  ];
}
