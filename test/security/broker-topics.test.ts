// Issue 14, "No door at all" (the broker's part): against the real studio server (startStudio on
// free ports, with a fixture page), nobody but the broker publishes on the broker's own topics —
// OneNET's command topics `$sys/<product>/<device>/cmd/request/…` and `$creq/…`, and `$SYS/…` — so
// a forged command never reaches a device, while the console's commands still do; and retained
// messages stop at 1,000, the oldest dropped, instead of piling up until a restart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { onenetToken } from '../../src/onenet/token.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { HOST, startBrokerFixture, type BrokerFixture } from './broker-fixture.ts';

let fixture: BrokerFixture;
let studio: Studio;
let until: BrokerFixture['until'];

before(async () => {
  fixture = await startBrokerFixture('broker-topics');
  ({ studio, until } = fixture);
});

after(() => fixture.close());

/** A connected client over TCP, with what it receives. */
async function connect(clientId: string, username?: string, password?: string) {
  const client = await fixture.connect(clientId, { username, password });
  const received: { topic: string; text: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, text: payload.toString(), retain: packet.retain }),
  );
  return { client, received };
}

/** Runs mosquitto_pub against the studio's TCP port; resolves when it ends. */
async function mosquittoPub(...args: string[]): Promise<void> {
  const pub = spawn('mosquitto_pub', ['-h', HOST, '-p', String(studio.mqttPort), ...args], {
    stdio: 'ignore',
  });
  await once(pub, 'exit');
}

/** The terminal line saying `clientId` tried to publish on `topic` and was refused. */
function refusal(clientId: string, topic: string): string | undefined {
  return fixture.lines.find(
    (line) => line.startsWith(`MQTT: client "${clientId}" `) && line.includes(`"${topic}"`),
  );
}

test('No door at all', { timeout: 120_000 }, async (t) => {
  await t.test(
    'a forged OneNET command does not reach the device; the console’s does',
    async () => {
      const token = onenetToken({
        productId: 'p',
        deviceName: 'd',
        key: 'a2V5IQ==',
        method: 'sha1',
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      });
      const device = await connect('d', 'p', token);
      await device.client.subscribeAsync('$sys/p/d/cmd/request/+');
      // The command.
      await mosquittoPub('-i', 'forger', '-t', '$sys/p/d/cmd/request/1', '-m', 'off');
      await studio.broker.publish('cmd/d', 'on');
      await until('the console’s command', () => device.received.some((m) => m.text === 'on'));
      assert.deepEqual(
        device.received.map((m) => m.text),
        ['on'],
      );
      await until('the refusal line', () => refusal('forger', '$sys/p/d/cmd/request/1'));
      assert.match(device.received[0].topic, /^\$sys\/p\/d\/cmd\/request\/[0-9a-f-]{36}$/);
      // The device's own topics still work: its reply to the command is accepted.
      await device.client.subscribeAsync('$sys/p/d/cmd/response/+/+');
      const reply = device.received[0].topic.replace('/cmd/request/', '/cmd/response/');
      await device.client.publishAsync(reply, 'ok');
      await until('the acceptance', () =>
        device.received.some((m) => m.topic === `${reply}/accepted`),
      );
      assert.ok(studio.broker.online().includes('d'));
    },
  );

  await t.test(
    'a forged $creq/… or $SYS/… publish reaches nobody; the client is disconnected',
    async () => {
      const board = await connect('lamp');
      await board.client.subscribeAsync(['$creq/#', '$SYS/+/forged']);
      const forger = await connect('creq-forger');
      await forger.client.publishAsync('$creq/x', 'off');
      await mosquittoPub('-i', 'sys-forger', '-t', '$SYS/broker/forged', '-m', 'off');
      await studio.broker.publish('cmd/lamp', 'on');
      await until('the console’s command', () => board.received.some((m) => m.text === 'on'));
      assert.deepEqual(
        board.received.map((m) => m.text),
        ['on'],
      );
      await until('the forger to be disconnected', () => !forger.client.connected);
      await until('the $creq refusal line', () => refusal('creq-forger', '$creq/x'));
      await until('the $SYS refusal line', () => refusal('sys-forger', '$SYS/broker/forged'));
    },
  );

  await t.test('retained messages stop at 1,000: the oldest are dropped', async () => {
    const teacher = await connect('retainer');
    for (let i = 0; i < 1005; i++) {
      await teacher.client.publishAsync(`keep/${i}`, `value ${i}`, { retain: true, qos: 1 });
    }
    const reader = await connect('retained-reader');
    await reader.client.subscribeAsync('keep/#');
    await until('1,000 retained messages', () => reader.received.length >= 1000);
    // Anything past 1,000 would have come by now, in the same burst.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const topics = new Set(reader.received.map((m) => m.topic));
    assert.equal(reader.received.length, 1000);
    assert.ok(reader.received.every((m) => m.retain));
    for (let i = 0; i < 5; i++) assert.ok(!topics.has(`keep/${i}`), `keep/${i} is still kept`);
    for (let i = 5; i < 1005; i++) assert.ok(topics.has(`keep/${i}`), `keep/${i} was dropped`);
  });
});
