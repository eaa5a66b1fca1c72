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
  UPGRADES,
  defaultSettings,
  loadProject,
  parseProject,
  projectFileName,
  saveProject,
  upgradeProject,
  type ProjectData,
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
    // Undo still records afterwards: Blockly's failed load left its page-wide switches alone.
    assert.equal(Blockly.Events.getRecordUndo(), true);
    assert.equal(Blockly.Events.getGroup(), '');
  });

  it('settings missing from a file get defaults', () => {
    const parsed = parseProject(project({}));
    assert.deepEqual(parsed.settings, defaultSettings());
  });
});

describe('project format versions', () => {
  before(registerBlocks);

  it('a version-1 file opens with its name, broker and blocks', () => {
    const text = JSON.stringify({
      format: PROJECT_FORMAT,
      version: 1,
      settings: { name: 'Lamp', browserBroker: { kind: 'preset', preset: 'hivemq' } },
      workspace: { blocks: { languageVersion: 0, blocks: [{ type: 'rgb_fill', id: 'fill' }] } },
    });
    const parsed = parseProject(text);
    assert.equal(parsed.version, PROJECT_VERSION);
    assert.deepEqual(parsed.settings, {
      name: 'Lamp',
      browserBroker: { kind: 'preset', preset: 'hivemq' },
    });
    const workspace = new Blockly.Workspace();
    loadProject(workspace, parsed);
    assert.equal(workspace.getBlockById('fill')?.type, 'rgb_fill');
  });

  it('the studio has an upgrade step from every older version to the current one', () => {
    for (let version = 1; version < PROJECT_VERSION; version++) {
      assert.equal(typeof UPGRADES[version], 'function', `upgrade from ${version}`);
    }
  });

  it('an older file goes through every step of the chain, in order', () => {
    const steps = {
      1: (data: ProjectData) => ({ ...data, settings: { title: data.name } }),
      2: (data: ProjectData) => ({
        ...data,
        settings: { name: (data.settings as { title: string }).title },
      }),
    };
    assert.deepEqual(
      upgradeProject({ format: PROJECT_FORMAT, version: 1, name: 'Lamp' }, steps, 3),
      {
        format: PROJECT_FORMAT,
        version: 3,
        name: 'Lamp',
        settings: { name: 'Lamp' },
      },
    );
    // A file already at the target is left as it is.
    const current = { format: PROJECT_FORMAT, version: 3 };
    assert.deepEqual(upgradeProject(current, steps, 3), current);
    assert.throws(() => upgradeProject({ version: 1 }, {}, 2), /No upgrade from project format 1/);
  });

  it('a browser-broker setting this studio does not know becomes the default', () => {
    for (const browserBroker of [
      { kind: 'preset', preset: 'somewhere' },
      { kind: 'custom' },
      'embedded',
    ]) {
      const parsed = parseProject(project({}, { settings: { name: 'X', browserBroker } }));
      assert.deepEqual(parsed.settings.browserBroker, { kind: 'embedded' });
    }
  });
});

describe('values outside a dropdown’s choices', () => {
  before(registerBlocks);

  /** Opening `blocks` as a file: the sentence it is refused with, or null when it opens. */
  function refusal(blocks: object[]): string | null {
    const workspace = new Blockly.Workspace();
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      loadProject(workspace, parseProject(project({ blocks: { languageVersion: 0, blocks } })));
      return null;
    } catch (error) {
      assert.ok(error instanceof ProjectFileError, String(error));
      assert.equal(workspace.getAllBlocks(false).length, 0, 'the workspace is left untouched');
      return error.message;
    } finally {
      console.warn = warn;
      workspace.dispose();
      // Refused before Blockly meets the value: none of its console warnings either.
      assert.deepEqual(warnings, []);
    }
  }

  it('a top block’s value is refused, naming the block, its id, the field and the value', () => {
    assert.equal(
      refusal([{ type: 'board_on_button', id: 'press', fields: { BUTTON: 'c' } }]),
      'The block board_on_button “press” has “c” in its BUTTON, which is not one of its choices (a, b).',
    );
  });

  it('so is one deep inside: in an input, a shadow, or after a block', () => {
    const bad = { type: 'rgb_set', id: 'deep', fields: { LED: 3 } };
    for (const where of [
      { type: 'board_on_button', fields: { BUTTON: 'a' }, inputs: { DO: { block: bad } } },
      { type: 'oled_clear', next: { block: bad } },
      {
        type: 'text_print',
        inputs: {
          TEXT: { shadow: { type: 'logic_boolean', id: 'deep', fields: { BOOL: 'MAYBE' } } },
        },
      },
    ]) {
      assert.match(refusal([where]) ?? 'opened', /“deep” has “(3|MAYBE)” in its (LED|BOOL)/);
    }
  });

  it('every choice opens, and fields that are no plain dropdown are left to their own checks', () => {
    assert.equal(
      refusal([
        { type: 'board_on_button', fields: { BUTTON: 'b' } },
        { type: 'rgb_set', fields: { LED: '2', PREVIEW: '#123456' } },
        { type: 'variables_set', fields: { VAR: { id: 'v', name: 'count' } } },
        { type: 'text', fields: { TEXT: 'any text at all' } },
      ]),
      null,
    );
    assert.equal(refusal(JSON.parse(example).workspace.blocks.blocks), null);
  });

  it('a long value is cut short in the sentence', () => {
    const sentence = refusal([
      { type: 'board_on_button', id: 'x', fields: { BUTTON: 'z'.repeat(500) } },
    ]);
    assert.ok(sentence!.length < 200, sentence!);
    assert.match(sentence!, /“z{40}…”/);
  });
});

describe('project file names', () => {
  const cases: [string, string][] = [
    ['My first project', 'My first project.json'],
    ['灯 / 开关', '灯 - 开关.json'],
    ['a:b*c?"d"<e>|f\\g', 'a-b-c-d-e-f-g.json'],
    ['  spaces\tand\nnewlines  ', 'spaces and newlines.json'],
    ['...hidden.', 'hidden.json'],
    ['', 'project.json'],
    ['///', 'project.json'],
    ['CON', 'CON-project.json'],
    ['x'.repeat(300), `${'x'.repeat(100)}.json`],
  ];
  for (const [name, expected] of cases) {
    it(`“${name.slice(0, 30)}” is saved as “${expected.slice(0, 40)}”`, () => {
      assert.equal(projectFileName(name), expected);
    });
  }
});
