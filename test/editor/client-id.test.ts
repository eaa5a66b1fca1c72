import '../../src/cli/headless-dom.ts';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import {
  installUniqueClientIds,
  newClientId,
  programClientId,
} from '../../src/editor/client-id.ts';

/** Waits until Blockly has fired its queued events (it fires them on a timer). */
const eventsFired = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('client IDs', () => {
  before(registerBlocks);

  it('fresh IDs are MQTT-safe and differ', () => {
    const ids = new Set(Array.from({ length: 200 }, newClientId));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, /^mpython-[0-9a-f]{8}$/);
  });

  it('a new connect block gets its own ID, not the default', () => {
    const workspace = new Blockly.Workspace();
    const a = workspace.newBlock('mqtt_connect');
    const b = workspace.newBlock('mqtt_connect');
    assert.notEqual(a.getFieldValue('CLIENT_ID'), b.getFieldValue('CLIENT_ID'));
  });

  it('a pasted copy gets a fresh ID; a loaded project keeps its own', async () => {
    const workspace = new Blockly.Workspace();
    installUniqueClientIds(workspace);
    const state = { type: 'mqtt_connect', fields: { CLIENT_ID: 'deviceID' } };
    Blockly.serialization.workspaces.load({ blocks: { blocks: [state] } }, workspace);
    await eventsFired();
    assert.equal(
      workspace.getBlocksByType('mqtt_connect', false)[0].getFieldValue('CLIENT_ID'),
      'deviceID',
    );
    const copy = Blockly.serialization.blocks.append(state, workspace, { recordUndo: true });
    await eventsFired();
    assert.notEqual(copy.getFieldValue('CLIENT_ID'), 'deviceID');
    assert.match(copy.getFieldValue('CLIENT_ID'), /^mpython-/);
  });

  it("the program's client ID: its MQTT connect block's, else its OneNET device's, else none", () => {
    const workspace = new Blockly.Workspace();
    assert.equal(programClientId(workspace), '');
    const onenet = workspace.newBlock('onenet_connect');
    onenet.setFieldValue('lamp-01', 'DEVICE_NAME');
    assert.equal(programClientId(workspace), 'lamp-01');
    const mqtt = workspace.newBlock('mqtt_connect');
    mqtt.setFieldValue('deviceID', 'CLIENT_ID');
    assert.equal(programClientId(workspace), 'deviceID');
    workspace.dispose();
  });
});
