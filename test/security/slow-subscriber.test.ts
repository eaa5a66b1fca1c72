// Issue 14, "One slow subscriber stalls a publisher for 60 s": against the real studio server
// (startStudio on free ports, with a fixture page), a subscriber to class/# that stops reading is
// disconnected (with a line in the terminal), and the publisher's messages go on reaching the
// subscribers that read. The test waits on those outcomes with a generous deadline; it does not
// measure how long they took.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { Studio } from '../../src/server/studio-server.ts';
// DEADLINE (30 s) is generous, yet shorter than aedes's default drain timeout (60 s), which this
// row is about.
import { DEADLINE, HOST, startBrokerFixture, type BrokerFixture } from './broker-fixture.ts';

let fixture: BrokerFixture;
let studio: Studio;
let lines: string[];
let slow: Socket | undefined;

before(async () => {
  fixture = await startBrokerFixture('slow-subscriber');
  ({ studio, lines } = fixture);
});

after(async () => {
  slow?.destroy();
  await fixture.close();
});

/** A connected mqtt.js client over TCP that never reconnects. */
const connect = (clientId: string): Promise<MqttClient> => fixture.connect(clientId);

/** Resolves when the broker reports `clientId` gone; rejects after DEADLINE. */
function disconnected(clientId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`"${clientId}" is still connected\n${lines.join('\n')}`)),
      DEADLINE,
    );
    const listener = (id: string) => {
      if (id !== clientId) return;
      clearTimeout(timer);
      studio.broker.off('disconnect', listener);
      resolve();
    };
    studio.broker.on('disconnect', listener);
  });
}

test('One slow subscriber stalls a publisher for 60 s', { timeout: 120_000 }, async () => {
  // The slow subscriber: a raw MQTT client that subscribes to class/# and then reads nothing.
  const subscribed = new Promise<void>((resolve) =>
    studio.broker.aedes.on('subscribe', (_subs, client) => {
      if (client.id === 'slow') resolve();
    }),
  );
  slow = connectTcp(studio.mqttPort, HOST);
  await once(slow, 'connect');
  slow.pause();
  slow.on('error', () => {});
  slow.write(
    mqttPacket.generate({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clean: true,
      clientId: 'slow',
      keepalive: 0,
    }),
  );
  slow.write(
    mqttPacket.generate({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [{ topic: 'class/#', qos: 0 }],
    }),
  );
  await subscribed;
  const slowGone = disconnected('slow');

  // A subscriber that reads, and a publisher that keeps sending until the slow one is gone.
  const reader = await connect('reader');
  await reader.subscribeAsync('class/#');
  const got: string[] = [];
  reader.on('message', (_topic, payload) => {
    if (payload.length < 100) got.push(payload.toString());
  });
  const teacher = await connect('teacher');
  let gone = false;
  slowGone.finally(() => (gone = true)).catch(() => {});
  const big = Buffer.alloc(64 * 1024, 'x');
  const publishing = (async () => {
    while (!gone && teacher.connected) await teacher.publishAsync('class/news', big);
  })().catch(() => {});

  await slowGone;
  await publishing;
  assert.ok(!studio.broker.online().includes('slow'));
  assert.ok(
    lines.some((line) => /^MQTT: client "slow" from 127\.0\.0\.1:\d+ .*: disconnected$/.test(line)),
    lines.join('\n'),
  );
  // The publisher is not stalled: what it sends now reaches the subscriber that reads.
  assert.ok(teacher.connected);
  await teacher.publishAsync('class/news', 'after');
  const end = Date.now() + DEADLINE;
  while (!got.includes('after')) {
    assert.ok(Date.now() < end, 'the message after the slow subscriber went did not arrive');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
