// The keep-alive timer cannot corrupt what the board sends the broker (issue 13, item 4): generated
// main.py runs in the real MicroPython interpreter against a umqtt.simple that writes its packets
// in umqtt's separate socket writes, with the timer made to fire after every one of them, and the
// bytes sent are read back with mqtt-packet.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as Blockly from 'blockly';
import { generate, type IConnectPacket } from 'mqtt-packet';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { pythonBytes } from '../../generators/micropython/quote.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import { connect, onMessage, stack, txt, value, type BlockJson } from '../support/block-json.ts';
import { kindsOf, publishesIn, readClientStream } from '../support/mqtt-stream.ts';
import {
  runOnWire,
  type BrokerStep,
  type Operation,
  type UmqttFlavour,
} from '../support/umqtt-wire.ts';

registerBlocks();

/** The MicroPython generated for a project file's content. */
function micropythonOf(project: unknown): string {
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, parseProject(JSON.stringify(project)));
    return generateMicroPython(workspace).code;
  } finally {
    workspace.dispose();
  }
}

/** A project holding `blocks`. */
const projectOf = (blocks: BlockJson[]) => ({
  format: 'iot-blocks-project',
  version: 1,
  settings: { name: 'keep-alive test', browserBroker: { kind: 'embedded' } },
  workspace: { blocks: { languageVersion: 0, blocks } },
});

/** An example project from src/examples. */
const example = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../src/examples/${name}.json`, import.meta.url), 'utf8'));

const CONNACK = generate({ cmd: 'connack', returnCode: 0, sessionPresent: false });
const suback = (messageId: number) => generate({ cmd: 'suback', messageId, granted: [0] });
const publish = (topic: string, payload: string) =>
  generate({ cmd: 'publish', topic, payload, qos: 0, dup: false, retain: false });

/** The timer fires after every write of every publish and subscription. */
const IN_WRITES: readonly Operation[] = ['publish', 'subscribe'];
const FLAVOURS: UmqttFlavour[] = ['micropython-lib', 'mpython-firmware'];

const LONG = '长消息'.repeat(50); // 450 bytes: a remaining length of two bytes
const echoProgram = projectOf([
  stack(
    { type: 'wifi_connect', fields: { SSID: 'ssid', PASSWORD: 'password' } },
    connect({ CLIENT_ID: 'board1', KEEPALIVE: 60 }),
    { type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } },
    { type: 'mqtt_subscribe', inputs: { TOPIC: txt('class/in') } },
    { type: 'mqtt_publish', inputs: { TOPIC: txt('class/hello'), MESSAGE: txt('hello') } },
    { type: 'mqtt_listen_forever' },
  ),
  onMessage(
    {
      type: 'mqtt_publish',
      inputs: { TOPIC: txt('class/echo'), MESSAGE: value({ type: 'mqtt_message' }) },
    },
    { type: 'mqtt_publish', inputs: { TOPIC: txt('班级/长'), MESSAGE: txt(LONG) } },
  ),
]);
const echoBroker: BrokerStep[] = [
  CONNACK,
  suback(1),
  'tick',
  publish('class/in', 'one'),
  'tick',
  publish('class/in', 'two'),
  'tick',
];
const echoPublishes = [
  { topic: 'class/hello', payload: 'hello' },
  { topic: 'class/echo', payload: 'one' },
  { topic: '班级/长', payload: LONG },
  { topic: 'class/echo', payload: 'two' },
  { topic: '班级/长', payload: LONG },
];
const echoKinds = [
  ['connect', 'subscribe', 'publish', 'pingreq'],
  ['publish', 'publish', 'pingreq'],
  ['publish', 'publish', 'pingreq', 'disconnect'],
].flat();

/** `source` as it was generated before the guard: plain writes and a plain ping. */
function withoutGuard(source: string): string {
  const replace = (text: string, from: string, to: string) => {
    assert.ok(text.includes(from), `the generated program has ${from}`);
    return text.replaceAll(from, to);
  };
  let old = replace(source, 'mqtt_write(mqtt_client.publish, ', 'mqtt_client.publish(');
  old = replace(old, 'mqtt_write(mqtt_client.subscribe, ', 'mqtt_client.subscribe(');
  return replace(old, 'callback=mqtt_ping)', 'callback=lambda t: mqtt_client.ping())');
}

describe('the keep-alive and the stream the board sends', () => {
  const echo = micropythonOf(echoProgram);

  for (const flavour of FLAVOURS) {
    test(`a ping never lands inside a publish or subscription (${flavour})`, async (t) => {
      assert.match(echo, /callback=mqtt_ping\)/);
      const run = await runOnWire(echo, {
        broker: echoBroker,
        fireTimersAfterWritesIn: IN_WRITES,
        flavour,
      });
      assert.equal(run.error, undefined, run.error);
      assert.deepEqual(run.callbackErrors, []);
      // The timer really fired inside them: after each of the 4 writes of 5 publishes and 1
      // subscription, and 3 times while the board waited.
      const fired = (during: string) => run.timerFires.filter((f) => f === during).length;
      assert.deepEqual([fired('publish'), fired('subscribe'), fired('wait')], [20, 4, 3]);
      const stream = readClientStream(run.stream);
      t.diagnostic(`${run.writes.length} writes, ${stream.packets.length} packets`);
      assert.equal(stream.problem, null);
      assert.deepEqual(kindsOf(stream.packets), echoKinds);
      assert.deepEqual(publishesIn(stream.packets), echoPublishes);
      const asked = run.published.map(({ topic, payload }) => ({
        topic: Buffer.from(topic).toString('utf8'),
        payload: Buffer.from(payload).toString('utf8'),
      }));
      assert.deepEqual(asked, echoPublishes);
    });
  }

  test('without the guard, the same timer corrupts the stream (the test can fail)', async (t) => {
    const old = withoutGuard(echo);
    const forced = await runOnWire(old, { broker: echoBroker, fireTimersAfterWritesIn: IN_WRITES });
    assert.equal(forced.error, undefined, forced.error);
    const problem = readClientStream(forced.stream).problem;
    t.diagnostic(`unguarded, timer in writes: ${problem}`);
    assert.notEqual(problem, null);
    // The substitution alone breaks nothing: pinging only while the board waits is fine.
    const calm = await runOnWire(old, { broker: echoBroker });
    const stream = readClientStream(calm.stream);
    assert.equal(stream.problem, null);
    assert.deepEqual(kindsOf(stream.packets), echoKinds);
  });

  // Where the timer can fire inside a write: once it runs, in the main line and the message
  // handler. A button handler runs as a scheduled callback, and no other one (the timer's) runs
  // inside it.
  const examples: {
    name: string;
    broker: BrokerStep[];
    light?: number[];
    firedInside: Operation[];
    sent: string[];
  }[] = [
    {
      name: 'button-publish',
      broker: [CONNACK, 'press a', 'tick', 'press a', 'tick'],
      firedInside: [],
      sent: ['class/hello hello from A', 'class/hello hello from A'],
    },
    {
      name: 'two-boards-chat',
      broker: [CONNACK, suback(1), 'press a', 'tick', publish('class/chat/Ann', 'yo'), 'press b'],
      firedInside: [],
      sent: ['class/chat/Ben hi!', 'class/chat/Ben bye!'],
    },
    {
      name: 'light-reporter',
      broker: [CONNACK],
      light: [120, 3000, 7],
      firedInside: ['publish'],
      sent: ['class/light 120', 'class/light 3000', 'class/light 7'],
    },
    {
      name: 'onenet-rgb-today',
      broker: [CONNACK, suback(1), publish('$sys/productID/lamp/cmd/request/42', 'on'), 'tick'],
      firedInside: ['publish'],
      sent: ['$sys/productID/lamp/cmd/response/42 ok'],
    },
  ];
  for (const { name, broker, light, firedInside, sent } of examples) {
    test(`example ${name}: every packet whole, pings between them`, async () => {
      const source = micropythonOf(example(name));
      assert.match(source, /callback=mqtt_ping\)/);
      const run = await runOnWire(source, { broker, light, fireTimersAfterWritesIn: IN_WRITES });
      assert.equal(run.error, undefined, run.error);
      assert.deepEqual(run.callbackErrors, []);
      const inside = IN_WRITES.filter((operation) => run.timerFires.includes(operation));
      assert.deepEqual(inside, firedInside);
      const stream = readClientStream(run.stream);
      assert.equal(stream.problem, null);
      assert.ok(kindsOf(stream.packets).includes('pingreq'), 'the board still pings');
      const published = publishesIn(stream.packets).map((p) => `${p.topic} ${p.payload}`);
      assert.deepEqual(published, sent);
    });
  }
});

describe('the username and password in CONNECT', () => {
  const [USER, PASSWORD] = ['老师', '密码🔑'];
  const program = micropythonOf(
    projectOf([
      stack(connect({ USERNAME: USER, PASSWORD, KEEPALIVE: 60 }), { type: 'mqtt_listen_forever' }),
    ]),
  );

  for (const flavour of FLAVOURS) {
    test(`non-ASCII ones go out exactly, as UTF-8 bytes (${flavour})`, async () => {
      assert.ok(program.includes(`${pythonBytes(USER)}, ${pythonBytes(PASSWORD)}`), program);
      const run = await runOnWire(program, { broker: [CONNACK], flavour });
      assert.equal(run.error, undefined, run.error);
      const stream = readClientStream(run.stream);
      assert.equal(stream.problem, null);
      assert.deepEqual(kindsOf(stream.packets), ['connect', 'disconnect']);
      const sent = stream.packets[0] as IConnectPacket;
      assert.equal(sent.username, USER);
      assert.deepEqual(sent.password, Buffer.from(PASSWORD));
      assert.equal(sent.keepalive, 60);
    });
  }

  test('as str, as they were generated before, the CONNECT is malformed', async (t) => {
    const old = program
      .replace(pythonBytes(USER), JSON.stringify(USER))
      .replace(pythonBytes(PASSWORD), JSON.stringify(PASSWORD));
    assert.ok(old.includes(`"${USER}", "${PASSWORD}"`), old);
    const run = await runOnWire(old, { broker: [CONNACK] });
    const problem = readClientStream(run.stream).problem;
    t.diagnostic(`str credentials: ${problem}`);
    assert.notEqual(problem, null);
  });
});

describe("the tutorial's shape: a keep-alive and no publishing", () => {
  test('the plain ping timer still pings while the board waits', async () => {
    const source = micropythonOf(example('onenet-rgb'));
    assert.match(source, /callback=lambda t: mqtt_client\.ping\(\)\)/);
    assert.doesNotMatch(source, /mqtt_write|mqtt_ping/);
    const broker: BrokerStep[] = [CONNACK, 'tick', publish('$creq/1', 'on'), 'tick', 'tick'];
    const run = await runOnWire(source, { broker, fireTimersAfterWritesIn: IN_WRITES });
    assert.equal(run.error, undefined, run.error);
    assert.deepEqual(run.callbackErrors, []);
    const stream = readClientStream(run.stream);
    assert.equal(stream.problem, null);
    assert.deepEqual(kindsOf(stream.packets), [
      'connect',
      'pingreq',
      'pingreq',
      'pingreq',
      'disconnect',
    ]);
    const sent = stream.packets[0] as IConnectPacket;
    assert.deepEqual([sent.clientId, sent.username, sent.keepalive], ['deviceID', 'productID', 10]);
  });
});
