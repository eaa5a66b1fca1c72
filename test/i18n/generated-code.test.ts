// Generated code does not depend on the language: the same saved program makes byte-identical
// MicroPython and TypeScript whether Blockly speaks English or Simplified Chinese. Checked on
// every example and on one of every block in the toolbox (dropdowns included).
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { toolbox } from '../../blocks/index.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { registerBlocks, setBlockLanguage } from '../../src/editor/register.ts';
import { examples } from '../../src/examples/index.ts';
import type { Language } from '../../src/i18n/language.ts';

registerBlocks();
after(() => setBlockLanguage('en'));

interface ToolboxItem {
  kind: string;
  contents?: ToolboxItem[];
}

/**
 * The workspace `fill` makes, as saved in English: the state a child's project holds (a connect
 * block saved without a client ID gets a fresh one on every load; saved, it keeps it).
 */
function savedInEnglish(fill: (workspace: Blockly.Workspace) => void): object {
  setBlockLanguage('en');
  const workspace = new Blockly.Workspace();
  try {
    fill(workspace);
    return Blockly.serialization.workspaces.save(workspace);
  } finally {
    workspace.dispose();
  }
}

/** Every block of the toolbox, one under the other. */
function toolboxProgram(): object {
  const blocks: Blockly.serialization.blocks.State[] = [];
  const visit = (item: ToolboxItem) => {
    if (item.kind === 'block')
      blocks.push({ ...(item as object), y: blocks.length * 100 } as never);
    item.contents?.forEach(visit);
  };
  visit(toolbox as ToolboxItem);
  return savedInEnglish((workspace) => {
    for (const state of blocks) Blockly.serialization.blocks.append(state, workspace);
  });
}

/** Both languages' code for the saved workspace `state`, made with Blockly in `language`. */
function generate(state: object, language: Language): [string, string] {
  setBlockLanguage(language);
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(state, workspace);
    return [generateMicroPython(workspace).code, generateTypeScript(workspace).code];
  } finally {
    workspace.dispose();
  }
}

const programs: [name: string, state: object][] = [
  ...Object.entries(examples).map(([name, project]): [string, object] => [
    name,
    savedInEnglish((workspace) =>
      Blockly.serialization.workspaces.load(
        (project as { workspace: object }).workspace,
        workspace,
      ),
    ),
  ]),
  ['every toolbox block', toolboxProgram()],
];

describe('generated code in English and in Chinese', () => {
  for (const [name, state] of programs) {
    it(`is byte-identical for ${name}`, () => {
      const [pyEn, tsEn] = generate(state, 'en');
      const [pyZh, tsZh] = generate(state, 'zh-hans');
      assert.ok(pyEn.length > 0 && tsEn.length > 0);
      assert.equal(pyZh, pyEn);
      assert.equal(tsZh, tsEn);
    });
  }
});
