// Issue 14, "No limit on message size": against the real studio server (startStudio on free
// ports, with a fixture page), a 100 MB publish over TCP (mosquitto_pub -s, as the issue tried it)
// and big publishes over WebSocket are refused: the client is disconnected and the terminal says
// so in one line. The console tap sends pages the start of a big message and its full length,
// and a page that stops reading misses messages instead of holding the server's memory, and is
// told how many it missed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { WebSocket } from 'ws';
import { parseConsoleFrame, type ConsoleEvent } from '../../src/console/console-protocol.ts';
import { payloadText } from '../../src/console/payload-text.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { HOST, startBrokerFixture, type BrokerFixture } from './broker-fixture.ts';

let fixture: BrokerFixture;
let studio: Studio;
let until: BrokerFixture['until'];
const sockets: WebSocket[] = [];

before(async () => {
  fixture = await startBrokerFixture('message-size');
  ({ studio, until } = fixture);
});

after(async () => {
  for (const ws of sockets) ws.terminate();
  await fixture.close();
});

/** A console page: the WebSocket to /console, with every frame it got, parsed as a page does. */
async function consolePage() {
  const ws = new WebSocket(`ws://${HOST}:${studio.httpPort}/console`);
  sockets.push(ws);
  const events: ConsoleEvent[] = [];
  // A frame too big for the page's own socket (ws's default limit is 100 MiB) ends up here.
  const errors: string[] = [];
  ws.on('error', (error) => errors.push(error.message));
  ws.on('message', (data) => {
    const event = parseConsoleFrame(data.toString());
    if (event) events.push(event);
  });
  await until('the console page to get its first frame', () => events.length > 0);
  return { ws, events, errors };
}

/** A connected mqtt.js client that never reconnects. */
const connect = (clientId: string, over: 'tcp' | 'ws'): Promise<MqttClient> =>
  fixture.connect(clientId, { over });

/** The terminal line that says `clientId` was disconnected for a message over the limit. */
function refusalLine(clientId: string): string | undefined {
  return fixture.lines.find(
    (line) =>
      line.startsWith(`MQTT: client "${clientId}" from ${HOST}:`) &&
      line.endsWith('(limit 256 kB): disconnected'),
  );
}

test('No limit on message size', { timeout: 180_000 }, async (t) => {
  const page = await consolePage();

  await t.test(
    'a 100 MB publish over TCP (mosquitto_pub -s) is refused and its client disconnected',
    async () => {
      // The command, on the studio's real TCP port.
      const command =
        `head -c 100000000 /dev/zero | mosquitto_pub -h ${HOST} -p ${studio.mqttPort} ` +
        '-i big-tcp -t class/x -s';
      const pub = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      pub.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const exited = once(pub, 'exit');
      const line = await until('the terminal line about big-tcp', () => refusalLine('big-tcp'));
      assert.match(line, /^MQTT: client "big-tcp" from 127\.0\.0\.1:\d+ sent a 100 MB message/);
      // Disconnected: mosquitto_pub ends, with an error, instead of having published.
      let ended = false;
      void exited.then(() => (ended = true));
      await until('mosquitto_pub to end', () => ended);
      const [code] = (await exited) as [number | null];
      assert.notEqual(code, 0, stderr);
      await until('big-tcp to be gone', () => !studio.broker.online().includes('big-tcp'));
      assert.equal(
        page.events.filter((e) => e.type === 'message' && e.topic === 'class/x').length,
        0,
      );
      assert.deepEqual(page.errors, []);
    },
  );

  await t.test('a big publish over WebSocket is refused and its client disconnected', async () => {
    const big = await connect('big-ws', 'ws');
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.publish('class/x', Buffer.alloc(10_000_000));
    await until('the terminal line about big-ws', () => refusalLine('big-ws'));
    await closed;
    await until('big-ws to be gone', () => !studio.broker.online().includes('big-ws'));
  });

  await t.test('a big packet sent in small WebSocket frames is refused at its header', async () => {
    const ws = new WebSocket(`ws://${HOST}:${studio.httpPort}/mqtt`, 'mqtt');
    sockets.push(ws);
    await once(ws, 'open');
    const received: Buffer[] = [];
    ws.on('message', (data: Buffer) => received.push(data));
    const closed = once(ws, 'close');
    ws.send(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clean: true,
        clientId: 'chunked-ws',
        keepalive: 60,
      }),
    );
    await until('the CONNACK', () => received.length > 0);
    const publish = mqttPacket.generate({
      cmd: 'publish',
      topic: 'class/x',
      payload: Buffer.alloc(1_000_000),
      qos: 0,
      dup: false,
      retain: false,
    });
    // 16 kB at a time, as a client would stream it: no one frame is large.
    for (let at = 0; at < publish.length && ws.readyState === WebSocket.OPEN; at += 16_384) {
      ws.send(publish.subarray(at, at + 16_384));
    }
    const line = await until('the terminal line about chunked-ws', () => refusalLine('chunked-ws'));
    assert.match(line, /sent a 1 MB message/);
    // Told why, as far as WebSocket can say it: 1009 is "Message Too Big".
    const [code] = (await closed) as [number];
    assert.equal(code, 1009);
  });

  await t.test('the console gets the start of a big message and its full length', async () => {
    const board = await connect('big-enough', 'tcp');
    const payload = Buffer.alloc(200_000, 'a');
    await board.publishAsync('class/long', payload);
    const event = await until('the long message on the console', () =>
      page.events.find((e) => e.type === 'message' && e.topic === 'class/long'),
    );
    assert.equal(event.type, 'message');
    if (event.type !== 'message') return;
    assert.ok(event.payload.length <= 4096, `${event.payload.length} bytes sent to the page`);
    assert.deepEqual(Buffer.from(event.payload), payload.subarray(0, event.payload.length));
    assert.equal(event.size, 200_000);
    // The page shows its start and says how many bytes it leaves out.
    assert.equal(payloadText(event.payload, 2048, event.size).omittedBytes, 200_000 - 2048);
  });

  await t.test('a page that stops reading misses messages and is told how many', async () => {
    const slow = await consolePage();
    slow.ws.pause();
    const count = 4000;
    const payload = Buffer.alloc(4000, 'b');
    for (let i = 0; i < count; i++) await studio.broker.publish('class/flood', payload);
    slow.ws.resume();
    // Every message is either shown or counted in a notice (there may be more than one notice,
    // when the page had room again for a while during the flood).
    const tally = (events: ConsoleEvent[]) => {
      let skipped = 0;
      let shown = 0;
      for (const e of events) {
        if (e.type === 'skipped') skipped += e.count;
        if (e.type === 'message' && e.topic === 'class/flood') shown++;
      }
      return { skipped, shown, all: skipped + shown };
    };
    await until('every message shown or counted', () => tally(slow.events).all === count);
    const { skipped, shown } = tally(slow.events);
    assert.ok(skipped > 0 && shown > 0, `${skipped} not shown, ${shown} shown`);
    // The page that kept reading lost none without being told either (this process floods it
    // too fast to read everything: the server and the page share one event loop here).
    await until('the reading page too', () => tally(page.events).all === count);
  });
});
