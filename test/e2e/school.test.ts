// A whole school on one broker: two `npm start` processes with REDIS_URL on a real redis-server
// (started here on a free port), a page in headless Chromium on one, boards and tools over MQTT on
// either, the console channel of each.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import { onenetToken } from '../../src/onenet/token.ts';
import { buildIfStale } from '../../src/server/build.ts';
import { createBroker } from '../../src/server/broker.ts';
import { main } from '../../src/server/main.ts';
import { redisUrlProblem, shownRedisUrl } from '../../src/server/school.ts';
import { noRedis, startRedis, type RedisServer } from '../support/redis.ts';
import { startStudioProcess, type StudioProcess } from '../support/studio-process.ts';
import {
  DEADLINE,
  ROOT,
  eventually,
  launchChromium,
  waitForLeds,
  waitForOnline,
} from './studio.ts';

/** The messages a client received, as `topic payload`. */
function inbox(client: MqttClient): string[] {
  const seen: string[] = [];
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
  return seen;
}

/** A console channel socket of a studio and the JSON frames it received. */
async function openConsole(studio: StudioProcess) {
  const ws = new WebSocket(`${studio.url.replace(/^http/, 'ws')}console`);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

/** Whether the last online list a console got names `clientId`. */
function lastListHas(frames: Record<string, unknown>[], clientId: string): boolean {
  const lists = frames.filter((frame) => frame.type === 'clients');
  return ((lists.at(-1)?.online as string[] | undefined) ?? []).includes(clientId);
}

describe('a whole school: two studio processes on one Redis', { skip: noRedis }, () => {
  let redis: RedisServer;
  let a: StudioProcess;
  let b: StudioProcess;
  let browser: Browser;
  const clients: MqttClient[] = [];
  const connect = async (url: string, clientId: string, options: mqtt.IClientOptions = {}) => {
    const client = await mqtt.connectAsync(url, { clientId, reconnectPeriod: 0, ...options });
    clients.push(client);
    return client;
  };

  before(async () => {
    await buildIfStale(ROOT);
    redis = await startRedis();
    [a, b] = await Promise.all([
      startStudioProcess({ REDIS_URL: redis.url }),
      startStudioProcess({ REDIS_URL: redis.url }),
    ]);
    browser = await launchChromium();
  });

  after(async () => {
    await Promise.all(clients.map((client) => client.endAsync().catch(() => {})));
    await browser?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('says it shares Redis when it starts', () => {
    for (const studio of [a, b]) {
      assert.ok(
        studio.lines.some((line) => line.startsWith(`Redis: ${redis.url}`)),
        studio.lines.join('\n'),
      );
    }
  });

  it('a page on A runs the tutorial; its LEDs follow on/off sent over TCP to B', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    try {
      await page.goto(`${a.url}?example=onenet-rgb`);
      await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);
      const sender = await connect(b.tcp, 'school-sender');
      await sender.publishAsync('cmd/deviceID', 'on');
      await waitForLeds(page, '50,0,0');
      await sender.publishAsync('cmd/deviceID', 'off');
      await waitForLeds(page, '0,0,0');
      await sender.publishAsync('cmd/deviceID', 'on', { qos: 1 });
      await waitForLeds(page, '50,0,0');
    } finally {
      await page.close();
    }
  });

  it('delivers cmd/<id> to a client on A exactly once, and never beside its subscription', async () => {
    const consoleB = await openConsole(b);
    try {
      const device = await connect(a.tcp, 'school-direct');
      const got = inbox(device);
      await device.subscribeAsync('done/school-direct', { qos: 1 });
      const sender = await connect(b.tcp, 'school-direct-sender');
      // The sender's messages reach A in order: once `done` arrived, the command had its chance.
      await sender.publishAsync('cmd/school-direct', 'first', { qos: 1 });
      await sender.publishAsync('done/school-direct', '1', { qos: 1 });
      await eventually(() => got.includes('done/school-direct 1'), 'the first marker');
      const direct = got.filter((line) => line.startsWith('$creq/'));
      assert.equal(direct.length, 1, got.join('\n'));
      assert.match(direct[0], /^\$creq\/[0-9a-f-]{36} first$/);
      // B's console shows the delivery A made.
      await eventually(
        () =>
          consoleB.frames.some(
            (frame) => frame.direct === true && frame.to === 'school-direct' && frame.from,
          ),
        'the direct delivery on B’s console',
      );

      // Subscribed itself: through the subscription only.
      await device.subscribeAsync('cmd/school-direct', { qos: 1 });
      await sender.publishAsync('cmd/school-direct', 'second', { qos: 1 });
      await sender.publishAsync('done/school-direct', '2', { qos: 1 });
      await eventually(() => got.includes('done/school-direct 2'), 'the second marker');
      assert.deepEqual(
        got.filter((line) => line.includes('second')),
        ['cmd/school-direct second'],
      );
      assert.equal(got.filter((line) => line.startsWith('$creq/')).length, 1);
    } finally {
      consoleB.ws.close();
    }
  });

  it('plays OneNET across processes: a command sent on B, the reply on A, accepted on B', async () => {
    const consoleB = await openConsole(b);
    try {
      const password = onenetToken({
        productId: 'PS',
        deviceName: 'school-fan',
        key: 'a2V5IQ==',
        method: 'sha1',
        expiresAt: 2_000_000_000,
      });
      const fan = await connect(a.tcp, 'school-fan', { username: 'PS', password });
      const fanGot = inbox(fan);
      await fan.subscribeAsync('$sys/PS/school-fan/cmd/request/+', { qos: 1 });
      const watcher = await connect(b.tcp, 'school-fan-watcher');
      const watched = inbox(watcher);
      await watcher.subscribeAsync('$sys/PS/school-fan/cmd/response/+/+', { qos: 1 });
      const sender = await connect(b.tcp, 'school-fan-sender');
      await sender.publishAsync('cmd/school-fan', 'on', { qos: 1 });
      await eventually(() => fanGot.length > 0, 'the command on the request topic');
      const [topic, text] = fanGot[0].split(' ');
      assert.match(topic, /^\$sys\/PS\/school-fan\/cmd\/request\/[0-9a-f-]{36}$/);
      assert.equal(text, 'on');
      const response = topic.replace('/cmd/request/', '/cmd/response/');
      await fan.publishAsync(response, 'ok', { qos: 1 });
      await eventually(
        () => watched.some((line) => line.startsWith(`${response}/accepted`)),
        'the acceptance on B',
      );
      assert.equal(fanGot.length, 1, fanGot.join('\n'));
      // B's console shows the reply that came in on A.
      await eventually(
        () => consoleB.frames.some((f) => f.topic === response && f.from === 'school-fan'),
        'the reply on B’s console',
      );
    } finally {
      consoleB.ws.close();
    }
  });

  it('lists A’s clients on B’s console, and drops them when they leave', async () => {
    const consoleB = await openConsole(b);
    try {
      const client = await connect(a.ws, 'school-listed');
      await eventually(() => lastListHas(consoleB.frames, 'school-listed'), 'B lists it');
      assert.ok(
        consoleB.frames.some(
          (frame) => frame.type === 'connect' && frame.clientId === 'school-listed',
        ),
      );
      await client.endAsync();
      await eventually(() => !lastListHas(consoleB.frames, 'school-listed'), 'B drops it');
      assert.ok(
        consoleB.frames.some(
          (frame) => frame.type === 'disconnect' && frame.clientId === 'school-listed',
        ),
      );
    } finally {
      consoleB.ws.close();
    }
  });

  it('a client ID connecting on B takes over its connection on A, with the notice', async () => {
    const consoleA = await openConsole(a);
    const consoleB = await openConsole(b);
    try {
      const first = await connect(a.tcp, 'school-twin');
      let firstClosed = false;
      first.on('close', () => (firstClosed = true));
      await eventually(() => lastListHas(consoleB.frames, 'school-twin'), 'B lists the first');
      const second = await connect(b.tcp, 'school-twin');
      await eventually(() => firstClosed, 'the earlier connection closed');
      assert.ok(second.connected);
      await eventually(
        () => b.lines.some((line) => line.includes('client "school-twin" connected again')),
        'the takeover line on B',
      );
      for (const { frames } of [consoleA, consoleB]) {
        await eventually(
          () => frames.some((f) => f.type === 'takeover' && f.clientId === 'school-twin'),
          'the takeover notice on each console',
        );
      }
      assert.ok(lastListHas(consoleA.frames, 'school-twin'), 'still online, on B');
    } finally {
      consoleA.ws.close();
      consoleB.ws.close();
    }
  });

  it('keeps retained and queued QoS 1 messages while process A restarts', async () => {
    const session = { clean: false, clientId: 'school-away' };
    const away = await mqtt.connectAsync(a.tcp, { ...session, reconnectPeriod: 0 });
    await away.subscribeAsync('queued/school-away', { qos: 1 });
    await away.publishAsync('kept/school', 'retained on A', { qos: 1, retain: true });
    await away.endAsync();
    await a.stop();
    const sender = await connect(b.tcp, 'school-away-sender');
    await sender.publishAsync('queued/school-away', 'while you were away', { qos: 1 });
    a = await startStudioProcess({ REDIS_URL: redis.url });

    const back = await mqtt.connectAsync(a.tcp, { ...session, reconnectPeriod: 0 });
    clients.push(back);
    const got = inbox(back);
    await eventually(
      () => got.includes('queued/school-away while you were away'),
      'the queued message after the restart',
    );
    const reader = await connect(a.tcp, 'school-retained-reader');
    const read = inbox(reader);
    await reader.subscribeAsync('kept/school', { qos: 1 });
    await eventually(() => read.includes('kept/school retained on A'), 'the retained message');
  });

  it('keeps $studio/ to the studio processes: no client publishes or subscribes there', async () => {
    const broker = await createBroker({ redisUrl: redis.url, log: () => {} });
    try {
      const port = await broker.listenTcp(0, '127.0.0.1');
      const listener = await connect(`mqtt://127.0.0.1:${port}`, 'school-snoop');
      // SUBACK 0x80 (refused), which mqtt.js reports as an error; the client stays connected.
      await assert.rejects(listener.subscribeAsync('$studio/#'), /Subscribe error/);
      assert.ok(listener.connected);
      const forger = await connect(`mqtt://127.0.0.1:${port}`, 'school-forger');
      let closed = false;
      forger.on('close', () => (closed = true));
      forger.publish('$studio/school', 'forged');
      await eventually(() => closed, 'the forger disconnected');
    } finally {
      await broker.close();
    }
  });
});

describe('a Redis that goes away', { skip: noRedis }, () => {
  it('is one line, and one more when it is back; then all goes on', async () => {
    let redis = await startRedis();
    const lines: string[] = [];
    const broker = await createBroker({ redisUrl: redis.url, log: (line) => lines.push(line) });
    let client: MqttClient | undefined;
    try {
      const port = await broker.listenTcp(0, '127.0.0.1');
      client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
      const got = inbox(client);
      await client.subscribeAsync('lamp');
      await client.publishAsync('lamp', 'before');
      await eventually(() => got.includes('lamp before'), 'a message before');
      await redis.stop();
      await eventually(() => lines.some((line) => line.includes('waiting for it')), 'the line');
      redis = await startRedis(redis.port);
      await eventually(() => lines.some((line) => line.endsWith('connected again')), 'back');
      assert.equal(lines.filter((line) => line.includes('waiting for it')).length, 1);
      // The queue's subscribing connection subscribes again by itself once it is back.
      await eventually(() => {
        client!.publish('lamp', 'after');
        return got.includes('lamp after');
      }, 'a message after');
      assert.ok(client.connected);
    } finally {
      await client?.endAsync();
      await broker.close();
      await redis.stop();
    }
  });
});

describe('REDIS_URL', () => {
  it('is checked before anything starts, and its password is never printed', () => {
    assert.equal(redisUrlProblem(undefined), null);
    assert.equal(redisUrlProblem('redis://10.0.0.5:6379'), null);
    assert.match(
      redisUrlProblem('http://10.0.0.5:6379')!,
      /must start with redis:\/\/ or rediss:\/\//,
    );
    assert.match(
      redisUrlProblem('redis://')!,
      /must be an address like redis:\/\/127\.0\.0\.1:6379/,
    );
    assert.equal(shownRedisUrl('redis://:secret@10.0.0.5:6379/2'), 'redis://:•••@10.0.0.5:6379/2');
  });

  it('npm start refuses one that is no Redis address, in one line, before building', async () => {
    const said: string[] = [];
    const error = console.error;
    console.error = (line: string) => said.push(line);
    try {
      assert.equal(await main({ REDIS_URL: 'localhost:6379' }), 2);
    } finally {
      console.error = error;
    }
    assert.deepEqual(said, [
      'iot-blocks: REDIS_URL must start with redis:// or rediss://, not "localhost:6379"',
    ]);
  });

  it('a Redis that does not answer stops the start with a sentence', async () => {
    await assert.rejects(
      createBroker({ redisUrl: 'redis://127.0.0.1:1', log: () => {} }),
      /Redis at redis:\/\/127\.0\.0\.1:1 does not answer .*start redis-server there, or check REDIS_URL/,
    );
  });
});
