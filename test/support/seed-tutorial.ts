/**
 * The seed tutorial's program (taken verbatim from shared/seed beside the repository) and the
 * script and checks that say what it does: WiFi first, the same connect arguments, the callback,
 * a periodic ping, `on` red, `off` dark, disconnect at the end. Shared by the seed-equivalence
 * and import tests.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { message, type BoardRun, type Event, type TraceEntry } from './micropython-board.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// CI clones the repository elsewhere but puts `shared/` beside it.
export const seedFile = path.join(repoRoot, '..', 'shared', 'seed', '000_286e8d3e081bf065.txt');
/** Why the tests that need the seed tutorial are skipped, or false when it is there. */
export const noSeed =
  !existsSync(seedFile) &&
  `the seed tutorial is not at ${seedFile} (shared/ beside the repository, as in CI)`;
export const exampleFile = path.join(repoRoot, 'src', 'examples', 'onenet-rgb.json');

/** The indented block after `程序示例::` in the seed tutorial, dedented, otherwise verbatim. */
export function seedProgram(): string {
  const lines = readFileSync(seedFile, 'utf8').split('\n');
  const start = lines.findIndex((line) => line.trim() === '程序示例::');
  assert.notEqual(start, -1, `No "程序示例::" block in ${seedFile}`);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() && !/^\s/.test(line)) break;
    block.push(line);
  }
  while (block.length && !block[0].trim()) block.shift();
  while (block.length && !block.at(-1)!.trim()) block.pop();
  const indent = Math.min(
    ...block.filter((line) => line.trim()).map((line) => line.length - line.trimStart().length),
  );
  return block.map((line) => line.slice(indent)).join('\n') + '\n';
}

export const TOPIC = '$creq/6a5c1e7e-0f1b-4a6b-9a55-1d2c3e4f5a6b';
const bytes = (text: string) => new TextEncoder().encode(text);
/** The messages in the order they are sent. */
const PAYLOADS: Uint8Array[] = [
  bytes('on'),
  bytes('off'),
  bytes('ON'),
  bytes('onx'),
  bytes(''),
  bytes('开灯'),
  new Uint8Array([0xff, 0xfe]),
  bytes('on'),
  bytes('off'),
];
export const SCRIPT: Event[] = [
  'tick',
  message(TOPIC, PAYLOADS[0]),
  'tick',
  message(TOPIC, PAYLOADS[1]),
  message(TOPIC, PAYLOADS[2]),
  'tick',
  message(TOPIC, PAYLOADS[3]),
  message(TOPIC, PAYLOADS[4]),
  message(TOPIC, PAYLOADS[5]),
  'tick',
  message(TOPIC, PAYLOADS[6]),
  message(TOPIC, PAYLOADS[7]),
  'press a',
  message(TOPIC, PAYLOADS[8]),
  'tick',
];
export const TICKS = SCRIPT.filter((event) => event === 'tick').length;

const RED = [50, 0, 0];
const DARK = [0, 0, 0];

const indexOf = (trace: TraceEntry[], call: string) => trace.findIndex((e) => e.call === call);
export const callsOf = (trace: TraceEntry[], call: string) => trace.filter((e) => e.call === call);
const show = (trace: TraceEntry[]) => trace.map((e) => e.call).join(' → ');

/** The facts the tutorial promises, checked on one run so that two empty traces cannot agree. */
export function assertTutorialBehaviour(run: BoardRun, who: string): void {
  const { trace } = run;
  assert.equal(run.error, undefined, `${who} raised:\n${run.error}`);
  const wifi = indexOf(trace, 'wifi.connectWiFi');
  const client = indexOf(trace, 'MQTTClient');
  const setCallback = indexOf(trace, 'MQTTClient.set_callback');
  const connect = indexOf(trace, 'MQTTClient.connect');
  assert.ok(wifi >= 0 && wifi < client, `${who}: connectWiFi before MQTTClient: ${show(trace)}`);
  assert.deepEqual(trace[wifi].args, ['ssid', 'password'], `${who}: WiFi name and password`);
  assert.deepEqual(
    trace[client].args,
    ['deviceID', '183.230.40.39', 6002, 'productID', 'APIKey', 10, false],
    `${who}: MQTTClient(client_id, server, port, user, password, keepalive, ssl)`,
  );
  assert.ok(
    client < setCallback && setCallback < connect,
    `${who}: set_callback between MQTTClient and connect: ${show(trace)}`,
  );
  assert.deepEqual(
    callsOf(trace, 'Timer.init').map((e) => e.args.slice(1)),
    [[2000, 'PERIODIC', { callable: true }]],
    `${who}: one periodic 2000 ms timer`,
  );
  assert.ok(indexOf(trace, 'Timer.init') > connect, `${who}: the timer starts after connect`);
  const pings = trace.flatMap((e, i) => (e.call === 'MQTTClient.ping' ? [i] : []));
  assert.equal(pings.length, TICKS, `${who}: one ping per tick`);
  assert.ok(
    pings.every((i) => trace[i - 1].call === 'tick'),
    `${who}: each ping comes from a tick`,
  );
  const deliveries = callsOf(trace, 'deliver');
  assert.deepEqual(
    deliveries.map((e) => e.args),
    PAYLOADS.map((payload) => [bytes(TOPIC), payload]),
    `${who}: every scripted message delivered as bytes, in order`,
  );
  // The LED colours written after each message, up to the next message.
  const writesAfter = deliveries.map((delivery) => {
    const from = trace.indexOf(delivery) + 1;
    const to = trace.findIndex((e, i) => i >= from && e.call === 'deliver');
    return trace
      .slice(from, to === -1 ? undefined : to)
      .filter((e) => e.call === 'rgb.write')
      .map((e) => e.args[0]);
  });
  assert.deepEqual(
    writesAfter,
    [
      [[RED, RED, RED]],
      [[DARK, DARK, DARK]],
      [],
      [],
      [],
      [],
      [],
      [[RED, RED, RED]],
      [[DARK, DARK, DARK]],
    ],
    `${who}: red after "on", dark after "off", nothing for ON, onx, empty, Chinese, non-UTF-8`,
  );
  assert.equal(trace.at(-1)?.call, 'MQTTClient.disconnect', `${who}: disconnect comes last`);
  assert.equal(callsOf(trace, 'MQTTClient.disconnect').length, 1, `${who}: one disconnect`);
}
