// The embedded broker with real mqtt.js clients over TCP and WebSocket: OneNET-style direct
// delivery, the tap, takeovers, the console channel, and the limits (message size, connections,
// retained messages, the broker's own topics).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect as connectTcp, type AddressInfo, type Socket as NetSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { WebSocket, WebSocketServer } from 'ws';
import {
  PacketLengths,
  createBroker,
  isBrokerTopic,
  parseMessageLimit,
  sizeText,
  type StudioBroker,
  type TapMessage,
} from '../../src/server/broker.ts';
import { PREVIEW_BYTES, messageFrame } from '../../src/server/console-channel.ts';

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

describe('limits', () => {
  // A broker of its own with small limits: 1 kB messages, 3 connections, 3 retained messages.
  let small: StudioBroker;
  let smallHttp: Server;
  let smallTcp: number;
  let smallWs: number;
  const smallLines: string[] = [];
  const smallClients: MqttClient[] = [];
  const sockets: (NetSocket | WebSocket)[] = [];

  before(async () => {
    small = await createBroker({
      log: (line) => smallLines.push(line),
      maxMessageKb: 1,
      maxConnections: 3,
      maxRetained: 3,
    });
    smallHttp = createServer();
    small.attachWebSocket(smallHttp);
    smallHttp.listen(0, '127.0.0.1');
    await once(smallHttp, 'listening');
    smallWs = (smallHttp.address() as AddressInfo).port;
    smallTcp = await small.listenTcp(0, '127.0.0.1');
  });

  after(async () => {
    for (const socket of sockets) {
      if (socket instanceof WebSocket) socket.terminate();
      else socket.destroy();
    }
    await Promise.all(smallClients.map((client) => client.endAsync(true)));
    await small.close();
    smallHttp.closeAllConnections();
    await new Promise((resolve) => smallHttp.close(resolve));
  });

  /** Waits until `check()` is true, failing with `what` after TIMEOUT. */
  async function until(what: string, check: () => boolean): Promise<void> {
    const end = Date.now() + TIMEOUT;
    while (!check()) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}\n${smallLines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A raw TCP connection that has sent CONNECT for `clientId` and got its CONNACK. */
  async function rawClient(clientId: string): Promise<NetSocket> {
    const socket = connectTcp(smallTcp, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => {});
    await once(socket, 'connect');
    const connack = once(socket, 'data');
    socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId,
        keepalive: 0,
      }),
    );
    await connack;
    return socket;
  }

  it('closes a TCP client at the header of a packet over the limit, with one line', async () => {
    const socket = await rawClient('too-big');
    const closed = once(socket, 'close');
    // A PUBLISH that says it is 5000 bytes long; only its first bytes are ever sent.
    const publish = mqttPacket.generate({
      cmd: 'publish',
      topic: 'a',
      payload: Buffer.alloc(4995),
      qos: 0,
      dup: false,
      retain: false,
    });
    socket.write(publish.subarray(0, 10));
    await closed;
    const lines = smallLines.filter((line) => line.includes('"too-big"'));
    assert.equal(lines.length, 1, smallLines.join('\n'));
    assert.match(
      lines[0],
      /^MQTT: client "too-big" from 127\.0\.0\.1:\d+ sent a 5 kB message \(limit 1 kB\): disconnected$/,
    );
  });

  it('takes messages up to the limit, over TCP and WebSocket', async () => {
    const reader = await mqtt.connectAsync(`mqtt://127.0.0.1:${smallTcp}`, {
      clientId: 'small-reader',
      reconnectPeriod: 0,
    });
    smallClients.push(reader);
    const box = inbox(reader);
    await reader.subscribeAsync('fits/#');
    // 2 bytes of topic length + 6 of topic + 992 of payload: exactly 1000 bytes.
    await small.publish('fits/a', Buffer.alloc(992, 'a'));
    const page = await mqtt.connectAsync(`ws://127.0.0.1:${smallWs}/mqtt`, {
      clientId: 'small-page',
      reconnectPeriod: 0,
    });
    await page.publishAsync('fits/b', Buffer.alloc(992, 'b'));
    await box.waitFor((m) => m.topic === 'fits/b', 'the message from the page');
    assert.equal(box.received.length, 2);
    await Promise.all([reader.endAsync(), page.endAsync()]);
  });

  it('closes (1009) a WebSocket client that sends over 4 × the limit in one message', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${smallWs}/mqtt`, 'mqtt');
    sockets.push(ws);
    ws.on('error', () => {});
    await once(ws, 'open');
    const closed = once(ws, 'close');
    ws.send(Buffer.alloc(5000));
    const [code] = (await closed) as [number];
    assert.equal(code, 1009);
    await until('the line', () =>
      smallLines.some((line) =>
        /^MQTT: a client from 127\.0\.0\.1:\d+ sent over 4 kB in one WebSocket message \(limit 1 kB\): disconnected$/.test(
          line,
        ),
      ),
    );
  });

  it('refuses connections past the cap, TCP and WebSocket, in one line', async () => {
    await until('the earlier connections to close', () => small.online().length === 0);
    const held = [await rawClient('held-1'), await rawClient('held-2'), await rawClient('held-3')];
    const refusedTcp = connectTcp(smallTcp, '127.0.0.1');
    refusedTcp.on('error', () => {});
    await once(refusedTcp, 'close');
    const refusedWs = new WebSocket(`ws://127.0.0.1:${smallWs}/mqtt`, 'mqtt');
    refusedWs.on('error', () => {});
    const [, response] = (await once(refusedWs, 'unexpected-response')) as [
      unknown,
      { statusCode: number },
    ];
    assert.equal(response.statusCode, 503);
    refusedWs.terminate();
    const lines = smallLines.filter((line) => line.includes('the most this broker takes'));
    assert.equal(lines.length, 1, smallLines.join('\n'));
    assert.match(
      lines[0],
      /^MQTT: 3 connections are open, the most this broker takes: refused a connection from 127\.0\.0\.1:\d+$/,
    );
    // One goes, and a new one comes in.
    held[0].destroy();
    await until('held-1 to be gone', () => !small.online().includes('held-1'));
    await rawClient('held-4');
    await until('held-4', () => small.online().includes('held-4'));
    for (const socket of held) socket.destroy();
  });

  it('keeps 3 retained messages: the one set longest ago goes first', async () => {
    await until('the earlier connections to close', () => small.online().length <= 1);
    const teacher = await mqtt.connectAsync(`mqtt://127.0.0.1:${smallTcp}`, {
      clientId: 'retainer',
      reconnectPeriod: 0,
    });
    smallClients.push(teacher);
    for (const topic of ['a', 'b', 'c', 'a', 'd']) {
      await teacher.publishAsync(`ret/${topic}`, topic, { retain: true, qos: 1 });
    }
    const retained = async (): Promise<string[]> => {
      const reader = await mqtt.connectAsync(`mqtt://127.0.0.1:${smallTcp}`, {
        clientId: 'retained-reader',
        reconnectPeriod: 0,
      });
      const box = inbox(reader);
      await reader.subscribeAsync('ret/#');
      // A marker after the retained ones: they come from one stream, ahead of it.
      await reader.subscribeAsync('marker');
      await teacher.publishAsync('marker', 'x', { qos: 1 });
      await box.waitFor((m) => m.topic === 'marker', 'the marker');
      await reader.endAsync();
      return box.received
        .filter((m) => m.topic !== 'marker')
        .map((m) => m.topic)
        .sort();
    };
    assert.deepEqual(await retained(), ['ret/a', 'ret/c', 'ret/d']);
    // An empty retained message forgets the topic's, as MQTT says; the count follows.
    await teacher.publishAsync('ret/c', '', { retain: true, qos: 1 });
    await teacher.publishAsync('ret/e', 'e', { retain: true, qos: 1 });
    assert.deepEqual(await retained(), ['ret/a', 'ret/d', 'ret/e']);
    const lines = smallLines.filter((line) => line.includes('retained'));
    assert.deepEqual(lines, [
      'MQTT: more than 3 retained messages: the oldest are forgotten from now on (first "ret/b")',
    ]);
    await teacher.endAsync();
  });
});

describe('the broker’s own topics', () => {
  it('are $SYS/…, $creq/…, OneNET’s command requests and its answers; not a device’s topics', () => {
    for (const topic of [
      '$SYS/broker/x',
      '$creq/1',
      '$sys/p/d/cmd/request/1',
      '$sys/p/d/cmd/response/1/accepted',
      '$sys/p/d/dp/post/json/rejected',
    ]) {
      assert.equal(isBrokerTopic(topic), true, topic);
    }
    for (const topic of [
      '$sys/p/d/cmd/response/1',
      '$sys/p/d/dp/post/json',
      'cmd/lamp',
      'class/$creq/1',
      '$creq',
      'creq/1',
    ]) {
      assert.equal(isBrokerTopic(topic), false, topic);
    }
  });

  it('refuse a client’s publish with a line, and leave its will unpublished', async () => {
    const watcher = await connect('answers-watcher');
    const box = inbox(watcher);
    await watcher.subscribeAsync(['$sys/p/d/#', '$creq/#']);
    const forger = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, {
      clientId: 'answer-forger',
      reconnectPeriod: 0,
      will: { topic: '$creq/will', payload: Buffer.from('off'), qos: 0, retain: false },
    });
    forger.on('error', () => {});
    const closed = new Promise<void>((resolve) => forger.once('close', () => resolve()));
    forger.publish('$sys/p/d/cmd/response/1/accepted', '');
    await closed;
    await broker.publish('$sys/p/d/marker', 'marker');
    await box.waitFor((m) => m.topic === '$sys/p/d/marker', 'the marker');
    assert.deepEqual(
      box.received.map((m) => m.topic),
      ['$sys/p/d/marker'],
    );
    assert.ok(
      logLines.some(
        (line) =>
          /^MQTT: client "answer-forger" from 127\.0\.0\.1:\d+ tried to publish on/.test(line) &&
          line.endsWith(
            '"$sys/p/d/cmd/response/1/accepted", a topic only the broker publishes on: disconnected',
          ),
      ),
      logLines.join('\n'),
    );
  });
});

describe('PacketLengths', () => {
  const packets = [
    mqttPacket.generate({ cmd: 'pingreq' }),
    mqttPacket.generate({
      cmd: 'publish',
      topic: 't',
      payload: Buffer.alloc(200),
      qos: 0,
      dup: false,
      retain: false,
    }),
    mqttPacket.generate({
      cmd: 'publish',
      topic: 't',
      payload: Buffer.alloc(20_000),
      qos: 0,
      dup: false,
      retain: false,
    }),
    mqttPacket.generate({ cmd: 'pingreq' }),
  ];
  const stream = Buffer.concat(packets);

  it('follows packets however the stream is cut', () => {
    for (const size of [1, 2, 3, 7, 100, 4096, stream.length]) {
      const lengths = new PacketLengths();
      for (let at = 0; at < stream.length; at += size) {
        assert.equal(
          lengths.check(stream.subarray(at, at + size), 20_010),
          null,
          `chunks of ${size}`,
        );
      }
    }
  });

  it('reports the first packet over the limit from its header', () => {
    for (const size of [1, 2, 3, 4096]) {
      const lengths = new PacketLengths();
      let found: number | null = null;
      // Only up to the big packet's length field: its body is never needed.
      const upTo = packets[0].length + packets[1].length + 4;
      for (let at = 0; at < upTo && found === null; at += size) {
        found = lengths.check(stream.subarray(at, Math.min(at + size, upTo)), 1000);
      }
      assert.equal(found, 20_003, `chunks of ${size}`);
    }
  });
});

describe('parseMessageLimit and sizeText', () => {
  it('takes whole kB from 1 to MQTT’s ceiling, defaults to 256 and explains anything else', () => {
    assert.equal(parseMessageLimit(undefined), 256);
    assert.equal(parseMessageLimit(' '), 256);
    assert.equal(parseMessageLimit('1024'), 1024);
    assert.equal(parseMessageLimit('268435'), 268435);
    for (const bad of ['0', '-1', '1.5', 'abc', '268436', '1e3']) {
      assert.match(String(parseMessageLimit(bad)), /^MAX_MESSAGE_KB must be a whole number/, bad);
    }
  });

  it('writes sizes as a person reads them', () => {
    assert.equal(sizeText(512), '512 bytes');
    assert.equal(sizeText(256_000), '256 kB');
    assert.equal(sizeText(1_500_000), '1.5 MB');
    assert.equal(sizeText(100_000_009), '100 MB');
  });
});

describe('messageFrame', () => {
  const message = (payload: Buffer): TapMessage => ({
    time: 1,
    topic: 't',
    payload,
    from: null,
    qos: 0,
    retain: false,
  });

  it('sends a short payload whole, and only the start of a long one with its size', () => {
    const short = messageFrame(message(Buffer.from('on')));
    assert.equal(
      short.type === 'message' && short.payloadBase64,
      Buffer.from('on').toString('base64'),
    );
    assert.equal('size' in short, false);
    const long = messageFrame(message(Buffer.alloc(100_000, 'a')));
    assert.ok(long.type === 'message');
    assert.equal(Buffer.from(long.payloadBase64, 'base64').length, PREVIEW_BYTES);
    assert.equal(long.size, 100_000);
  });

  it('does not cut a character in two', () => {
    // 亮 is 3 bytes and would straddle the cut.
    const payload = Buffer.concat([
      Buffer.alloc(PREVIEW_BYTES - 1, 'a'),
      Buffer.from('亮 and more'),
    ]);
    const frame = messageFrame(message(payload));
    assert.ok(frame.type === 'message');
    assert.equal(Buffer.from(frame.payloadBase64, 'base64').length, PREVIEW_BYTES - 1);
    assert.equal(frame.size, payload.length);
  });
});
