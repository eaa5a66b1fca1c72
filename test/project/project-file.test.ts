import '../../src/cli/headless-dom.ts';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import {
  PROJECT_FORMAT,
  PROJECT_VERSION,
  ProjectFileError,
  defaultSettings,
  loadProject,
  parseProject,
  saveProject,
} from '../../src/project/project-file.ts';

const example = readFileSync(
  new URL('../../src/examples/onenet-rgb.json', import.meta.url),
  'utf8',
);

function project(workspace: object, extra: object = {}): string {
  return JSON.stringify({ format: PROJECT_FORMAT, version: 1, workspace, ...extra });
}

describe('project file', () => {
  before(registerBlocks);

  it('the example parses, loads and saves back to the same blocks', () => {
    const parsed = parseProject(example);
    assert.equal(parsed.settings.name, 'OneNET RGB remote control');
    const workspace = new Blockly.Workspace();
    loadProject(workspace, parsed);
    assert.equal(workspace.getAllBlocks(false).length, 21);
    const saved = saveProject(workspace, parsed.settings);
    assert.equal(saved.format, PROJECT_FORMAT);
    assert.equal(saved.version, PROJECT_VERSION);
    const again = new Blockly.Workspace();
    loadProject(again, parseProject(JSON.stringify(saved)));
    assert.deepEqual(
      Blockly.serialization.workspaces.save(again),
      Blockly.serialization.workspaces.save(workspace),
    );
  });

  const bad: [string, string, RegExp][] = [
    ['not JSON', '{"format": ', /not JSON/],
    ['another app’s JSON', '{"name": "scratch project"}', /not an IoT Blocks project/],
    ['a JSON array', '[1, 2]', /not an IoT Blocks project/],
    ['no version', JSON.stringify({ format: PROJECT_FORMAT, workspace: {} }), /format version/],
    [
      'a newer version',
      JSON.stringify({ format: PROJECT_FORMAT, version: 99, workspace: {} }),
      /newer IoT Blocks \(format 99\)/,
    ],
    ['no blocks', JSON.stringify({ format: PROJECT_FORMAT, version: 1 }), /no blocks/],
    [
      'an unknown block type',
      project({ blocks: { blocks: [{ type: 'rgb_fill' }, { type: 'laser_beam' }] } }),
      /does not know: laser_beam/,
    ],
    [
      'an unknown block type nested in an input',
      project({
        blocks: {
          blocks: [{ type: 'text_print', inputs: { TEXT: { block: { type: 'mystery' } } } }],
        },
      }),
      /does not know: mystery/,
    ],
  ];
  for (const [what, text, message] of bad) {
    it(`${what} is refused with a readable message`, () => {
      assert.throws(
        () => parseProject(text),
        (error: unknown) => error instanceof ProjectFileError && message.test(error.message),
      );
    });
  }

  it('a project Blockly cannot load leaves the current work untouched', () => {
    const workspace = new Blockly.Workspace();
    loadProject(workspace, parseProject(example));
    const before = JSON.stringify(Blockly.serialization.workspaces.save(workspace));
    // A controls_if whose saved state asks for an input the JSON then misuses.
    const damaged = parseProject(
      project({
        blocks: { blocks: [{ type: 'text_print', inputs: { NOPE: { block: { type: 'text' } } } }] },
      }),
    );
    assert.throws(() => loadProject(workspace, damaged), ProjectFileError);
    assert.equal(JSON.stringify(Blockly.serialization.workspaces.save(workspace)), before);
  });

  it('settings missing from a file get defaults', () => {
    const parsed = parseProject(project({}));
    assert.deepEqual(parsed.settings, defaultSettings());
  });
});
