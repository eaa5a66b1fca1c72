// A whole school (issue 21): the classroom load (classroom.ts) split over two `npm start`
// processes sharing one redis-server, beside one process in memory, one process on Redis and
// Mosquitto; the largest load two processes hold with nothing lost; and a child's message→LED
// latency while the classroom load runs on the same studio, one process and two. Every process is
// its own (REDIS_URL, free ports); the clients, the page and the load all share this machine's
// cores, so the CPU each process used is reported beside the figures.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT, launchChromium, waitForOnline } from '../e2e/studio.ts';
import { startMosquitto } from '../support/mosquitto.ts';
import { startRedis } from '../support/redis.ts';
import { startStudioProcess } from '../support/studio-process.ts';
import { classroom, PAIRS, RATE_PER_S, type ClassroomResult } from './classroom.ts';
import { percentile, type Figure } from './figures.ts';
import { coldContext, readiness } from './page-load.ts';
import { messageLatencies } from './run-and-leds.ts';

/**
 * Pairs (a TCP and a WebSocket client each) tried for the largest load, smallest first; 2000
 * pairs put 2000 connections on each process, its default cap.
 */
const LOAD_STEPS = [40, 80, 160, 320, 640, 1000, 1500, 2000];
/** A load is held when nothing is lost and 99% of messages arrive within this (a lamp a child watches). */
const HOLD_P99_MS = 1000;
/** How long each step of the largest-load search runs at most. */
const STEP_SECONDS = 20;
/** Linux's clock ticks per second in /proc/<pid>/stat (CLK_TCK, 100 on Debian). */
const TICKS_PER_S = 100;

/** Brokers set up for a run: where clients connect, which processes to watch, how to stop. */
interface Setup {
  name: string;
  /** Boards (TCP) connect here, browsers (WebSocket) there: two processes when they differ. */
  tcp: string;
  ws: string;
  /** The page of the LED run. */
  url?: string;
  pids: Record<string, number>;
  stop(): Promise<void>;
}

/** CPU seconds process `pid` used so far (user and system). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime, stime
}

/** Starts watching the CPU of `pids` and this process; the result is % of one core each. */
function watchCpu(pids: Record<string, number>): () => Record<string, number> {
  const started = performance.now();
  const before = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]),
  );
  const own = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const used: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) {
      used[name] = Math.round(((cpuSeconds(pid) - before[name]) / seconds) * 100);
    }
    const { user, system } = process.cpuUsage(own);
    used['clients (this process)'] = Math.round(((user + system) / 1e6 / seconds) * 100);
    return used;
  };
}

/** "studio A 45%, redis 12%, …" */
function cpuText(used: Record<string, number>): string {
  return Object.entries(used)
    .map(([name, percent]) => `${name} ${percent}%`)
    .join(', ');
}

/** One `npm start`, in memory or on a fresh redis-server. */
async function oneProcess(onRedis: boolean): Promise<Setup> {
  const redis = onRedis ? await startRedis() : null;
  const studio = await startStudioProcess(redis ? { REDIS_URL: redis.url } : {});
  return {
    name: onRedis ? 'one process on Redis' : 'one process in memory',
    tcp: studio.tcp,
    ws: studio.ws,
    url: studio.url,
    pids: { studio: studio.pid, ...(redis ? { redis: redis.pid } : {}) },
    stop: async () => {
      await studio.stop();
      await redis?.stop();
    },
  };
}

/** Two `npm start`s on a fresh redis-server: boards on A, browsers (and the page) on B. */
async function twoProcesses(): Promise<Setup> {
  const redis = await startRedis();
  const [a, b] = await Promise.all([
    startStudioProcess({ REDIS_URL: redis.url }),
    startStudioProcess({ REDIS_URL: redis.url }),
  ]);
  return {
    name: 'two processes on Redis',
    tcp: a.tcp,
    ws: b.ws,
    url: b.url,
    pids: { 'studio A': a.pid, 'studio B': b.pid, redis: redis.pid },
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    },
  };
}

async function mosquitto(): Promise<Setup> {
  const { tcpPort, wsPort, stop } = await startMosquitto();
  return {
    name: 'Mosquitto',
    tcp: `mqtt://127.0.0.1:${tcpPort}`,
    ws: `ws://127.0.0.1:${wsPort}`,
    pids: {},
    stop,
  };
}

/** One classroom run on a fresh setup, with the CPU each process used. */
async function classroomOn(
  start: () => Promise<Setup>,
  seconds: number,
  pairs = PAIRS,
): Promise<{
  name: string;
  result: ClassroomResult | null;
  error?: string;
  cpu: Record<string, number>;
}> {
  const setup = await start();
  const cpu = watchCpu(setup.pids);
  try {
    return { name: setup.name, result: await classroom(setup, seconds, pairs), cpu: cpu() };
  } catch (error) {
    // Connections refused or timing out at a large load: that load is not held.
    return { name: setup.name, result: null, error: (error as Error).message, cpu: cpu() };
  } finally {
    await setup.stop();
  }
}

/** A figure measured once. */
function once(name: string, unit: string, value: number, extra: Partial<Figure> = {}): Figure {
  return {
    part: 'school',
    name,
    unit,
    median: value,
    min: value,
    max: value,
    samples: 1,
    ...extra,
  };
}

/** A child's 500 messages to the LED in a page on `setup`, while the classroom load runs on it. */
async function ledUnderLoad(browser: Browser, setup: Setup, seconds: number, messages: number) {
  let loadRunning = true;
  const load = classroom(setup, seconds).finally(() => (loadRunning = false));
  const context = await coldContext(browser, { bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(`${setup.url}?example=onenet-rgb`);
    await readiness(page);
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await page.addScriptTag({ path: join(ROOT, 'node_modules/mqtt/dist/mqtt.min.js') });
    const wasRunning = loadRunning;
    const { toLed } = await messageLatencies(
      page,
      `${setup.url!.replace(/^http/, 'ws')}mqtt`,
      messages,
    );
    const throughout = wasRunning && loadRunning;
    return { toLed, throughout, load: await load };
  } finally {
    await context.close();
    await load.catch(() => {});
  }
}

/**
 * The school part of `npm run bench`: `seconds` per classroom run, `messages` to the LED.
 * Figures and the details behind them.
 */
export async function measureSchool(
  seconds: number,
  messages: number,
): Promise<{ figures: Figure[]; details: object }> {
  const figures: Figure[] = [];
  const details: Record<string, object> = {};
  const note = `${PAIRS} TCP + ${PAIRS} WS clients, ${RATE_PER_S}/s each, QoS 1, ${seconds} s`;

  // 1. The classroom on each.
  const setups = [() => oneProcess(false), () => oneProcess(true), twoProcesses, mosquitto];
  for (const start of setups) {
    process.stdout.write(`  school: classroom, ${seconds} s…\n`);
    const load = loadavg()[0];
    const { name, result, error, cpu } = await classroomOn(start, seconds);
    if (!result) throw new Error(`the classroom on ${name} failed: ${error}`);
    const p50 = percentile(result.latencies, 50);
    const p99 = percentile(result.latencies, 99);
    figures.push(
      once(`Classroom, ${name}: messages lost`, '', result.lost, {
        target: { max: 0, exact: true },
        note: `of ${result.sent}`,
      }),
      once(`Classroom, ${name}: delivery p50`, 'ms', p50),
      once(`Classroom, ${name}: delivery p99`, 'ms', p99, {
        target: { max: 50 },
        min: Math.min(...result.latencies),
        max: Math.max(...result.latencies),
        note: `${note}; CPU: ${cpuText(cpu)}; load average ${load.toFixed(1)} at the start`,
      }),
    );
    const { latencies: _, ...counts } = result;
    details[`classroom, ${name}`] = { ...counts, p50, p99, cpu };
  }

  // 2. A child's LED under the classroom load, one process and two.
  const browser = await launchChromium();
  try {
    for (const start of [() => oneProcess(false), twoProcesses]) {
      const setup = await start();
      try {
        process.stdout.write(
          `  school: ${messages} messages to the LED under load, ${setup.name}…\n`,
        );
        const { toLed, throughout, load } = await ledUnderLoad(browser, setup, seconds, messages);
        const loadNote =
          `under the classroom load (${load.lost} of ${load.sent} lost); load average ` +
          `${loadavg()[0].toFixed(1)} at the end` +
          (throughout ? '' : '; the load ended before the last message');
        figures.push(
          once(`Message to LED under load, ${setup.name}: p50`, 'ms', percentile(toLed, 50), {
            samples: toLed.length,
          }),
          once(`Message to LED under load, ${setup.name}: p99`, 'ms', percentile(toLed, 99), {
            samples: toLed.length,
            min: Math.min(...toLed),
            max: Math.max(...toLed),
            target: { max: 16 },
            note: loadNote,
          }),
        );
        details[`leds under load, ${setup.name}`] = {
          p50: percentile(toLed, 50),
          p99: percentile(toLed, 99),
          throughout,
          lost: load.lost,
          sent: load.sent,
        };
      } finally {
        await setup.stop();
      }
    }
  } finally {
    await browser.close();
  }

  // 3. The largest load two processes hold with nothing lost.
  const stepSeconds = Math.min(seconds, STEP_SECONDS);
  const steps: object[] = [];
  let held: { pairs: number; p99: number; cpu: Record<string, number> } | null = null;
  let failed: { pairs: number; why: string; cpu: Record<string, number> } | null = null;
  for (const pairs of LOAD_STEPS) {
    process.stdout.write(`  school: largest load, ${2 * pairs} clients, ${stepSeconds} s…\n`);
    const load = loadavg()[0];
    const { result, error, cpu } = await classroomOn(twoProcesses, stepSeconds, pairs);
    const p99 = result ? percentile(result.latencies, 99) : NaN;
    const clients = 2 * pairs;
    steps.push({ clients, lost: result?.lost, sent: result?.sent, p99, error, cpu, load });
    if (result && result.lost === 0 && p99 <= HOLD_P99_MS) {
      held = { pairs, p99, cpu };
      continue;
    }
    let why = `${error}`;
    if (result?.lost) why = `${result.lost} of ${result.sent} lost`;
    else if (result) why = `p99 ${Math.round(p99)} ms, over ${HOLD_P99_MS} ms`;
    failed = { pairs, why: `${why} (load average ${load.toFixed(1)})`, cpu };
    break;
  }
  details['largest load, two processes'] = steps;
  if (held) {
    const limit = failed
      ? `at ${2 * failed.pairs} clients ${failed.why}; CPU then: ${cpuText(failed.cpu)}`
      : `the largest step tried`;
    figures.push(
      once('Largest load held, two processes on Redis: clients', '', 2 * held.pairs, {
        note:
          `${2 * held.pairs * RATE_PER_S} messages/s, QoS 1, 0 lost, p99 ${Math.round(held.p99)} ms ` +
          `(held: 0 lost, p99 ≤ ${HOLD_P99_MS} ms), ${stepSeconds} s; CPU: ${cpuText(held.cpu)}`,
      }),
      once(
        'Largest load held, two processes on Redis: messages/s',
        'msg/s',
        2 * held.pairs * RATE_PER_S,
        {
          note: `what limits it: ${limit}`,
        },
      ),
    );
  }
  return { figures, details };
}
