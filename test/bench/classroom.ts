// Classroom: 40 boards over TCP and 40 browser-like clients over WebSocket (mqtt.js in Node), in
// pairs: board i and browser i each publish 2 messages a second at QoS 1 to the other for the
// whole run. Against the embedded broker (the real `npm start`, in its own process) and against
// Mosquitto (our own instance on free ports), one after the other, with the clients in this
// process. Every message carries its send time, so delivery latency needs no second clock.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { ROOT } from '../e2e/studio.ts';
import { startMosquitto } from '../support/mosquitto.ts';
import { percentile, type Figure } from './figures.ts';

export const PAIRS = 40;
export const RATE_PER_S = 2;
/** How long a run waits, after the last publish, for messages still on their way. */
const DRAIN_MS = 10_000;

/** A broker under test: its TCP and WebSocket addresses, and how to stop it. */
export interface BrokerUnderTest {
  name: string;
  tcp: string;
  ws: string;
  stop(): Promise<void>;
}

/** What one run saw. */
export interface ClassroomResult {
  sent: number;
  received: number;
  duplicates: number;
  lost: number;
  latencies: number[];
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** `npm start` on free ports, in its own process; resolves once it prints its addresses. */
async function startEmbedded(): Promise<BrokerUnderTest> {
  const child = spawn(process.execPath, [join(ROOT, 'src/server/start.js')], {
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let http = '';
  let tcp = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`npm start ended (${code}) before listening`)));
    lines.on('line', (line) => {
      http ||= /^Studio: (http:\/\/\S+)/.exec(line)?.[1] ?? '';
      tcp ||= /^MQTT TCP: (\S+)/.exec(line)?.[1] ?? '';
      if (http && tcp) resolve();
    });
  });
  return {
    name: 'embedded (aedes)',
    tcp: `mqtt://${tcp}`,
    ws: `${http.replace(/^http/, 'ws')}mqtt`,
    stop: () => stopProcess(child),
  };
}

/** Mosquitto with a TCP and a WebSocket listener on free loopback ports. */
async function mosquittoUnderTest(): Promise<BrokerUnderTest> {
  const { tcpPort, wsPort, stop } = await startMosquitto();
  return {
    name: 'Mosquitto',
    tcp: `mqtt://127.0.0.1:${tcpPort}`,
    ws: `ws://127.0.0.1:${wsPort}`,
    stop,
  };
}

/** Runs the classroom (`pairs` pairs) against `broker` for `seconds`; all disconnect at the end. */
export async function classroom(
  broker: Omit<BrokerUnderTest, 'stop'>,
  seconds: number,
  pairs = PAIRS,
): Promise<ClassroomResult> {
  const perClient = seconds * RATE_PER_S;
  const seen = new Set<string>();
  const latencies: number[] = [];
  let duplicates = 0;
  let sent = 0;
  const clients: MqttClient[] = [];
  const connect = async (url: string, clientId: string, inbox: string) => {
    const client = await mqtt.connectAsync(url, { clientId, reconnectPeriod: 0, clean: true });
    clients.push(client);
    client.on('message', (_topic, payload) => {
      const now = performance.now();
      const [id, sentAt] = payload.toString().split(' ');
      if (seen.has(id)) {
        duplicates++;
        return;
      }
      seen.add(id);
      latencies.push(now - Number(sentAt));
    });
    await client.subscribeAsync(inbox, { qos: 1 });
    return client;
  };
  try {
    const connected = await Promise.all(
      Array.from({ length: pairs }, async (_, i) => {
        const board = await connect(broker.tcp, `bench-board-${i}`, `class/${i}/board`);
        const browser = await connect(broker.ws, `bench-browser-${i}`, `class/${i}/browser`);
        return [
          { client: board, name: `board-${i}`, to: `class/${i}/browser` },
          { client: browser, name: `browser-${i}`, to: `class/${i}/board` },
        ];
      }),
    );
    const senders = connected.flat();
    const period = 1000 / RATE_PER_S;
    // Spread over one period, as forty children do not press Run at the same instant.
    await Promise.all(
      senders.map(
        ({ client, name, to }, index) =>
          new Promise<void>((resolve) => {
            const start = performance.now() + (index / senders.length) * period;
            let count = 0;
            const next = () => {
              if (count === perClient) return resolve();
              const payload = `${name}/${count} ${performance.now()}`;
              count++;
              sent++;
              client.publish(to, payload, { qos: 1 });
              setTimeout(next, Math.max(0, start + count * period - performance.now()));
            };
            setTimeout(next, Math.max(0, start - performance.now()));
          }),
      ),
    );
    const end = performance.now() + DRAIN_MS;
    while (seen.size < sent && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await Promise.all(clients.map((client) => client.endAsync().catch(() => {})));
  }
  return { sent, received: seen.size, duplicates, lost: sent - seen.size, latencies };
}

/** The classroom against the embedded broker and Mosquitto, `seconds` each. */
export async function measureClassroom(seconds: number): Promise<{
  figures: Figure[];
  details: object;
}> {
  const results: Record<string, ClassroomResult> = {};
  for (const start of [startEmbedded, mosquittoUnderTest]) {
    const broker = await start();
    try {
      process.stdout.write(`  classroom on ${broker.name}, ${seconds} s…\n`);
      results[broker.name] = await classroom(broker, seconds);
    } finally {
      await broker.stop();
    }
  }
  const figures: Figure[] = [];
  const [embedded, mosquitto] = Object.values(results);
  const note = `${PAIRS} TCP + ${PAIRS} WS clients, ${RATE_PER_S}/s each, QoS 1, ${seconds} s`;
  for (const [name, r] of Object.entries(results)) {
    const one = (what: string, unit: string, value: number, target?: Figure['target']) => ({
      part: 'classroom',
      name: `Classroom, ${name}: ${what}`,
      unit,
      median: value,
      min: value,
      max: value,
      samples: 1,
      target,
    });
    figures.push(
      { ...one('messages lost', '', r.lost, { max: 0, exact: true }), note: `of ${r.sent}` },
      one('delivery p50', 'ms', percentile(r.latencies, 50)),
      {
        ...one('delivery p99', 'ms', percentile(r.latencies, 99), { max: 50 }),
        min: Math.min(...r.latencies),
        max: Math.max(...r.latencies),
        note,
      },
    );
  }
  const ratio = (p: number) =>
    percentile(embedded.latencies, p) / percentile(mosquitto.latencies, p);
  figures.push(
    {
      part: 'classroom',
      name: 'Classroom: embedded ÷ Mosquitto, delivery p50',
      unit: '×',
      median: ratio(50),
      min: ratio(50),
      max: ratio(50),
      samples: 1,
    },
    {
      part: 'classroom',
      name: 'Classroom: embedded ÷ Mosquitto, delivery p99',
      unit: '×',
      median: ratio(99),
      min: ratio(99),
      max: ratio(99),
      samples: 1,
    },
  );
  const details = Object.fromEntries(
    Object.entries(results).map(([name, { latencies, ...counts }]) => [
      name,
      { ...counts, p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    ]),
  );
  return { figures, details };
}
