// The OneNET blocks: the warnings a child sees for bad inputs, and what both generators make of
// them, run by the real MicroPython interpreter on the stand-in board and by the recording
// runtime: the token as the password (never the key), the command topics, one answer per command
// (a reply block's or "ok"), and the data point upload's JSON, the same bytes in both languages.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { messagesEn } from '../../blocks/index.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningFor, warningsIn } from '../../src/editor/warnings.ts';
import { message, runOnBoard, type TraceValue } from '../support/micropython-board.ts';
import { runTypeScript } from '../support/recording-runtime.ts';
import { get, num, stack, txt, value, type BlockJson } from '../support/block-json.ts';

const KEY = 'c2VjcmV0LWRldmljZS1rZXk='; // base64 of "secret-device-key"

const onenetConnect = (fields: Record<string, unknown> = {}): BlockJson => ({
  type: 'onenet_connect',
  id: 'connect',
  fields: {
    PRODUCT_ID: 'Pq7',
    DEVICE_NAME: 'lamp-1',
    KEY,
    METHOD: 'sha1',
    EXPIRES: '2099-01-01',
    ...fields,
  },
});

/** A headless workspace holding `blocks`, with a variable `v`. */
function workspaceWith(...blocks: BlockJson[]): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(
    { variables: [{ name: 'v', id: 'v' }], blocks: { languageVersion: 0, blocks } },
    workspace,
  );
  return workspace;
}

function generate(...blocks: BlockJson[]) {
  const workspace = workspaceWith(...blocks);
  try {
    return {
      python: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
    };
  } finally {
    workspace.dispose();
  }
}

const utf8 = new TextDecoder();
const text = (value: TraceValue | unknown) =>
  value instanceof Uint8Array ? utf8.decode(value) : String(value);

before(registerBlocks);

describe('OneNET block warnings', () => {
  const warningOfConnect = (fields: Record<string, unknown>) => {
    const workspace = workspaceWith(onenetConnect(fields));
    try {
      return warningFor(workspace.getBlockById('connect')!);
    } finally {
      workspace.dispose();
    }
  };

  it('a good device has no warning', () => {
    assert.equal(warningOfConnect({}), null);
  });

  const cases: [fields: Record<string, unknown>, key: keyof typeof messagesEn][] = [
    [{ PRODUCT_ID: '' }, 'WARNING_ONENET_PRODUCT_EMPTY'],
    [{ PRODUCT_ID: 'a b' }, 'WARNING_ONENET_PRODUCT_CHARS'],
    [{ DEVICE_NAME: ' ' }, 'WARNING_ONENET_DEVICE_EMPTY'],
    [{ DEVICE_NAME: 'lamp/1' }, 'WARNING_ONENET_DEVICE_CHARS'],
    [{ DEVICE_NAME: 'lamp#' }, 'WARNING_ONENET_DEVICE_CHARS'],
    [{ KEY: '' }, 'WARNING_ONENET_KEY_EMPTY'],
    [{ KEY: 'not a key!' }, 'WARNING_ONENET_KEY_BASE64'],
    [{ KEY: 'c2VjcmV0' + ' ' + 'LWtleQ==' }, 'WARNING_ONENET_KEY_BASE64'],
    [{ KEY: 'abc' }, 'WARNING_ONENET_KEY_BASE64'],
    [{ EXPIRES: 'next year' }, 'WARNING_ONENET_EXPIRY_DATE'],
    [{ EXPIRES: '2030-02-30' }, 'WARNING_ONENET_EXPIRY_DATE'],
    [{ EXPIRES: '2001-01-01' }, 'WARNING_ONENET_EXPIRED'],
  ];
  for (const [fields, key] of cases) {
    it(`${JSON.stringify(fields)} shows ${key}`, () => {
      assert.equal(warningOfConnect(fields), messagesEn[key]);
    });
  }

  it('command blocks outside the command handler, and OneNET blocks without a connect, say so', () => {
    const workspace = workspaceWith(
      { type: 'onenet_reply', id: 'reply', inputs: { TEXT: txt('x') } },
      { type: 'text_print', id: 'print', inputs: { TEXT: value({ type: 'onenet_command' }) } },
      { type: 'onenet_upload', id: 'upload', fields: { NAME: 'x' }, inputs: { VALUE: num(1) } },
      { type: 'onenet_on_command', id: 'handler' },
    );
    try {
      const of = (id: string) => warningFor(workspace.getBlockById(id)!);
      assert.equal(of('reply'), messagesEn.WARNING_OUTSIDE_COMMAND_HANDLER);
      assert.equal(
        warningFor(workspace.getBlockById('print')!.getInputTargetBlock('TEXT')!),
        messagesEn.WARNING_OUTSIDE_COMMAND_HANDLER,
      );
      assert.equal(of('upload'), messagesEn.WARNING_NEEDS_ONENET_CONNECT);
      assert.equal(of('handler'), messagesEn.WARNING_NEEDS_ONENET_CONNECT);
    } finally {
      workspace.dispose();
    }
  });

  it('a OneNET connect block is a connect for the MQTT blocks, and a command handler a message handler', () => {
    const workspace = workspaceWith(
      stack(
        onenetConnect(),
        { type: 'mqtt_publish', inputs: { TOPIC: txt('t') } },
        { type: 'mqtt_listen_forever' },
      ),
      {
        type: 'onenet_on_command',
        inputs: {
          DO: value(stack({ type: 'text_print', inputs: { TEXT: value({ type: 'mqtt_topic' }) } })),
        },
      },
    );
    try {
      assert.deepEqual([...warningsIn(workspace).values()], []);
    } finally {
      workspace.dispose();
    }
  });
});

/** The program of the tests below: a command handler that answers itself, and an upload. */
const program = [
  stack(
    onenetConnect(),
    {
      type: 'onenet_upload',
      fields: { NAME: 'light' },
      inputs: { VALUE: num(123) },
    },
    {
      type: 'onenet_upload',
      fields: { NAME: '温度 "t"' },
      inputs: { VALUE: txt('hot\n') },
    },
    { type: 'mqtt_listen_forever' },
  ),
  {
    type: 'onenet_on_command',
    inputs: {
      DO: value(
        stack(
          {
            type: 'variables_set',
            fields: { VAR: { id: 'v' } },
            inputs: { VALUE: value({ type: 'onenet_command' }) },
          },
          {
            type: 'controls_if',
            inputs: {
              IF0: value({ type: 'onenet_command_is', fields: { TEXT: 'on' } }),
              DO0: value(
                stack(
                  { type: 'onenet_reply', inputs: { TEXT: get('v') } },
                  // A second reply does nothing: each command has one answer.
                  { type: 'onenet_reply', inputs: { TEXT: txt('twice') } },
                ),
              ),
            },
          },
        ),
      ),
    },
  },
];

describe('OneNET programs on the board and in the browser', () => {
  const { python, typescript } = generate(...program);
  const script = [
    message('$sys/Pq7/lamp-1/cmd/request/id-1', 'on'),
    message('$sys/Pq7/lamp-1/cmd/request/id-2', 'blink'),
    message('$sys/Other/lamp-1/cmd/request/id-3', 'on'),
  ];

  it('logs in with the token, never the key', async () => {
    assert.ok(!python.includes(KEY) && !typescript.includes(KEY));
    const res = 'products/Pq7/devices/lamp-1';
    const et = Date.UTC(2099, 0, 1, 16) / 1000; // the end of 2099-01-01, Beijing time
    const sign = createHmac('sha1', Buffer.from(KEY, 'base64'))
      .update(`${et}\nsha1\n${res}\n2018-10-31`)
      .digest('base64');
    const token =
      `version=2018-10-31&res=${encodeURIComponent(res)}&et=${et}&method=sha1` +
      `&sign=${encodeURIComponent(sign)}`;
    const board = await runOnBoard(python, script);
    assert.equal(board.error, undefined, board.error);
    const login = board.trace.find((entry) => entry.call === 'MQTTClient')!;
    assert.deepEqual(login.args.slice(0, 6), [
      'lamp-1',
      'mqtts.heclouds.com',
      1883,
      'Pq7',
      token,
      60,
    ]);
    const browser = await runTypeScript(typescript, script);
    assert.equal(browser.error, undefined, browser.error);
    const options = browser.trace.find((entry) => entry.call === 'mqtt.connect')!.args[0];
    assert.deepEqual(options, {
      server: 'mqtts.heclouds.com',
      port: 1883,
      clientId: 'lamp-1',
      username: 'Pq7',
      password: token,
      keepalive: 60,
    });
  });

  it('answers each command once, on its own response topic; uploads OneNET’s JSON; the same in both', async () => {
    const board = await runOnBoard(python, script);
    assert.equal(board.error, undefined, board.error);
    const browser = await runTypeScript(typescript, script);
    assert.equal(browser.error, undefined, browser.error);
    const onBoard = board.trace
      .filter((entry) => ['MQTTClient.publish', 'MQTTClient.subscribe'].includes(entry.call))
      .map((entry) => [
        entry.call.slice('MQTTClient.'.length),
        ...entry.args.slice(0, entry.call.endsWith('publish') ? 2 : 1).map(text),
      ]);
    const inBrowser = browser.trace
      .filter((entry) => ['mqtt.publish', 'mqtt.subscribe'].includes(entry.call))
      .map((entry) => [entry.call.slice('mqtt.'.length), ...entry.args.map(text)]);
    assert.deepEqual(inBrowser, onBoard);
    assert.deepEqual(onBoard, [
      ['subscribe', '$sys/Pq7/lamp-1/cmd/request/+'],
      ['publish', '$sys/Pq7/lamp-1/dp/post/json', '{"id":1,"dp":{"light":[{"v":123}]}}'],
      [
        'publish',
        '$sys/Pq7/lamp-1/dp/post/json',
        '{"id":2,"dp":{"温度 \\"t\\"":[{"v":"hot\\n"}]}}',
      ],
      // "on": the reply block's answer only; "blink": the automatic "ok"; another product's
      // topic is no command of this device.
      ['publish', '$sys/Pq7/lamp-1/cmd/response/id-1', 'on'],
      ['publish', '$sys/Pq7/lamp-1/cmd/response/id-2', 'ok'],
    ]);
    for (const [, , body] of onBoard.filter(([call]) => call === 'publish').slice(0, 2)) {
      assert.ok(JSON.parse(body!).dp);
    }
  });

  it('a bad key or date still generates a program that runs (the block warns); the password is empty', async () => {
    for (const fields of [{ KEY: 'not base64!' }, { EXPIRES: 'soon' }]) {
      const { python: py, typescript: ts } = generate(
        stack(onenetConnect(fields), { type: 'mqtt_listen_forever' }),
      );
      const board = await runOnBoard(py, []);
      assert.equal(board.error, undefined, board.error);
      assert.equal(board.trace.find((entry) => entry.call === 'MQTTClient')!.args[4], '');
      assert.match(ts, /password: "",/);
    }
  });

  it('text a child types anywhere in the blocks stays exact in both programs', async () => {
    const hostile = 'a"b\\c\n\'d中\u0000';
    const { python: py, typescript: ts } = generate(
      stack(
        onenetConnect({ PRODUCT_ID: hostile, DEVICE_NAME: hostile }),
        { type: 'onenet_upload', fields: { NAME: hostile }, inputs: { VALUE: txt(hostile) } },
        { type: 'mqtt_listen_forever' },
      ),
    );
    const board = await runOnBoard(py, []);
    assert.equal(board.error, undefined, board.error);
    const browser = await runTypeScript(ts, []);
    assert.equal(browser.error, undefined, browser.error);
    const upload = board.trace.find((entry) => entry.call === 'MQTTClient.publish')!;
    assert.equal(text(upload.args[0]), `$sys/${hostile}/${hostile}/dp/post/json`);
    assert.deepEqual(JSON.parse(text(upload.args[1])), {
      id: 1,
      dp: { [hostile]: [{ v: hostile }] },
    });
    assert.equal(
      text(browser.trace.find((entry) => entry.call === 'mqtt.publish')!.args[1]),
      text(upload.args[1]),
    );
  });
});
