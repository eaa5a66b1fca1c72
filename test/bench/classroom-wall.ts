// The classroom wall under a class: BOARDS simulated virtual boards, each an MQTT client over
// WebSocket on `/mqtt?run=<its secret>` (as a studio page's program connects) and the page's
// `/board` channel, changing state RATE_PER_S times a second: each change sends the board's state
// and publishes one message of the child's own (QoS 0, to a topic the same client subscribes
// to, carrying its send time). The real `npm start` runs in its own process. Measured twice, for
// `seconds` each: without the teacher's page, then with /class?token=… open in headless
// Chromium: the page's frame time (p95 of requestAnimationFrame gaps) and the children's
// messages' delivery latency (p99) in each phase, and what the page adds.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { ROOT, launchChromium } from '../e2e/studio.ts';
import { percentile, type Figure } from './figures.ts';

const BOARDS = 40;
const RATE_PER_S = 2;
/** How long the page settles (loads, gets every tile) before its frames are counted. */
const SETTLE_MS = 3000;

/** `npm start` on free ports in its own process, with its studio address and wall link. */
async function startServer(): Promise<{ http: string; wall: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(ROOT, 'src/server/start.js')], {
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let http = '';
  let wall = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start ended (${code}) before listening`)));
    lines.on('line', (line) => {
      http ||= /^Studio: (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      wall ||= /^Classroom wall[^:]*: (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      if (http && wall) resolve();
    });
  });
  return { http, wall, child };
}

/** One simulated virtual board. */
interface Board {
  mqtt: MqttClient;
  channel: WebSocket;
  run: string;
  step: number;
}

async function connectBoard(http: string, i: number, latencies: number[]): Promise<Board> {
  const ws = http.replace(/^http/, 'ws');
  const run = randomBytes(16).toString('hex');
  const client = await mqtt.connectAsync(`${ws}mqtt?run=${run}`, {
    clientId: `bench-wall-${String(i).padStart(2, '0')}`,
    reconnectPeriod: 0,
  });
  client.on('message', (_topic, payload) => {
    latencies.push(performance.now() - Number(payload.toString()));
  });
  await client.subscribeAsync(`bench/${i}`);
  const channel = new WebSocket(`${ws}board`);
  await new Promise((resolve, reject) => {
    channel.once('open', resolve);
    channel.once('error', reject);
  });
  return { mqtt: client, channel, run, step: 0 };
}

/** One change of board `i`: its new state on `/board` and one message of its own. */
function change(board: Board, i: number): void {
  board.step++;
  const level = (board.step * 37 + i * 11) % 256;
  const led = [level, 255 - level, board.step % 2 ? 0 : 80];
  board.channel.send(
    JSON.stringify({
      type: 'state',
      run: board.run,
      project: `Lamp ${i}`,
      leds: [led, led, led],
      oled: [`step ${board.step}`, '', '', ''],
    }),
  );
  board.mqtt.publish(`bench/${i}`, String(performance.now()));
}

/** Runs the boards for `ms`; the changes are spread evenly over each period. */
async function drive(boards: Board[], ms: number): Promise<void> {
  const period = 1000 / RATE_PER_S;
  const timers = boards.map((board, i) =>
    setTimeout(
      () => {
        change(board, i);
        timers[i] = setInterval(() => change(board, i), period);
      },
      (period * i) / boards.length,
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  for (const timer of timers) clearInterval(timer);
  // Messages still on their way.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/** The classroom wall's figures for `seconds` per phase. */
export async function measureClassroomWall(seconds: number): Promise<{
  figures: Figure[];
  details: object;
}> {
  const { http, wall, child } = await startServer();
  const browser = await launchChromium();
  const boards: Board[] = [];
  try {
    const without: number[] = [];
    const withPage: number[] = [];
    for (let i = 0; i < BOARDS; i++) boards.push(await connectBoard(http, i, without));
    await drive(boards, seconds * 1000);

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(wall);
    await page
      .locator(`classroom-wall article[data-client-id]`)
      .nth(BOARDS - 1)
      .waitFor();
    for (const board of boards) {
      board.mqtt.removeAllListeners('message');
      board.mqtt.on('message', (_topic, payload) => {
        withPage.push(performance.now() - Number(payload.toString()));
      });
    }
    const driving = drive(boards, seconds * 1000 + SETTLE_MS);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    // A string: tsx would wrap a named function in a helper the page does not have.
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const gaps = [];
      let last = performance.now();
      const end = last + ${seconds * 1000};
      const frame = (now) => {
        gaps.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(frame);
        else resolve(gaps);
      };
      requestAnimationFrame(frame);
    })`)) as number[];
    await driving;
    const tiles = await page.locator('classroom-wall article[data-client-id]').count();
    const p99Without = percentile(without, 99);
    const p99With = percentile(withPage, 99);
    const one = (name: string, unit: string, value: number, samples: number, max?: number) => ({
      part: 'wall',
      name,
      unit,
      median: value,
      min: value,
      max: value,
      samples,
      ...(max === undefined ? {} : { target: { max } }),
    });
    const expected = BOARDS * RATE_PER_S * seconds;
    return {
      figures: [
        one('class page frame time p95', 'ms', percentile(frames, 95), frames.length, 50),
        one('own messages p99, no page', 'ms', p99Without, without.length),
        one('own messages p99, page open', 'ms', p99With, withPage.length, 50),
        one('added by the page (p99)', 'ms', p99With - p99Without, withPage.length),
      ],
      details: {
        boards: BOARDS,
        ratePerS: RATE_PER_S,
        seconds,
        tiles,
        frames: frames.length,
        frameP50: percentile(frames, 50),
        received: { withoutPage: without.length, withPage: withPage.length, expected },
        latency: {
          withoutPage: { p50: percentile(without, 50), p99: p99Without },
          withPage: { p50: percentile(withPage, 50), p99: p99With },
        },
      },
    };
  } finally {
    for (const board of boards) {
      board.channel.close();
      board.mqtt.end(true);
    }
    await browser.close();
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
