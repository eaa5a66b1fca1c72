/**
 * A recording implementation of the runtime contract (`src/runtime/contract.ts`) for tests, and
 * `runTypeScript`, which runs a generated TypeScript program against it. The same scripted events
 * as the MicroPython stand-in board (`micropython-board.ts`) drive the program: messages reach the
 * `onMessage` handlers, ticks fire the keep-alive pings, presses run the button handlers; the
 * same scripted sensor readings answer `sensors.light()` / `sensors.sound()`, and a read past the
 * end of its list ends the run (`ScriptEnd`) as it does on the board.
 *
 * Guards: every recorded call counts against a budget (a loop of `await sleep()` resolves at once
 * and would otherwise starve the event loop), and a timer rejects a program that waits on
 * something that never settles. A synchronous endless loop (`while (true) {}`) cannot be stopped.
 *
 * The program runs as the body of an async function with parameters `require` and `exports`
 * (sucrase's CommonJS output), so a program that declares a top-level `require` or `exports`
 * cannot run here; generated programs are ES modules, where both are ordinary names.
 */
import { transform } from 'sucrase';
import type {
  BoardRuntime,
  Buttons,
  Mqtt,
  MqttMessage,
  MqttOptions,
  Oled,
  RgbLeds,
  Runtime,
  Sensors,
  Wifi,
} from '../../src/runtime/contract.ts';
import { RUNTIME_MODULE } from '../../src/runtime/contract.ts';
import { idleBoard, toLevel } from '../../src/board/board-state.ts';
import { PARTS } from '../../src/parts/index.ts';
import type { BoardLimits, Event, SensorReadings } from './micropython-board.ts';

/** One call the program made on the runtime, or one scripted event (`deliver`, `tick`, `press`). */
export interface RuntimeCall {
  call: string;
  args: unknown[];
}

/** What a run of a TypeScript program gives back (the same shape as a run on the board). */
export interface RuntimeRun {
  /** Every runtime call and scripted event, in order. */
  trace: RuntimeCall[];
  /** One line per `print`, each ending in a newline. */
  stdout: string;
  /** The error's stack when the program threw. */
  error?: string;
}

/** The recording runtime and what it recorded. */
export interface RecordingRuntime {
  runtime: Runtime;
  trace: RuntimeCall[];
  printed: string[];
  /** Handles the events `listenForever` did not reach (messages are then not delivered). */
  drain(): Promise<void>;
}

/** The program used more runtime calls or time than its limits allow. */
export class RunBudgetExceeded extends Error {
  override name = 'RunBudgetExceeded';
}

/** The scripted sensor readings ran out: the normal end of a run, as `ScriptEnd` on the board. */
export class ScriptEnd extends Error {
  override name = 'ScriptEnd';
}

/** Non-fatal UTF-8 that keeps a leading BOM, as the board's `mqtt_text` does. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** A message as the runtime hands it to handlers. */
function mqttMessage(topic: string | Uint8Array, payload: string | Uint8Array): MqttMessage {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const topicText = typeof topic === 'string' ? topic : decoder.decode(topic);
  return {
    topic: topicText,
    payload: bytes,
    text: decoder.decode(bytes),
    is(text: string): boolean {
      const expected = new TextEncoder().encode(text);
      return expected.length === bytes.length && expected.every((byte, i) => byte === bytes[i]);
    },
  };
}

/** A runtime that records every call and plays `script` (see the module comment). */
export function createRecordingRuntime(
  script: Event[],
  limits: BoardLimits = {},
  readings: SensorReadings = {},
): RecordingRuntime {
  const trace: RuntimeCall[] = [];
  const printed: string[] = [];
  const maxCalls = limits.maxCalls ?? 100_000;
  const deadline = Date.now() + (limits.timeoutMs ?? 10_000);
  const messageHandlers: ((message: MqttMessage) => void | Promise<void>)[] = [];
  const buttonHandlers: Record<'a' | 'b', (() => void | Promise<void>)[]> = { a: [], b: [] };
  let pingPeriods: number[] = [];
  let next = 0;
  const leds: [number, number, number][] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];

  const record = (call: string, ...args: unknown[]): void => {
    if (trace.length >= maxCalls) throw new RunBudgetExceeded(`more than ${maxCalls} calls`);
    if (Date.now() > deadline) throw new RunBudgetExceeded('out of time');
    trace.push({ call, args });
  };

  /** Plays one event; messages reach the handlers only while listening. */
  const play = async (event: Event, listening: boolean): Promise<void> => {
    if (event === 'tick') {
      record('tick');
      for (const _period of pingPeriods) record('mqtt.ping');
    } else if (event === 'press a' || event === 'press b') {
      const button = event === 'press a' ? 'a' : 'b';
      record('press', button);
      for (const handler of buttonHandlers[button]) await handler();
    } else if (listening) {
      const message = mqttMessage(event.topic, event.payload);
      record('deliver', message.topic, message.payload);
      for (const handler of messageHandlers) await handler(message);
    } else {
      record('undelivered', event.topic, event.payload);
    }
  };

  const wifi: Wifi = {
    async connect(ssid, password) {
      record('wifi.connect', ssid, password);
    },
  };
  const mqtt: Mqtt = {
    async connect(options: MqttOptions) {
      record('mqtt.connect', { ...options });
    },
    onMessage(handler) {
      record('mqtt.onMessage');
      messageHandlers.push(handler);
    },
    async subscribe(topic) {
      record('mqtt.subscribe', topic);
    },
    async publish(topic, message) {
      record('mqtt.publish', topic, message);
    },
    keepAlive(periodMs) {
      record('mqtt.keepAlive', periodMs);
      pingPeriods = [...pingPeriods, periodMs];
    },
    async listenForever() {
      record('mqtt.listenForever');
      while (next < script.length) await play(script[next++], true);
    },
    async disconnect() {
      record('mqtt.disconnect');
      pingPeriods = [];
    },
  };
  const show = () =>
    record(
      'rgb.write',
      leds.map((led) => [...led]),
    );
  const rgb: RgbLeds = {
    fill(red, green, blue) {
      record('rgb.fill', red, green, blue);
      for (const led of leds) led.splice(0, 3, toLevel(red), toLevel(green), toLevel(blue));
      show();
    },
    set(index, red, green, blue) {
      record('rgb.set', index, red, green, blue);
      leds[index] = [toLevel(red), toLevel(green), toLevel(blue)];
      show();
    },
  };
  const oled: Oled = {
    showText(text, line) {
      record('oled.showText', text, line);
    },
    clear() {
      record('oled.clear');
    },
  };
  const buttons: Buttons = {
    onPressed(button, handler) {
      record('buttons.onPressed', button);
      buttonHandlers[button].push(handler);
    },
  };
  const levels = { light: readings.light?.slice(), sound: readings.sound?.slice() };
  const read = (sensor: 'light' | 'sound'): number => {
    record(`sensors.${sensor}`);
    const left = levels[sensor];
    if (!left) return idleBoard()[sensor];
    const level = left.shift();
    if (level === undefined) throw new ScriptEnd(`no ${sensor} reading left`);
    return level;
  };
  const sensors: Sensors = {
    light: () => read('light'),
    sound: () => read('sound'),
  };
  const board: BoardRuntime = {
    wifi,
    mqtt,
    rgb,
    oled,
    buttons,
    sensors,
    async sleep(ms) {
      record('sleep', ms);
    },
    print(value) {
      record('print', value);
      printed.push(String(value));
    },
  };
  // Each board part's export records every call as `<part>.<method>` (src/parts/).
  const parts = PARTS.map(({ name }) => [
    name,
    new Proxy(
      {},
      {
        get:
          (_, method) =>
          async (...args: unknown[]) =>
            record(`${name}.${String(method)}`, ...args),
      },
    ),
  ]);
  const runtime = { ...board, ...Object.fromEntries(parts) } as Runtime;
  const drain = async () => {
    while (next < script.length) await play(script[next++], false);
  };
  return { runtime, trace, printed, drain };
}

type ProgramFunction = (require: (name: string) => unknown, exports: object) => Promise<void>;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...params: string[]
) => ProgramFunction;

/**
 * Transpiles generated TypeScript with sucrase and runs it against a recording runtime driven by
 * `script` and `readings`; top-level `await` stays as it is and works inside the async function
 * body. Running out of sensor readings ends the run without an error.
 */
export async function runTypeScript(
  source: string,
  script: Event[],
  limits: BoardLimits = {},
  readings: SensorReadings = {},
): Promise<RuntimeRun> {
  const recording = createRecordingRuntime(script, limits, readings);
  const js = transform(source, { transforms: ['typescript', 'imports'] }).code;
  const program = new AsyncFunction('require', 'exports', js);
  const require = (name: string): unknown => {
    if (name === RUNTIME_MODULE) return recording.runtime;
    throw new Error(`A generated program imported ${JSON.stringify(name)}`);
  };
  const timeoutMs = limits.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RunBudgetExceeded(`still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const run: RuntimeRun = { trace: recording.trace, stdout: '' };
  try {
    await Promise.race([
      (async () => {
        await program(require, {});
        await recording.drain();
      })(),
      timeout,
    ]);
  } catch (error) {
    if (!(error instanceof ScriptEnd)) {
      run.error = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    }
  } finally {
    clearTimeout(timer);
  }
  run.stdout = recording.printed.map((line) => `${line}\n`).join('');
  return run;
}
