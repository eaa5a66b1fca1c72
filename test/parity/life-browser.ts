/**
 * The browser's side of the life parity (life.test.ts): generated TypeScript on the real browser
 * runtime and a real aedes broker, in virtual time. It runs in a worker thread whose timers and
 * `Date` are @sinonjs/fake-timers (life-worker.ts), so the runtime's keep-alive and sleeps, and
 * the broker's keep-alive check (aedes closes a client silent for 1.5 × keepalive), all run on
 * one clock that only moves when the script says time passes. Sockets stay real: after every
 * step of the clock the run waits until the event loop is quiet (no packet the broker has not
 * seen, no call of the program's waiting for the network), so a ping always reaches the broker
 * before the next step, as on a real network that is fast compared with the keep-alive.
 *
 * The effects are those of browser-board.ts plus life: `online`, `dropped` (offline with the
 * runtime's reason), `top level ended` (the program's last line ran) and `ended`; and every error
 * with the block of the innermost program line in its stack that a block made.
 */
import type { install } from '@sinonjs/fake-timers';
import { transform } from 'sucrase';
import { createBrowserRuntime } from '../../src/runtime/browser-runtime.ts';
import { RUNTIME_MODULE, type Runtime } from '../../src/runtime/contract.ts';
import { AsyncFunction, programLinesOf } from '../../src/run/program-line.ts';
import type { FromWorker } from '../../src/run/protocol.ts';
import type { TimedEvent } from '../support/micropython-board.ts';
import type { ParityBroker } from './browser-board.ts';
import { PARTS } from '../../src/parts/index.ts';
import { patchEffects, type Effect } from './trace.ts';

/** How far the clock moves in one step (the keep-alives in the cases are whole seconds). */
const STEP_MS = 10;
/** Event-loop turns without progress after which the run counts as quiet. */
const QUIET_TURNS = 8;
/** Real time a run may wait for the event loop to become quiet (a noisy machine is slow). */
const QUIET_DEADLINE_MS = 20_000;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const utf8 = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? new TextEncoder().encode(value) : value;

/**
 * Runs `source` (whose line → block map is `lineBlocks`) against `broker`, driven by `script` on
 * `clock`; returns its effects, each scripted event marked where it was played.
 */
export async function runLifeOnBrowser(
  source: string,
  lineBlocks: (string | null)[],
  script: TimedEvent[],
  broker: ParityBroker,
  clock: ReturnType<typeof install>,
): Promise<Effect[]> {
  const effects: Effect[] = [];
  const subscribed = new Set<string>();
  broker.watch(effects, (topic) => subscribed.has(topic));
  let plumbing = 0;
  let inFlight = 0;
  let finished = false;
  const blockOf = (lines: number[] = []) =>
    lines.map((line) => lineBlocks[line - 1]).find((id) => id) ?? null;
  const port = {
    post(message: FromWorker) {
      if (finished) return;
      switch (message.type) {
        case 'board':
          effects.push(...patchEffects(message.patch));
          break;
        case 'print':
          if (plumbing === 0) effects.push({ type: 'print', text: message.text });
          break;
        case 'error':
          effects.push({ type: 'error', message: message.message, block: blockOf(message.lines) });
          break;
        case 'status':
          if (message.status === 'online') effects.push({ type: 'life', event: 'online' });
          else if (message.status === 'offline' && message.detail) {
            effects.push({ type: 'life', event: 'dropped' });
          } else if (message.status === 'ended') effects.push({ type: 'life', event: 'ended' });
          break;
      }
    },
  };
  const browser = createBrowserRuntime(
    port,
    { url: broker.url, sendCredentials: true },
    { linesOf: programLinesOf, parts: PARTS.map((part) => part.runtime) },
  );
  const real = browser.runtime;
  let listening = false;
  let clientId: string | null = null;
  let messagesSeen = 0;
  const pressesSeen = { a: 0, b: 0 };
  /** A call of the program's that waits for the network: the clock must not move meanwhile. */
  const network = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
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
        await network(() => asPlumbing(() => real.mqtt.connect(options)));
        clientId = String(options.clientId);
      },
      async subscribe(topic) {
        subscribed.add(String(topic));
        await network(() => real.mqtt.subscribe(topic));
      },
      publish: (topic, message) => network(() => real.mqtt.publish(topic, message)),
      disconnect: () => network(() => real.mqtt.disconnect()),
      async listenForever() {
        listening = true;
        try {
          await real.mqtt.listenForever();
        } finally {
          listening = false;
        }
      },
    },
  };

  /** Waits until nothing moves: no packet, effect or network call under way for a while. */
  const quiet = async () => {
    const deadline = performance.now() + QUIET_DEADLINE_MS;
    let last = -1;
    for (let still = 0; still < QUIET_TURNS;) {
      await turn();
      const progress = effects.length + broker.packets() + messagesSeen + inFlight * 1e6;
      still = progress === last && inFlight === 0 ? still + 1 : 0;
      last = progress;
      if (performance.now() > deadline) throw new Error('the run never became quiet');
    }
  };
  /** Lets `ms` of virtual time pass, a step at a time, quiet after each step. */
  const pass = async (ms: number) => {
    const target = clock.now + ms;
    while (clock.now < target) {
      await clock.tickAsync(Math.min(STEP_MS, target - clock.now));
      await quiet();
    }
  };

  let settled = false;
  const require = (name: string): unknown => {
    if (name === RUNTIME_MODULE) return runtime;
    throw new Error(`A generated program imported ${JSON.stringify(name)}`);
  };
  try {
    const js = transform(source, { transforms: ['typescript', 'imports'] }).code;
    const program = new AsyncFunction('require', 'exports', js);
    void program(require, {}).then(
      () => {
        settled = true;
        if (!finished) effects.push({ type: 'life', event: 'top level ended' });
        return browser.topLevelDone();
      },
      (error: unknown) => {
        settled = true;
        return browser.topLevelDone({ error });
      },
    );
    // The program's own handlers are registered by now (they come first in its text): these
    // run after them, so each marks the end of one message or press.
    real.mqtt.onMessage(() => {
      messagesSeen++;
    });
    // Only for a script that presses: a button handler keeps a program from ending.
    for (const button of ['a', 'b'] as const) {
      if (!script.includes(`press ${button}`)) continue;
      real.buttons.onPressed(button, () => {
        pressesSeen[button]++;
      });
    }
    // Start-up: the top level runs until it listens or ends; its sleeps let time pass.
    await quiet();
    while (!settled && !listening) {
      if (clock.countTimers() === 0) throw new Error('the top level waits for nothing');
      await clock.nextAsync();
      await quiet();
    }
    for (const event of script) {
      if (event === 'tick') throw new Error('a life script lets time pass with {wait}, not tick');
      if (event === 'broker restart') {
        effects.push({ type: 'event', event });
        if (clientId !== null) broker.drop(clientId);
        await quiet();
      } else if (event === 'press a' || event === 'press b') {
        const button = event === 'press a' ? 'a' : 'b';
        effects.push({ type: 'event', event });
        const before = pressesSeen[button];
        browser.input({ kind: 'button', button });
        await quiet();
        if (pressesSeen[button] === before) throw new Error(`press ${button} was never handled`);
      } else if ('wait' in event) {
        effects.push({ type: 'event', event: 'wait' });
        await pass(event.wait);
      } else if (listening && clientId !== null && broker.connected(clientId)) {
        effects.push({ type: 'event', event: 'deliver' });
        const before = messagesSeen;
        await broker.deliver(clientId, utf8(event.topic), utf8(event.payload));
        await quiet();
        if (messagesSeen === before) throw new Error('a message was never handled');
      } else {
        // The board's program does not read it: the runtime must not handle it either.
        effects.push({ type: 'event', event: 'undelivered' });
        if (clientId !== null && broker.connected(clientId)) {
          await broker.deliver(clientId, utf8(event.topic), utf8(event.payload));
        }
        await quiet();
      }
    }
  } finally {
    finished = true;
    await browser.stop();
  }
  return effects;
}
