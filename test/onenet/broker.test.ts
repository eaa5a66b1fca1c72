// The studio's broker playing OneNET's current platform, with real mqtt.js clients over TCP: a
// device that logs in with a OneNET token gets console commands on its request topic with a
// fresh command ID; its replies and data point uploads get OneNET's answers; a device of the
// legacy kind still gets `$creq/…`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { onenetToken } from '../../src/onenet/token.ts';
import { createBroker, type StudioBroker, type TapMessage } from '../../src/server/broker.ts';

/** Generous: a slow machine must not fail a test that waits for an outcome. */
const TIMEOUT = 10_000;
const UUID = '[0-9a-f-]{36}';

let broker: StudioBroker;
let port: number;
const tapped: TapMessage[] = [];
const clients: MqttClient[] = [];

before(async () => {
  broker = await createBroker({ log: () => {} });
  broker.on('message', (message) => tapped.push(message));
  port = await broker.listenTcp(0, '127.0.0.1');
});

after(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  await broker.close();
});

/** A connected mqtt.js client that keeps what it receives. */
async function connect(clientId: string, username?: string, password?: string) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
    clientId,
    username,
    password,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT,
  });
  clients.push(client);
  const received: { topic: string; text: string }[] = [];
  client.on('message', (topic, payload) => received.push({ topic, text: payload.toString() }));
  return { client, received };
}

/** Waits until `check` gives a value, or fails after TIMEOUT. */
async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A device of product `pid` logged in the way OneNET wants, subscribed to its commands. */
async function device(pid: string, name: string) {
  const token = onenetToken({
    productId: pid,
    deviceName: name,
    key: 'a2V5IQ==',
    method: 'sha1',
    expiresAt: 2_000_000_000,
  });
  const connected = await connect(name, pid, token);
  await connected.client.subscribeAsync(`$sys/${pid}/${name}/cmd/request/+`);
  return connected;
}

describe('the broker plays OneNET for devices that log in with a token', () => {
  it('a command from the console arrives on the request topic with a fresh ID, once', async () => {
    const { received } = await device('P1', 'lamp');
    await broker.publish('cmd/lamp', 'on');
    await broker.publish('cmd/lamp', 'off');
    const commands = await until('two commands', () =>
      received.length >= 2 ? received : undefined,
    );
    const pattern = new RegExp(`^\\$sys/P1/lamp/cmd/request/(${UUID})$`);
    assert.deepEqual(
      commands.map((m) => m.text),
      ['on', 'off'],
    );
    const ids = commands.map((m) => pattern.exec(m.topic)?.[1]);
    assert.ok(ids[0] && ids[1] && ids[0] !== ids[1], JSON.stringify(commands));
    // No legacy `$creq/…` copy: OneNET today sends a command once, on its request topic.
    assert.equal(received.filter((m) => m.topic.startsWith('$creq/')).length, 0);
    // The console sees the command on its topic.
    assert.ok(tapped.some((m) => m.topic === commands[0].topic && m.from === null));
  });

  it('a reply with the command’s ID is accepted once; uploads are accepted or rejected', async () => {
    const { client, received } = await device('P2', 'fan');
    await client.subscribeAsync(['$sys/P2/fan/cmd/response/+/+', '$sys/P2/fan/dp/post/json/+']);
    await broker.publish('cmd/fan', 'on');
    const command = await until('the command', () =>
      received.find((m) => m.topic.includes('/cmd/request/')),
    );
    const id = command.topic.split('/').pop()!;
    const response = `$sys/P2/fan/cmd/response/${id}`;
    await client.publishAsync(response, 'ok');
    await until('the acceptance', () => received.find((m) => m.topic === `${response}/accepted`));
    // A reply to a command nobody sent, or a second reply, is not accepted.
    await client.publishAsync('$sys/P2/fan/cmd/response/nope', 'ok');
    await client.publishAsync(response, 'again');

    await client.publishAsync('$sys/P2/fan/dp/post/json', '{"id":1,"dp":{"light":[{"v":123}]}}');
    await client.publishAsync('$sys/P2/fan/dp/post/json', '{"id":2,"dp":{"light":123}}');
    await client.publishAsync('$sys/P2/fan/dp/post/json', 'not json');
    const answers = await until('three upload answers', () => {
      const found = received.filter((m) => m.topic.includes('/dp/post/json/'));
      return found.length >= 3 ? found : undefined;
    });
    assert.deepEqual(answers, [
      { topic: '$sys/P2/fan/dp/post/json/accepted', text: '{"id":1}' },
      {
        topic: '$sys/P2/fan/dp/post/json/rejected',
        text: '{"id":2,"err_code":98,"err_msg":"Illegal Data"}',
      },
      {
        topic: '$sys/P2/fan/dp/post/json/rejected',
        text: '{"id":-1,"err_code":98,"err_msg":"Illegal Data"}',
      },
    ]);
    assert.deepEqual(
      received.filter((m) => m.topic.endsWith('/accepted') && m.topic.includes('/cmd/')),
      [{ topic: `${response}/accepted`, text: '' }],
    );
    // The console saw the device's reply and upload.
    assert.ok(tapped.some((m) => m.topic === response && m.from === 'fan'));
  });

  it('a device of the legacy kind (APIKey password) still gets commands on $creq/…', async () => {
    const { received } = await connect('old-lamp', 'productID', 'APIKey');
    // A token for another device is no login for this one either.
    const { received: other } = await connect(
      'impostor',
      'P3',
      onenetToken({
        productId: 'P3',
        deviceName: 'someone-else',
        key: 'a2V5IQ==',
        method: 'md5',
        expiresAt: 2_000_000_000,
      }),
    );
    await broker.publish('cmd/old-lamp', 'on');
    await broker.publish('cmd/impostor', 'on');
    const creq = new RegExp(`^\\$creq/${UUID}$`);
    await until('the legacy command', () => received.find((m) => creq.test(m.topic)));
    await until('the impostor’s command', () => other.find((m) => creq.test(m.topic)));
  });
});
