// A copy to share (src/project/secrets.ts) through the project file (project-file.ts), headless:
// which secrets go and are listed, the marks a parsed file puts on its blocks and a saved one
// takes back into its list, the warning those blocks show until a value is typed in, and the
// expiry date a new OneNET connect block starts with.
import '../../src/cli/headless-dom.ts';
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { messagesEn } from '../../blocks/index.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningFor } from '../../src/editor/warnings.ts';
import { ONENET_EXPIRY_DAYS, defaultExpiry } from '../../src/onenet/device.ts';
import {
  PROJECT_FORMAT,
  loadProject,
  parseProject,
  saveProject,
  type Project,
} from '../../src/project/project-file.ts';
import {
  blankedFieldsOf,
  forgetFilledBlanks,
  sharedCopy,
  withoutPassword,
} from '../../src/project/secrets.ts';

const SECRETS = ['wifi-secret', 'mqtt-secret', 'a2V5LWtleS1rZXk=', 'broker-secret'];

/** A project with every kind of secret, nested as real programs nest them. */
function projectWithSecrets(): Project {
  return {
    format: PROJECT_FORMAT,
    version: 1,
    settings: {
      name: 'Lamp',
      browserBroker: { kind: 'custom', url: 'wss://teacher:broker-secret@school.example/mqtt' },
    },
    workspace: {
      blocks: {
        languageVersion: 0,
        blocks: [
          {
            type: 'wifi_connect',
            id: 'wifi',
            fields: { SSID: 'school', PASSWORD: 'wifi-secret' },
            next: {
              block: {
                type: 'mqtt_connect',
                id: 'mqtt',
                fields: {
                  SERVER: 'broker',
                  PORT: 1883,
                  CLIENT_ID: 'board-1',
                  USERNAME: 'class',
                  PASSWORD: 'mqtt-secret',
                  KEEPALIVE: 60,
                },
                next: { block: { type: 'mqtt_listen_forever', id: 'listen' } },
              },
            },
          },
          {
            type: 'controls_if',
            id: 'if',
            inputs: {
              DO0: {
                block: {
                  type: 'onenet_connect',
                  id: 'onenet',
                  fields: {
                    PRODUCT_ID: 'p',
                    DEVICE_NAME: 'd',
                    KEY: 'a2V5LWtleS1rZXk=',
                    METHOD: 'sha1',
                    EXPIRES: '2035-12-31',
                  },
                },
              },
            },
          },
          { type: 'wifi_connect', id: 'open', fields: { SSID: 'cafe', PASSWORD: '' } },
        ],
      },
    },
  };
}

/** Opens a file's text as the studio does: parse, then load into a fresh workspace. */
function open(text: string): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  loadProject(workspace, parseProject(text));
  return workspace;
}

describe('a copy to share', () => {
  before(registerBlocks);

  it('leaves out every password and key that has a value, and lists them', () => {
    const project = projectWithSecrets();
    const before = JSON.stringify(project);
    const copy = sharedCopy(project);
    const text = JSON.stringify(copy);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), secret);
    assert.deepEqual(copy.blanked, [
      { block: 'wifi', field: 'PASSWORD' },
      { block: 'mqtt', field: 'PASSWORD' },
      { block: 'onenet', field: 'KEY' },
      { setting: 'browserBroker', field: 'password' },
    ]);
    // The username stays, in the block and in the address; so does everything else.
    assert.ok(text.includes('"USERNAME":"class"'));
    assert.equal(copy.settings.browserBroker.kind, 'custom');
    assert.equal(
      (copy.settings.browserBroker as { url: string }).url,
      'wss://teacher@school.example/mqtt',
    );
    assert.ok(text.includes('"EXPIRES":"2035-12-31"'));
    // The project itself is left as it was.
    assert.equal(JSON.stringify(project), before);
  });

  it('lists nothing and adds no list when there is no secret', () => {
    const project = projectWithSecrets();
    project.settings.browserBroker = { kind: 'preset', preset: 'emqx' };
    project.workspace = { blocks: { languageVersion: 0, blocks: [{ type: 'oled_clear' }] } };
    assert.equal('blanked' in sharedCopy(project), false);
    assert.equal(withoutPassword('ws://host/mqtt'), null);
    assert.equal(withoutPassword('ws://user@host/mqtt'), null);
    assert.equal(withoutPassword('not an address'), null);
  });

  it('opens with a mark on exactly the blocks that lost a secret, and they say so', () => {
    const workspace = open(JSON.stringify(sharedCopy(projectWithSecrets())));
    const marked = workspace
      .getAllBlocks(false)
      .filter((block) => blankedFieldsOf(block).length)
      .map((block) => block.id)
      .sort();
    assert.deepEqual(marked, ['mqtt', 'onenet', 'wifi']);
    const warning = (id: string) => warningFor(workspace.getBlockById(id)!);
    assert.equal(warning('wifi'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
    assert.equal(warning('mqtt'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
    // Before the key's own "empty" warning: the child did nothing wrong.
    assert.equal(warning('onenet'), messagesEn.WARNING_KEY_LEFT_OUT);
    assert.notEqual(warning('open'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
  });

  it('a typed-in value ends the warning, and the mark is gone from the next save', () => {
    const workspace = open(JSON.stringify(sharedCopy(projectWithSecrets())));
    const wifi = workspace.getBlockById('wifi')!;
    wifi.setFieldValue('typed in', 'PASSWORD');
    assert.equal(warningFor(wifi), null);
    assert.equal(forgetFilledBlanks(wifi), true);
    assert.equal(wifi.data, null);
    // Emptied again, it is an open WiFi like any other.
    wifi.setFieldValue('', 'PASSWORD');
    assert.equal(warningFor(wifi), null);

    const saved = saveProject(
      workspace,
      parseProject(JSON.stringify(projectWithSecrets())).settings,
    );
    assert.deepEqual(saved.blanked, [
      { block: 'mqtt', field: 'PASSWORD' },
      { block: 'onenet', field: 'KEY' },
    ]);
    // One place in the file says what was left out: the blocks carry no marks of their own.
    assert.ok(!JSON.stringify(saved.workspace).includes('blanked'));
    const again = open(JSON.stringify(saved));
    assert.deepEqual(
      again
        .getAllBlocks(false)
        .filter((block) => blankedFieldsOf(block).length)
        .map((block) => block.id)
        .sort(),
      ['mqtt', 'onenet'],
    );
  });

  it('a normal save has no list, and a mark travels with a copied block', () => {
    const plain = saveProject(open(JSON.stringify(projectWithSecrets())), {
      name: 'Lamp',
      browserBroker: { kind: 'embedded' },
    });
    assert.equal('blanked' in plain, false);

    const workspace = open(JSON.stringify(sharedCopy(projectWithSecrets())));
    const copy = Blockly.serialization.blocks.append(
      Blockly.serialization.blocks.save(workspace.getBlockById('mqtt')!, { addNextBlocks: false })!,
      workspace,
    );
    assert.notEqual(copy.id, 'mqtt');
    assert.equal(warningFor(copy), messagesEn.WARNING_PASSWORD_LEFT_OUT);
  });

  it('ignores list entries it does not understand, and marks no field that has a value', () => {
    const copy = sharedCopy(projectWithSecrets()) as Project & { blanked: unknown[] };
    copy.blanked.push(
      { block: 'listen', field: 'PASSWORD' },
      { block: 'mqtt', field: 'SERVER' },
      { setting: 'name', field: 'x' },
      'PASSWORD',
      null,
    );
    (
      copy.workspace.blocks as { blocks: { fields?: Record<string, string> }[] }
    ).blocks[0].fields!.PASSWORD = 'kept';
    const workspace = open(JSON.stringify(copy));
    assert.deepEqual(blankedFieldsOf(workspace.getBlockById('mqtt')!), ['PASSWORD']);
    assert.deepEqual(blankedFieldsOf(workspace.getBlockById('wifi')!), []);
    assert.deepEqual(blankedFieldsOf(workspace.getBlockById('listen')!), []);
    assert.equal(workspace.getBlockById('wifi')!.data, null);
  });
});

describe('a new OneNET connect block’s expiry', () => {
  before(registerBlocks);

  it(`is ${ONENET_EXPIRY_DAYS} days from the day it is made, in the local calendar`, () => {
    assert.equal(ONENET_EXPIRY_DAYS, 90);
    assert.equal(defaultExpiry(new Date(2026, 0, 31, 23, 59)), '2026-05-01');
    assert.equal(defaultExpiry(new Date(2027, 11, 3, 0, 1)), '2028-03-02');
    const workspace = new Blockly.Workspace();
    const block = workspace.newBlock('onenet_connect');
    assert.ok(
      [defaultExpiry(new Date(Date.now() - 60_000)), defaultExpiry()].includes(
        block.getFieldValue('EXPIRES'),
      ),
    );
  });

  it('a block in a file keeps its date; one with no date gets a fresh one', () => {
    const workspace = new Blockly.Workspace();
    Blockly.serialization.workspaces.load(
      {
        blocks: {
          blocks: [
            { type: 'onenet_connect', id: 'dated', fields: { EXPIRES: '2030-12-31' } },
            { type: 'onenet_connect', id: 'undated', fields: {} },
          ],
        },
      },
      workspace,
    );
    assert.equal(workspace.getBlockById('dated')!.getFieldValue('EXPIRES'), '2030-12-31');
    assert.equal(workspace.getBlockById('undated')!.getFieldValue('EXPIRES'), defaultExpiry());
  });
});
