// The embedded broker with real mqtt.js clients over TCP and WebSocket: OneNET-style direct
// delivery, the tap, takeovers and the console channel.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { WebSocket, WebSocketServer } from 'ws';
import { createBroker, type StudioBroker, type TapMessage } from '../../src/server/broker.ts';

/** Generous: a slow CI machine must not fail a test that waits for an outcome. */
const TIMEOUT = 10_000;
const CREQ = /^\$creq\/[0-9a-f-]{36}$/;
/** Chinese text and bytes that are not UTF-8 at all: the payload must arrive byte for byte. */
const PAYLOAD = Buffer.concat([Buffer.from('on 红灯 '), Buffer.from([0xff, 0x00, 0xfe, 0x80])]);

let broker: StudioBroker;
let http: Server;
let tcpPort: number;
let wsPort: number;
const logLines: string[] = [];
const tapped: TapMessage[] = [];
const clients: MqttClient[] = [];

before(async () => {
  broker = await createBroker({ log: (line) => logLines.push(line) });
  broker.on('message', (message) => tapped.push(message));
  http = createServer();
  broker.attachWebSocket(http);
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  wsPort = (http.address() as AddressInfo).port;
  tcpPort = await broker.listenTcp(0, '127.0.0.1');
});

after(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  await broker.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

/** A connected mqtt.js client; never reconnects, so a takeover stays visible. */
async function connect(clientId: string, over: 'tcp' | 'ws' = 'tcp'): Promise<MqttClient> {
  const url = over === 'tcp' ? `mqtt://127.0.0.1:${tcpPort}` : `ws://127.0.0.1:${wsPort}/mqtt`;
  const client = await mqtt.connectAsync(url, {
    clientId,
    reconnectPeriod: 0,
    connectTimeout: TIMEOUT,
  });
  clients.push(client);
  return client;
}

interface Received {
  topic: string;
  payload: Buffer;
}

/** A growing list and a way to wait until an item matching `test` has arrived in it. */
function collector<T>() {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  return {
    items,
    /** Adds an item and wakes whoever waits for one like it. */
    push(item: T) {
      items.push(item);
      for (const wake of waiters) wake();
    },
    /** Resolves with the first item matching `test`, rejecting after TIMEOUT. */
    waitFor(test: (item: T) => boolean, what: string): Promise<T> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = items.find(test);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(items)}`));
        }, TIMEOUT);
        if (!check()) waiters.add(check);
      });
    },
  };
}

/** Everything `client` receives, and a way to wait until something matching has arrived. */
function inbox(client: MqttClient) {
  const { items: received, push, waitFor } = collector<Received>();
  client.on('message', (topic, payload) => push({ topic, payload }));
  return { received, waitFor };
}

/** Resolves when the tap reports a message matching `test`. */
function tapFor(test: (message: TapMessage) => boolean): Promise<TapMessage> {
  const found = tapped.find(test);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for the tap')), TIMEOUT);
    const listener = (message: TapMessage) => {
      if (!test(message)) return;
      clearTimeout(timer);
      broker.off('message', listener);
      resolve(message);
    };
    broker.on('message', listener);
  });
}

describe('direct delivery of cmd/<clientId>', () => {
  it('reaches a client that never subscribed, on $creq/<uuid>, byte for byte', async () => {
    const device = await connect('deviceID', 'tcp');
    const box = inbox(device);
    const page = await connect('page-1', 'ws');
    await page.publishAsync('cmd/deviceID', PAYLOAD, { qos: 1 });
    const got = await box.waitFor(() => true, 'the command');
    assert.match(got.topic, CREQ);
    assert.deepEqual(got.payload, PAYLOAD);

    const normal = await tapFor((m) => m.topic === 'cmd/deviceID' && m.from === 'page-1');
    assert.deepEqual(normal.payload, PAYLOAD);
    assert.equal(normal.direct, undefined);
    const direct = await tapFor((m) => m.topic === got.topic);
    assert.equal(direct.to, 'deviceID');
    assert.equal(direct.direct, true);
    assert.equal(direct.from, 'page-1');
    assert.deepEqual(direct.payload, PAYLOAD);
    await device.endAsync();
  });

  it('gives each message a fresh uuid', async () => {
    const device = await connect('uuid-device');
    const box = inbox(device);
    const page = await connect('uuid-page', 'ws');
    await page.publishAsync('cmd/uuid-device', 'one');
    await page.publishAsync('cmd/uuid-device', 'two');
    await box.waitFor((m) => m.payload.toString() === 'two', 'the second command');
    assert.equal(box.received.length, 2);
    assert.notEqual(box.received[0].topic, box.received[1].topic);
    assert.deepEqual(
      box.received.map((m) => m.payload.toString()),
      ['one', 'two'],
    );
  });

  for (const filter of ['cmd/subbed', 'cmd/#', '+/subbed', '#']) {
    it(`comes once, not twice, to a client subscribed to ${filter}`, async () => {
      const device = await connect('subbed', 'ws');
      const box = inbox(device);
      await device.subscribeAsync([filter, 'marker/subbed']);
      const sender = await connect('sender-subbed', 'tcp');
      await sender.publishAsync('cmd/subbed', PAYLOAD, { qos: 1 });
      await sender.publishAsync('marker/subbed', 'marker', { qos: 1 });
      await box.waitFor((m) => m.topic === 'marker/subbed', 'the marker');
      const commands = box.received.filter((m) => m.topic !== 'marker/subbed');
      assert.equal(commands.length, 1, JSON.stringify(box.received));
      assert.equal(commands[0].topic, 'cmd/subbed');
      assert.deepEqual(commands[0].payload, PAYLOAD);
      await Promise.all([device.endAsync(), sender.endAsync()]);
    });
  }

  it('sends cmd/other to "other" only, not to deviceID', async () => {
    const device = await connect('deviceID-2');
    const box = inbox(device);
    const other = await connect('other');
    const otherBox = inbox(other);
    const sender = await connect('sender-other', 'ws');
    await sender.publishAsync('cmd/other', 'for other', { qos: 1 });
    await sender.publishAsync('cmd/deviceID-2', 'for device', { qos: 1 });
    const first = await box.waitFor(() => true, 'a message to deviceID-2');
    assert.equal(first.payload.toString(), 'for device');
    const toOther = await otherBox.waitFor(() => true, 'the message to other');
    assert.equal(toOther.payload.toString(), 'for other');
    assert.equal(box.received.length, 1);
  });

  it('is not seen by a # subscriber, but the tap reports it', async () => {
    const device = await connect('watched');
    const watcher = await connect('watcher', 'ws');
    const watcherBox = inbox(watcher);
    await watcher.subscribeAsync('#');
    const sender = await connect('sender-watched');
    await sender.publishAsync('cmd/watched', 'hello', { qos: 1 });
    await sender.publishAsync('marker/watched', 'marker', { qos: 1 });
    await watcherBox.waitFor((m) => m.topic === 'marker/watched', 'the marker');
    const topics = watcherBox.received.map((m) => m.topic);
    assert.ok(topics.includes('cmd/watched'));
    assert.ok(!topics.some((topic) => topic.startsWith('$')), topics.join());
    const direct = await tapFor((m) => m.to === 'watched');
    assert.match(direct.topic, CREQ);
    assert.equal(direct.payload.toString(), 'hello');
    await Promise.all([device.endAsync(), watcher.endAsync(), sender.endAsync()]);
  });

  it('comes from the server side too (from: null)', async () => {
    const device = await connect('server-target');
    const box = inbox(device);
    await broker.publish('cmd/server-target', '开灯');
    const got = await box.waitFor(() => true, 'the command');
    assert.match(got.topic, CREQ);
    assert.equal(got.payload.toString(), '开灯');
    const direct = await tapFor((m) => m.to === 'server-target');
    assert.equal(direct.from, null);
    await assert.rejects(broker.publish('cmd/#', 'x'), /\+ or #/);
  });
});

describe('clients', () => {
  it('reports connect and disconnect and keeps the online list', async () => {
    const connected = once(broker, 'connect', { signal: AbortSignal.timeout(TIMEOUT) });
    const client = await connect('lister');
    assert.deepEqual(await connected, ['lister']);
    assert.ok(broker.online().includes('lister'));
    const disconnected = once(broker, 'disconnect', { signal: AbortSignal.timeout(TIMEOUT) });
    await client.endAsync();
    assert.deepEqual(await disconnected, ['lister']);
    assert.ok(!broker.online().includes('lister'));
  });

  it('reports a takeover of a client ID, closes the first connection and logs one line', async () => {
    const first = await connect('twin', 'tcp');
    // MqttClient's own typings do not fit events.once(): wait for 'close' by hand.
    const firstClosed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the first connection stayed open')),
        TIMEOUT,
      );
      first.once('close', () => resolve(clearTimeout(timer)));
    });
    const takeover = once(broker, 'takeover', { signal: AbortSignal.timeout(TIMEOUT) });
    const second = await connect('twin', 'ws');
    assert.deepEqual(await takeover, ['twin']);
    await firstClosed;
    assert.ok(second.connected);
    assert.equal(broker.online().filter((id) => id === 'twin').length, 1);
    const lines = logLines.filter((line) => line.includes('"twin"'));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0],
      /^MQTT: client "twin" connected again from 127\.0\.0\.1:\d+; the earlier connection was closed$/,
    );
    await second.endAsync();
  });

  it('lets TCP and WebSocket clients talk to each other', async () => {
    const board = await connect('board-tcp', 'tcp');
    const page = await connect('page-ws', 'ws');
    const boardBox = inbox(board);
    const pageBox = inbox(page);
    await board.subscribeAsync('room/to-board');
    await page.subscribeAsync('room/to-page');
    await page.publishAsync('room/to-board', '你好 board');
    await board.publishAsync('room/to-page', PAYLOAD);
    assert.equal(
      (await boardBox.waitFor(() => true, 'page→board')).payload.toString(),
      '你好 board',
    );
    assert.deepEqual((await pageBox.waitFor(() => true, 'board→page')).payload, PAYLOAD);
  });

  it('leaves other upgrade requests to their own handlers', async () => {
    const other = new WebSocketServer({ noServer: true });
    const onUpgrade = (
      req: import('node:http').IncomingMessage,
      socket: import('node:stream').Duplex,
      head: Buffer,
    ) => {
      if (req.url === '/other')
        other.handleUpgrade(req, socket, head, (ws) => ws.send('other here'));
    };
    http.on('upgrade', onUpgrade);
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/other`);
      const [data] = await once(ws, 'message', { signal: AbortSignal.timeout(TIMEOUT) });
      assert.equal(String(data), 'other here');
      ws.close();
    } finally {
      http.off('upgrade', onUpgrade);
      other.close();
    }
  });
});

/** A console socket and the JSON frames it has received. */
async function openConsole() {
  const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/console`);
  const { items: frames, push, waitFor } = collector<Record<string, unknown>>();
  ws.on('message', (data) => push(JSON.parse(String(data))));
  await once(ws, 'open', { signal: AbortSignal.timeout(TIMEOUT) });
  return {
    ws,
    frames,
    waitFor,
  };
}

describe('console channel', () => {
  it('starts with the online list and reports connects', async () => {
    const channel = await openConsole();
    const first = await channel.waitFor(() => true, 'the first frame');
    assert.equal(first.type, 'clients');
    assert.ok(Array.isArray(first.online));
    await connect('console-seen');
    await channel.waitFor((f) => f.type === 'connect' && f.clientId === 'console-seen', 'connect');
    await channel.waitFor(
      (f) => f.type === 'clients' && (f.online as string[]).includes('console-seen'),
      'the new online list',
    );
    channel.ws.close();
  });

  it('relays a send as a publish on cmd/<id>, and reports the message', async () => {
    const channel = await openConsole();
    const watcher = await connect('console-watcher', 'ws');
    const box = inbox(watcher);
    await watcher.subscribeAsync('cmd/#');
    channel.ws.send(JSON.stringify({ type: 'send', clientId: 'lamp', payloadText: 'on 红' }));
    const got = await box.waitFor(() => true, 'the sent command');
    assert.equal(got.topic, 'cmd/lamp');
    assert.deepEqual(got.payload, Buffer.from('on 红', 'utf8'));
    const frame = await channel.waitFor(
      (f) => f.type === 'message' && f.topic === 'cmd/lamp',
      'the message frame',
    );
    assert.equal(frame.from, null);
    assert.equal(Buffer.from(frame.payloadBase64 as string, 'base64').toString(), 'on 红');
    assert.equal(typeof frame.time, 'number');
    channel.ws.close();
  });

  it('relays a publish and reports a direct delivery with to and direct', async () => {
    const channel = await openConsole();
    const device = await connect('console-device');
    const box = inbox(device);
    channel.ws.send(
      JSON.stringify({ type: 'publish', topic: 'cmd/console-device', payloadText: 'off' }),
    );
    const got = await box.waitFor(() => true, 'the command');
    assert.match(got.topic, CREQ);
    const frame = await channel.waitFor(
      (f) => f.direct === true && f.to === 'console-device',
      'the direct frame',
    );
    assert.equal(frame.topic, got.topic);
    channel.ws.close();
  });

  it('answers bad frames with an error and keeps working', async () => {
    const channel = await openConsole();
    const bad = [
      'not json',
      'null',
      '[]',
      '{"type":"publish"}',
      '{"type":"publish","topic":"a/#","payloadText":"x"}',
      '{"type":"publish","topic":"$SYS/x","payloadText":"x"}',
      '{"type":"send","clientId":"","payloadText":"x"}',
      '{"type":"send","clientId":"lamp","payloadText":5}',
      '{"type":"explode","payloadText":""}',
    ];
    for (const text of bad) channel.ws.send(text);
    channel.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await channel.waitFor(
      () => channel.frames.filter((f) => f.type === 'error').length === bad.length + 1,
      'an error for every bad frame',
    );
    for (const frame of channel.frames.filter((f) => f.type === 'error')) {
      assert.equal(typeof frame.message, 'string');
    }

    // A frame too large for the console closes that socket only.
    const big = await openConsole();
    const closed = once(big.ws, 'close', { signal: AbortSignal.timeout(TIMEOUT) });
    big.ws.send(
      JSON.stringify({ type: 'publish', topic: 't', payloadText: 'x'.repeat(1_000_000) }),
    );
    await closed;

    const watcher = await connect('after-bad', 'tcp');
    const box = inbox(watcher);
    await watcher.subscribeAsync('still/alive');
    channel.ws.send(JSON.stringify({ type: 'publish', topic: 'still/alive', payloadText: 'yes' }));
    assert.equal(
      (await box.waitFor(() => true, 'a message after the bad frames')).payload.toString(),
      'yes',
    );
    channel.ws.close();
  });
});
