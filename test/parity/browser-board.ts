/**
 * Runs generated TypeScript on the real browser runtime (`createBrowserRuntime`, the one the
 * program Worker uses) with a recording board: the `RuntimePort` the runtime posts LEDs, OLED
 * lines, prints and errors to, and a real aedes broker (MQTT over WebSocket on a free port) that
 * records what the program's client does there: its CONNECT, subscriptions and publishes.
 *
 * The script is played one event at a time, each only when the last one has been handled in
 * full, so the order of effects is as fixed as on the board:
 * - start-up: the program's top level runs until it finishes, throws, or waits in
 *   `listenForever`;
 * - a message is sent (from the broker straight to the client, as OneNET sends commands) only
 *   while the program listens, as the board takes messages only in `wait_msg()`; otherwise it is
 *   recorded as `undelivered`. It is handled when a tracking handler, added after the program's
 *   own, has seen it (the runtime runs handlers one after the other);
 * - a press goes in as the virtual board's input; a tracking button handler marks its end;
 * - a tick does nothing here: on the board it fires the keep-alive's `ping()` timer, whose pings
 *   are no effect; time, pings and the broker's keep-alive check are life.test.ts's (life-browser.ts
 *   runs the same runtime on a fake clock).
 * After each step the harness waits until the broker has seen every publish and subscription the
 * program made.
 * Subscriptions are recorded as the broker sees them, for the topics the program asked for:
 * any the runtime made for its own plumbing would not be the program's (today it makes none).
 *
 * What is not the real runtime: `sleep` resolves at once (time is virtual on both boards, as the
 * MicroPython stand-in's `sleep_ms` returns at once), and scripted sensor readings move the
 * virtual board's slider before each read, a read past the end of the list ending the run
 * (`ScriptEnd`) as on the stand-in board. The runtime's own lines (the WiFi and connecting
 * notes) are plumbing, not the program's prints, and are left out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client, type PublishPacket } from 'aedes';
import { transform } from 'sucrase';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { createBrowserRuntime } from '../../src/runtime/browser-runtime.ts';
import { RUNTIME_MODULE, type Runtime } from '../../src/runtime/contract.ts';
import type { FromWorker } from '../../src/run/protocol.ts';
import type { Event, SensorReadings } from '../support/micropython-board.ts';
import { PARTS } from '../../src/parts/index.ts';
import { patchEffects, type Effect } from './trace.ts';

/** The scripted readings ran out: the end of a run that loops over a sensor. */
class ScriptEnd extends Error {
  override name = 'ScriptEnd';
}

/** How long one step may take before the run gives up on it (a noisy machine is slow). */
const STEP_MS = 10_000;

/** A real broker for one worker's runs, recording what each run's client does. */
export interface ParityBroker {
  url: string;
  /**
   * Starts recording a run's CONNECT, publishes and subscriptions into `sink`: only those to
   * topics `asked(topic)` says the program subscribed to, not ones the runtime makes for itself.
   */
  watch(sink: Effect[], asked: (topic: string) => boolean): void;
  /** How many publishes the watched client made. */
  publishes(): number;
  /** How many packets the broker has had from clients since it started (pings included). */
  packets(): number;
  /** Whether the broker has seen a subscription to `topic` in this run. */
  sawSubscription(topic: string): boolean;
  /** Resolves once no client is connected (an earlier run's client may still be closing). */
  idle(): Promise<boolean>;
  /** Sends a message to `clientId` whether or not it subscribed; false when not connected. */
  deliver(clientId: string, topic: Uint8Array, payload: Uint8Array): Promise<boolean>;
  /** Whether `clientId` is connected. */
  connected(clientId: string): boolean;
  /** How many clients are connected. */
  clients(): number;
  /** Closes `clientId`'s connection from the broker's side, as a broker that goes away does. */
  drop(clientId: string): void;
  close(): Promise<void>;
}

export async function startParityBroker(): Promise<ParityBroker> {
  let sink: Effect[] = [];
  let asked: (topic: string) => boolean = () => false;
  let published = 0;
  let packets = 0;
  const seen = new Set<string>();
  const broker = await Aedes.createBroker({
    preConnect(_client, packet, done) {
      const username = packet.username ?? '';
      sink.push({
        type: 'connect',
        clientId: packet.clientId,
        username,
        password: username ? (packet.password?.toString('utf8') ?? '') : '',
        keepalive: packet.keepalive ?? 0,
      });
      done(null, true);
    },
  });
  broker.on('ping', () => {
    packets++;
  });
  broker.on('publish', (packet: PublishPacket, client: Client | null) => {
    if (!client) return;
    packets++;
    published++;
    sink.push({
      type: 'publish',
      topic: packet.topic,
      payload: new Uint8Array(Buffer.from(packet.payload)),
    });
  });
  broker.on('subscribe', (subscriptions, client) => {
    if (!client) return;
    packets++;
    for (const s of subscriptions) {
      if (!asked(s.topic)) continue;
      seen.add(s.topic);
      sink.push({ type: 'subscribe', topic: s.topic });
    }
  });
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => broker.handle(createWebSocketStream(ws)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // aedes keeps its connected clients by ID; its types do not list the map.
  const clientOf = (clientId: string): Client | undefined =>
    (broker as unknown as { clients: Record<string, Client> }).clients[clientId];
  return {
    url: `ws://127.0.0.1:${port}/mqtt`,
    watch(next, programTopics) {
      sink = next;
      asked = programTopics;
      published = 0;
      seen.clear();
    },
    publishes: () => published,
    packets: () => packets,
    sawSubscription: (topic) => seen.has(topic),
    idle: () => until(() => broker.connectedClients === 0),
    connected: (clientId) => clientOf(clientId) !== undefined,
    clients: () => broker.connectedClients,
    drop(clientId) {
      clientOf(clientId)?.close();
    },
    deliver(clientId, topic, payload) {
      const client = clientOf(clientId);
      if (!client) return Promise.resolve(false);
      return new Promise((resolve, reject) =>
        client.publish(
          {
            cmd: 'publish',
            // aedes writes the topic as UTF-8 text: bytes that are not UTF-8 cannot be a topic.
            topic: new TextDecoder().decode(topic),
            payload: Buffer.from(payload),
            qos: 0,
            retain: false,
            dup: false,
          },
          (error?: Error) => (error ? reject(error) : resolve(true)),
        ),
      );
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Resolves when `done()` holds, checking after each turn of the event loop at first, then every
 * millisecond (spinning would take the CPU from the broker and the other worker); false on
 * timeout.
 */
async function until(done: () => boolean, ms = STEP_MS): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (let turn = 0; !done(); turn++) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => (turn < 20 ? setImmediate(resolve) : setTimeout(resolve, 1)));
  }
  return true;
}

type ProgramFunction = (require: (name: string) => unknown, exports: object) => Promise<void>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...params: string[]
) => ProgramFunction;

const utf8 = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? new TextEncoder().encode(value) : value;

/**
 * Runs `source` on the real browser runtime against `broker`, driven by `script`; returns the
 * effects in order, each scripted event marked where it was played.
 */
export async function runOnBrowser(
  source: string,
  script: Event[],
  broker: ParityBroker,
  readings: SensorReadings = {},
): Promise<Effect[]> {
  // The next run may use the same client ID: the broker would take the connection over.
  await broker.idle();
  const effects: Effect[] = [];
  const subscribed = new Set<string>();
  /** Topics whose SUBACK came: the broker may tell of the subscription a little later. */
  const granted = new Set<string>();
  broker.watch(effects, (topic) => subscribed.has(topic));
  let plumbing = 0;
  /** The top level threw: the program has ended, the rest of the script is not played. */
  let fatal = false;
  const port = {
    post(message: FromWorker) {
      if (message.type === 'board') effects.push(...patchEffects(message.patch));
      else if (message.type === 'print' && plumbing === 0) {
        effects.push({ type: 'print', text: message.text });
      } else if (message.type === 'error') {
        effects.push({ type: 'error', message: message.message });
      }
    },
  };
  // The parts' waits take no time here, as `sleep` does not (the board's clock is not compared).
  const browser = createBrowserRuntime(
    port,
    { url: broker.url, sendCredentials: true },
    { parts: PARTS.map((part) => part.runtime), partTimeScale: 0 },
  );
  const real = browser.runtime;
  let listening = false;
  let clientId: string | null = null;
  let sent = 0;
  let messagesSeen = 0;
  const pressesSeen = { a: 0, b: 0 };
  const left = { light: readings.light?.slice(), sound: readings.sound?.slice() };
  const read = (sensor: 'light' | 'sound'): number => {
    const levels = left[sensor];
    if (levels) {
      const level = levels.shift();
      if (level === undefined) throw new ScriptEnd(`no ${sensor} reading left`);
      browser.input({ kind: sensor, level });
    }
    return real.sensors[sensor]();
  };
  const asPlumbing = async <T>(work: () => Promise<T>): Promise<T> => {
    plumbing++;
    try {
      return await work();
    } finally {
      plumbing--;
    }
  };
  const runtime: Runtime = {
    ...real,
    wifi: { connect: (ssid, password) => asPlumbing(() => real.wifi.connect(ssid, password)) },
    mqtt: {
      ...real.mqtt,
      async connect(options) {
        await asPlumbing(() => real.mqtt.connect(options));
        clientId = String(options.clientId);
      },
      async subscribe(topic) {
        subscribed.add(String(topic));
        await real.mqtt.subscribe(topic);
        granted.add(String(topic));
      },
      async publish(topic, message) {
        await real.mqtt.publish(topic, message);
        sent++;
      },
      async listenForever() {
        listening = true;
        try {
          await real.mqtt.listenForever();
        } finally {
          listening = false;
        }
      },
      async disconnect() {
        listening = false;
        await real.mqtt.disconnect();
      },
    },
    sensors: { light: () => read('light'), sound: () => read('sound') },
    sleep: () => real.sleep(0),
  };

  let settled = false;
  let scriptEnded = false;
  const require = (name: string): unknown => {
    if (name === RUNTIME_MODULE) return runtime;
    throw new Error(`A generated program imported ${JSON.stringify(name)}`);
  };
  const synced = async () => {
    const done = () =>
      broker.publishes() >= sent && [...granted].every((topic) => broker.sawSubscription(topic));
    if (!(await until(done))) {
      effects.push({
        type: 'error',
        message: 'a publish or subscription never reached the broker',
      });
      fatal = true;
    }
  };
  try {
    let program: ProgramFunction;
    try {
      const js = transform(source, { transforms: ['typescript', 'imports'] }).code;
      program = new AsyncFunction('require', 'exports', js);
    } catch (error) {
      effects.push({ type: 'error', message: `does not compile: ${String(error)}` });
      return effects;
    }
    const top = program(require, {}).then(
      () => {
        settled = true;
        return browser.topLevelDone();
      },
      (error: unknown) => {
        settled = true;
        if (error instanceof ScriptEnd) scriptEnded = true;
        else {
          fatal = true;
          return browser.topLevelDone({ error });
        }
      },
    );
    // The program's own handlers are registered by now (they come first in its text): these
    // run after them, so each marks the end of one message or press.
    real.mqtt.onMessage(() => {
      messagesSeen++;
    });
    for (const button of ['a', 'b'] as const) {
      real.buttons.onPressed(button, () => {
        pressesSeen[button]++;
      });
    }
    if (!(await until(() => settled || listening))) {
      effects.push({ type: 'error', message: 'the top level neither ended nor listened' });
      return effects;
    }
    // A `listenForever` without a client rejects at once: let that reach `topLevelDone`.
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) await top;
    await synced();
    for (const event of script) {
      // A handler's error is reported and the program goes on, on the board too.
      if (fatal || scriptEnded) break;
      if (event === 'tick') {
        effects.push({ type: 'event', event: 'tick' });
      } else if (event === 'press a' || event === 'press b') {
        const button = event === 'press a' ? 'a' : 'b';
        effects.push({ type: 'event', event });
        const before = pressesSeen[button];
        browser.input({ kind: 'button', button });
        if (!(await until(() => pressesSeen[button] > before || fatal))) {
          effects.push({ type: 'error', message: `press ${button} was never handled` });
          break;
        }
      } else if (listening && clientId !== null) {
        effects.push({ type: 'event', event: 'deliver' });
        const before = messagesSeen;
        const topic = utf8(event.topic);
        if (!(await broker.deliver(clientId, topic, utf8(event.payload)))) {
          effects.push({ type: 'error', message: 'the client was not connected' });
          break;
        }
        if (!(await until(() => messagesSeen > before || fatal))) {
          effects.push({ type: 'error', message: 'a message was never handled' });
          break;
        }
      } else {
        effects.push({ type: 'event', event: 'undelivered' });
      }
      await synced();
    }
  } finally {
    await browser.stop();
  }
  return effects;
}
