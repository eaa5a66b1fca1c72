// Figures for issue 14's closing note (run once, not a test):
//   node --import tsx test/bench/security-figures.ts
// 1. The server's memory (RSS) with 20 console pages that do not read (WebSockets to /console
//    whose sockets are paused) while a client tries a 100 MB publish over TCP (the issue's
//    `head -c 100000000 /dev/zero | mosquitto_pub -s`), then while a client floods 200 kB
//    messages (under the limit) for the same pages.
// 2. Whether 500 TCP and 500 WebSocket MQTT clients are all held, and the server's RSS then.
// Against `npm start` itself (src/server/start.js, built if stale) in its own process on free
// ports on 127.0.0.1, with the clients in this process. RSS is read from /proc (Linux).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { WebSocket } from 'ws';
import { ROOT } from '../e2e/studio.ts';

const HOST = '127.0.0.1';
const PAGES = 20;
const TCP_CLIENTS = 500;
const WS_CLIENTS = 500;
/** How long the 1000 clients are held before they are counted again. */
const HOLD_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of process `pid` in MB, from /proc. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** Samples `pid`'s RSS every 20 ms until stopped; resolves to the peak in MB. */
function peakRss(pid: number): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssMb(pid));
    },
  };
}

/** `npm start` on free ports, in its own process; resolves once it prints its addresses. */
async function startServer(): Promise<{
  child: ChildProcess;
  http: number;
  tcp: number;
  lines: string[];
}> {
  const child = spawn(process.execPath, [join(ROOT, 'src/server/start.js')], {
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const http = lines
      .map((line) => /^Studio: http:\/\/[^:]+:(\d+)\//.exec(line)?.[1])
      .find(Boolean);
    const tcp = lines.map((line) => /^MQTT TCP: \S+:(\d+)$/.exec(line)?.[1]).find(Boolean);
    if (http && tcp) return { child, http: Number(http), tcp: Number(tcp), lines };
    if (child.exitCode !== null) throw new Error(`npm start ended (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error(`npm start did not listen:\n${lines.join('\n')}`);
    await sleep(50);
  }
}

/** Console pages that connected, got their first frame, and then stopped reading. */
async function stalledPages(port: number): Promise<WebSocket[]> {
  return Promise.all(
    Array.from({ length: PAGES }, async () => {
      const ws = new WebSocket(`ws://${HOST}:${port}/console`, { maxPayload: 0 });
      ws.on('error', () => {});
      await once(ws, 'message');
      ws.pause();
      return ws;
    }),
  );
}

/** The 100 MB publish with mosquitto_pub; resolves to its exit code. */
async function publish100MB(port: number): Promise<number | null> {
  const pub = spawn(
    'sh',
    ['-c', `head -c 100000000 /dev/zero | mosquitto_pub -h ${HOST} -p ${port} -t class/x -s`],
    { stdio: 'ignore' },
  );
  const [code] = (await once(pub, 'exit')) as [number | null];
  return code;
}

/** Connects `count` clients to `url`, 50 at a time; resolves to those that connected. */
async function connectMany(url: string, prefix: string, count: number): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      mqtt
        .connectAsync(url, {
          clientId: `${prefix}-${start + i}`,
          reconnectPeriod: 0,
          connectTimeout: 30_000,
          keepalive: 60,
        })
        .then((client) => {
          client.on('error', () => {});
          return client;
        })
        .catch(() => null),
    );
    for (const client of await Promise.all(batch)) if (client) clients.push(client);
  }
  return clients;
}

/** Runs `measure` against a fresh `npm start`, which is stopped afterwards. */
async function withServer<T>(
  measure: (server: Awaited<ReturnType<typeof startServer>>, pid: number) => Promise<T>,
): Promise<T> {
  const server = await startServer();
  try {
    return await measure(server, server.child.pid!);
  } finally {
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }
}

/** Figures 1: 20 stalled console pages, a 100 MB publish, then a flood under the limit. */
function bigMessages() {
  return withServer(async (server, pid) => {
    await sleep(2000);
    const idle = rssMb(pid);
    const pages = await stalledPages(server.http);
    const withPages = rssMb(pid);
    let sampler = peakRss(pid);
    const exitCode = await publish100MB(server.tcp);
    await sleep(3000);
    const peak100MB = sampler.stop();
    const after100MB = rssMb(pid);

    // Under the limit: 500 messages of 200 kB for the same 20 pages that do not read.
    const flooder = (await connectMany(`mqtt://${HOST}:${server.tcp}`, 'flooder', 1))[0];
    sampler = peakRss(pid);
    const payload = Buffer.alloc(200_000, 'a');
    for (let i = 0; i < 500; i++) await flooder.publishAsync('class/flood', payload);
    await sleep(3000);
    const peakFlood = sampler.stop();
    await flooder.endAsync(true);
    for (const ws of pages) ws.terminate();
    return {
      rssMb: {
        idle,
        with20StalledPages: withPages,
        peakDuring100MBPublish: peak100MB,
        after100MBPublish: after100MB,
        peakDuring200kBFlood: peakFlood,
      },
      mosquittoPubExitCode: exitCode,
      serverLines: server.lines.filter((line) => line.startsWith('MQTT:')).slice(0, 5),
    };
  });
}

/** Figures 2: 500 TCP and 500 WebSocket clients, held for HOLD_MS. */
function manyClients() {
  return withServer(async (server, pid) => {
    await sleep(2000);
    const idle = rssMb(pid);
    const tcp = await connectMany(`mqtt://${HOST}:${server.tcp}`, 'board', TCP_CLIENTS);
    const ws = await connectMany(`ws://${HOST}:${server.http}/mqtt`, 'page', WS_CLIENTS);
    await sleep(HOLD_MS);
    const held = {
      tcp: `${tcp.filter((client) => client.connected).length} of ${TCP_CLIENTS}`,
      ws: `${ws.filter((client) => client.connected).length} of ${WS_CLIENTS}`,
    };
    const withClients = rssMb(pid);
    await Promise.all([...tcp, ...ws].map((client) => client.endAsync(true)));
    return { rssMb: { idle, with1000Clients: withClients }, held };
  });
}

console.log(
  JSON.stringify({ bigMessages: await bigMessages(), manyClients: await manyClients() }, null, 2),
);
