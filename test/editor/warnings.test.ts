import '../../src/cli/headless-dom.ts';
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningFor, warningsIn } from '../../src/editor/warnings.ts';
import { messagesEn } from '../../blocks/index.ts';

/** A headless workspace holding `blocks` (Blockly JSON). */
function workspaceWith(...blocks: object[]): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load({ blocks: { blocks } }, workspace);
  return workspace;
}

const connect = (fields: object = {}, id = 'connect') => ({
  type: 'mqtt_connect',
  id,
  fields: { SERVER: 'broker', PORT: 1883, CLIENT_ID: 'board-1', KEEPALIVE: 60, ...fields },
});

function warningOf(workspace: Blockly.Workspace, id: string): string | null {
  return warningFor(workspace.getBlockById(id)!);
}

describe('block warnings', () => {
  before(registerBlocks);

  it('a well-formed program has no warnings', () => {
    const ws = workspaceWith(
      {
        type: 'wifi_connect',
        fields: { SSID: 'school', PASSWORD: '' },
        next: { block: { ...connect(), next: { block: { type: 'mqtt_listen_forever' } } } },
      },
      {
        type: 'mqtt_on_message',
        inputs: {
          DO: {
            block: {
              type: 'text_print',
              inputs: { TEXT: { block: { type: 'mqtt_message' } } },
            },
          },
        },
      },
    );
    assert.deepEqual([...warningsIn(ws).values()], []);
  });

  it('an empty WiFi name is named', () => {
    const ws = workspaceWith({ type: 'wifi_connect', id: 'w', fields: { SSID: '  ' } });
    assert.equal(warningOf(ws, 'w'), messagesEn.WARNING_WIFI_NAME_EMPTY);
  });

  for (const [port, bad] of [
    [0, true],
    [65536, true],
    [-1, true],
    [1, false],
    [65535, false],
  ] as const) {
    it(`port ${port} ${bad ? 'is' : 'is not'} flagged`, () => {
      const ws = workspaceWith(connect({ PORT: port }));
      assert.equal(warningOf(ws, 'connect'), bad ? messagesEn.WARNING_PORT_RANGE : null);
    });
  }

  it('client IDs: empty, MQTT wildcards and duplicates are flagged', () => {
    assert.equal(
      warningOf(workspaceWith(connect({ CLIENT_ID: '' })), 'connect'),
      messagesEn.WARNING_CLIENT_ID_EMPTY,
    );
    for (const id of ['a/b', 'a+b', 'a#', 'with space']) {
      assert.equal(
        warningOf(workspaceWith(connect({ CLIENT_ID: id })), 'connect'),
        messagesEn.WARNING_CLIENT_ID_CHARS,
        id,
      );
    }
    const twice = workspaceWith(connect({}, 'one'), connect({}, 'two'));
    assert.equal(warningOf(twice, 'one'), messagesEn.WARNING_CLIENT_ID_DUPLICATE);
  });

  it('the message blocks only work inside a message handler', () => {
    const ws = workspaceWith(
      { type: 'text_print', inputs: { TEXT: { block: { type: 'mqtt_message', id: 'm' } } } },
      { type: 'mqtt_topic', id: 't' },
    );
    assert.equal(warningOf(ws, 'm'), messagesEn.WARNING_OUTSIDE_MESSAGE_HANDLER);
    assert.equal(warningOf(ws, 't'), messagesEn.WARNING_OUTSIDE_MESSAGE_HANDLER);
  });

  it('MQTT actions need a connect block', () => {
    const ws = workspaceWith({ type: 'mqtt_keep_alive', id: 'k' });
    assert.equal(warningOf(ws, 'k'), messagesEn.WARNING_NEEDS_CONNECT);
  });

  it('a second keep-alive block is flagged (the board has four timers)', () => {
    const ws = workspaceWith({
      ...connect(),
      next: { block: { type: 'mqtt_keep_alive', id: 'k1' } },
    });
    assert.equal(warningOf(ws, 'k1'), null);
    ws.getBlockById('k1')!.nextConnection!.connect(
      Blockly.serialization.blocks.append({ type: 'mqtt_keep_alive', id: 'k2' }, ws)
        .previousConnection!,
    );
    assert.equal(warningOf(ws, 'k1'), messagesEn.WARNING_KEEP_ALIVE_DUPLICATE);
  });

  it('colour levels outside 0–255 are flagged, variables are not', () => {
    const ws = workspaceWith({
      type: 'rgb_fill',
      id: 'fill',
      inputs: {
        RED: { shadow: { type: 'math_number', fields: { NUM: 300 } } },
        GREEN: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
        BLUE: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
      },
    });
    assert.equal(warningOf(ws, 'fill'), messagesEn.WARNING_COLOUR_RANGE);
  });

  it('two handlers for the same button are flagged; A and B are not', () => {
    const ws = workspaceWith(
      { type: 'board_on_button', id: 'a1', fields: { BUTTON: 'a' } },
      { type: 'board_on_button', id: 'a2', fields: { BUTTON: 'a' } },
      { type: 'board_on_button', id: 'b', fields: { BUTTON: 'b' } },
    );
    assert.equal(warningOf(ws, 'a1'), messagesEn.WARNING_DUPLICATE_HANDLER);
    assert.equal(warningOf(ws, 'b'), null);
  });

  describe('a stack that is not the program', () => {
    const print = (id: string, text: string) => ({
      type: 'text_print',
      id,
      inputs: { TEXT: { block: { type: 'text', fields: { TEXT: text } } } },
    });
    const program = (y: number) => ({
      type: 'wifi_connect',
      id: 'program',
      x: 0,
      y,
      fields: { SSID: 'school', PASSWORD: '' },
      next: { block: connect() },
    });

    it('is flagged above the program and below it; the program and handlers are not', () => {
      const ws = workspaceWith(
        { ...print('above', 'first'), x: 0, y: 0 },
        program(100),
        { ...print('below', 'last'), x: 0, y: 400 },
        { type: 'board_on_button', id: 'button', x: 300, y: 0, fields: { BUTTON: 'a' } },
      );
      assert.equal(warningOf(ws, 'above'), messagesEn.WARNING_LOOSE_STACK);
      assert.equal(warningOf(ws, 'below'), messagesEn.WARNING_LOOSE_STACK);
      assert.equal(warningOf(ws, 'program'), null);
      assert.equal(warningOf(ws, 'button'), null);
    });

    it('is not flagged when it is the only stack, with or without a connect block', () => {
      assert.equal(warningOf(workspaceWith(print('only', 'hi')), 'only'), null);
      assert.equal(warningOf(workspaceWith(program(0)), 'program'), null);
    });

    it('without a connect block anywhere, the topmost stack is the program', () => {
      const ws = workspaceWith(
        { ...print('top', 'a'), x: 0, y: 0 },
        { ...print('lower', 'b'), x: 0, y: 200 },
      );
      assert.equal(warningOf(ws, 'top'), null);
      assert.equal(warningOf(ws, 'lower'), messagesEn.WARNING_LOOSE_STACK);
    });
  });

  it('a message handler with nothing listening is flagged until listen forever is added', () => {
    const ws = workspaceWith(
      { ...connect(), id: 'connect' },
      { type: 'mqtt_on_message', id: 'handler', x: 300, y: 0 },
    );
    assert.equal(warningOf(ws, 'handler'), messagesEn.WARNING_NOT_LISTENING);
    ws.getBlockById('connect')!.nextConnection!.connect(
      Blockly.serialization.blocks.append({ type: 'mqtt_listen_forever' }, ws).previousConnection!,
    );
    assert.equal(warningOf(ws, 'handler'), null);
  });

  it('a keep-alive slower than the connect block’s keep alive is flagged with the limit', () => {
    const keepAlive = (period: number) =>
      workspaceWith({
        ...connect({ KEEPALIVE: 10 }),
        next: { block: { type: 'mqtt_keep_alive', id: 'k', fields: { PERIOD: period } } },
      });
    assert.equal(warningOf(keepAlive(2000), 'k'), null);
    assert.equal(warningOf(keepAlive(10000), 'k'), null);
    assert.equal(
      warningOf(keepAlive(20000), 'k'),
      messagesEn.WARNING_KEEP_ALIVE_TOO_SLOW.replace('%1', '10').replace('%2', '10000'),
    );
  });

  it('a secret left out of a shared copy is asked for on its block only, until typed in', () => {
    const ws = workspaceWith(
      {
        type: 'wifi_connect',
        id: 'shared',
        data: '{"blanked":["PASSWORD"]}',
        fields: { SSID: 'school', PASSWORD: '' },
      },
      { type: 'wifi_connect', id: 'open', fields: { SSID: 'cafe', PASSWORD: '' }, y: 200 },
      {
        type: 'onenet_connect',
        id: 'key',
        data: '{"blanked":["KEY"]}',
        fields: { PRODUCT_ID: 'p', DEVICE_NAME: 'd', KEY: '', EXPIRES: '2099-01-01' },
        y: 400,
      },
    );
    assert.equal(warningOf(ws, 'shared'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
    assert.equal(warningOf(ws, 'key'), messagesEn.WARNING_KEY_LEFT_OUT);
    assert.notEqual(warningOf(ws, 'open'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
    ws.getBlockById('shared')!.setFieldValue('typed in', 'PASSWORD');
    assert.notEqual(warningOf(ws, 'shared'), messagesEn.WARNING_PASSWORD_LEFT_OUT);
    ws.getBlockById('key')!.setFieldValue('not base64!', 'KEY');
    assert.equal(warningOf(ws, 'key'), messagesEn.WARNING_ONENET_KEY_BASE64);
  });
});
