/**
 * The runtime contract (`contract.ts`) as it runs in the browser, inside the program's Worker:
 * MQTT goes through the transport to the browser's broker, the LEDs and the screen are kept here
 * and posted to the page as `board` patches (`FromWorker`), as are the parts' states (each part's
 * runtime piece, `options.parts`, shows its own), and button presses come back as inputs.
 *
 * The program's life is the board's (DESIGN.md, boundary 7; see also `formatForPrint`):
 * - Messages are handled only while the program listens (`listenForever`, umqtt's `wait_msg()`
 *   loop), one at a time and in order. Messages that arrive before it listens wait, as they wait
 *   in the board's socket; once the top level has ended without listening, nothing handles them
 *   again and the page is told why (`notice`), while buttons and the keep-alive go on.
 * - Nothing pings by itself: the keep-alive (`keepAlive`, the board's Timer) and every packet the
 *   program sends keep the connection open. A broker drops a client that was silent for
 *   1.5 × keepalive; a dropped or lost connection is never made again (umqtt does not
 *   reconnect): `listenForever` fails with the reason, as `wait_msg()` raises OSError, and so
 *   does the next publish or subscription.
 * - A message or button handler that throws is reported (`error` with its line and the kind of
 *   handler) and the program goes on: the generated MicroPython catches its handlers' errors too.
 * - Status: `online`/`offline` follow the transport (and `disconnect()`); `ended` is posted once
 *   the top level has finished (or thrown) while no MQTT client is open or opening and no button
 *   handler is registered: then nothing can ever run again. An uncaught error in the top level
 *   ends the program, as an exception ends `main.py` on the board: the client is closed.
 * - After `stop()` the runtime posts nothing, handlers stop running and `sleep` never resolves,
 *   so a loop of sleeps ends there; `listenForever` resolves so `finally` blocks may run.
 * - A part's busy-wait (`PartBoard.busy`: `music.play` busy-waits in C and runs no scheduled
 *   callbacks) holds everything else: button handlers, messages and keep-alive pings wait until
 *   it is over and then run in order; a `sleep` that ends meanwhile returns after it. `sleep`
 *   itself holds nothing, as the board's `time.sleep` runs scheduled callbacks while it waits.
 * - The light and sound levels are the virtual board's sliders: the levels they had when Run was
 *   pressed (`sensors`), then every `light`/`sound` input. A read never waits, as `read()` of the
 *   board's ADC does not.
 */
import {
  idleBoard,
  toLevel,
  type BoardInput,
  type BoardState,
  type Rgb,
} from '../board/board-state.ts';
import { shownBrokerUrl } from '../project/browser-broker.ts';
import type { PartBoard, PartRuntime } from '../parts/part-runtime.ts';
import type { Language } from '../i18n/language.ts';
import type { BrowserBrokerTarget, FromWorker, ProgramHandler } from '../run/protocol.ts';
import type {
  BoardRuntime,
  Buttons,
  Mqtt,
  MqttMessage,
  Oled,
  RgbLeds,
  Runtime,
  Sensors,
  Wifi,
} from './contract.ts';
import {
  SentenceError,
  runtimeLine,
  runtimeStrings,
  sentence,
  sentenceOf,
  setRuntimeLanguage,
  wordSentence,
  type Sentence,
} from './strings.ts';
import { connectTransport, type Transport } from './transport.ts';

/** Where the runtime sends what the board should show (the Worker's `postMessage`). */
export interface RuntimePort {
  post(message: FromWorker): void;
}

/** Optional hooks of `createBrowserRuntime`. */
export interface BrowserRuntimeOptions {
  /** The generated program's lines in an error's stack, innermost first, when they can be told. */
  linesOf?(error: unknown): number[];
  /** The light and sound levels the board's sliders show as the program starts. */
  sensors?: Pick<BoardState, 'light' | 'sound'>;
  /** The language of the sentences it posts (errors, notes); unchanged (English) if absent. */
  language?: Language;
  /** The clock that says how long the program was silent (tests give a virtual one). */
  now?(): number;
  /** The board parts' runtime pieces (src/parts/): each becomes the runtime export of its name. */
  parts?: readonly PartRuntime[];
  /** How many milliseconds here one of the board's takes in a part's waits (tests give 0). */
  partTimeScale?: number;
}

/** A runtime and the handles the Worker drives it with. */
export interface BrowserRuntime {
  /** What the program imports as `@iot-blocks/runtime`. */
  runtime: Runtime;
  /** An input from the virtual board: presses run the button handlers, sliders set the levels. */
  input(input: BoardInput): void;
  /** Posts `{type: 'error'}` for `error`, with its program line when known and the handler. */
  reportError(error: unknown, handler?: ProgramHandler): void;
  /**
   * Tells the runtime the program's top level has settled; `failure` holds what it threw, if it
   * threw (that is reported, and the program ends). Posts `ended` when nothing keeps it alive.
   */
  topLevelDone(failure?: { error: unknown }): Promise<void>;
  /** Stops everything: ends the MQTT client cleanly, drops handlers, posts nothing more. */
  stop(): Promise<void>;
}

/** The longest wait `setTimeout` takes; longer ones would fire at once. */
const MAX_SLEEP_MS = 2 ** 31 - 1;

/** The highest level the board's 12-bit ADCs read. */
const SENSOR_MAX = 4095;

/** A slider's level as the ADC gives it: a whole number within 0–4095 (0 when not a number). */
function sensorLevel(value: unknown): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.max(0, Math.min(SENSOR_MAX, n)) : 0;
}

/** Non-fatal UTF-8 that keeps a leading BOM, as the board's `mqtt_text` does. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** A message as handlers receive it (contract: `MqttMessage`). */
export function mqttMessage(topic: string, payload: Uint8Array): MqttMessage {
  return {
    topic,
    payload,
    text: decoder.decode(payload),
    is(text: string): boolean {
      const expected = encoder.encode(String(text));
      return expected.length === payload.length && expected.every((b, i) => b === payload[i]);
    },
  };
}

/**
 * `print(value)` as Python prints it, for the values blocks make: text as it is, `True`/`False`,
 * `None` for null/undefined, lists as `[1, 'a', True]`, bytes as `b'on'`. Numbers: Blockly's math
 * gives JavaScript numbers, which do not remember whether they were whole, so whole numbers print
 * without `.0` (`3`, as a Python int would) and others as JavaScript writes them (`0.1`, `1e-7`);
 * `nan`, `inf` and `-inf` as Python spells them.
 */
export function formatForPrint(value: unknown): string {
  return typeof value === 'string' ? value : repr(value, new Set());
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  // Above 1e21 JavaScript switches whole numbers to exponent form; Python ints never do.
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  return String(n);
}

function pythonString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

function pythonBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0x5c || byte === 0x27) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `b'${out}'`;
}

function repr(value: unknown, seen: Set<unknown>): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return pythonString(value);
  if (value instanceof Uint8Array) return pythonBytes(value);
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[...]';
    seen.add(value);
    const items = value.map((item) => repr(item, seen)).join(', ');
    seen.delete(value);
    return `[${items}]`;
  }
  return String(value);
}

/**
 * Awaits `work`; an error it rejects with (made inside mqtt.js, with no program frame in its
 * stack) is thrown again from here, where V8's async stack reaches the program's line.
 */
async function withProgramStack(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    throw new Error(describe(error), { cause: error });
  }
}

/** `message` of an error as the console shows it: the kind of error unless it is plain. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * The runtime for one run of a program: connects to `broker.url` (sending the connect block's
 * username and password only when `broker.sendCredentials`) and reports through `port`.
 */
export function createBrowserRuntime(
  port: RuntimePort,
  broker: BrowserBrokerTarget,
  options: BrowserRuntimeOptions = {},
): BrowserRuntime {
  // The transport words its errors with the same strings: one language for the whole run.
  if (options.language) setRuntimeLanguage(options.language);
  let stopped = false;
  let topLevelSettled = false;
  let endedPosted = false;
  let client: Transport | null = null;
  let connecting: AbortController | null = null;
  let online = false;
  /** Why the connection was lost, once it was: later writes fail with it. */
  let lost: Sentence | null = null;
  /** The connect block's keep-alive in seconds, and when the program last sent a packet. */
  let keepalive = 0;
  let lastSent = 0;
  const now = options.now ?? (() => Date.now());
  /** Messages that came while the program was not listening yet (the board's socket buffer). */
  let waiting: MqttMessage[] = [];
  let messageQueue: Promise<void> = Promise.resolve();
  let buttonQueue: Promise<void> = Promise.resolve();
  const messageHandlers: ((message: MqttMessage) => void | Promise<void>)[] = [];
  const buttonHandlers: Record<'a' | 'b', (() => void | Promise<void>)[]> = { a: [], b: [] };
  const sleeps = new Set<ReturnType<typeof setTimeout>>();
  const pingers = new Set<ReturnType<typeof setInterval>>();
  const listeners = new Set<{ resolve(): void; reject(error: Error): void }>();
  /** Busy-waits under way (see the module comment), and what waits for them to be over. */
  let busyWaits = 0;
  let afterBusy: (() => void)[] = [];
  /** Runs `work` now, or once no busy-wait is under way, after what already waits. */
  const whenFree = (work: () => void) => {
    if (busyWaits > 0) afterBusy.push(work);
    else work();
  };
  const free = () => new Promise<void>((resolve) => whenFree(resolve));
  const leds: [Rgb, Rgb, Rgb] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const lines: [string, string, string, string] = ['', '', '', ''];
  const { light, sound } = options.sensors ?? idleBoard();
  const levels = { light: sensorLevel(light), sound: sensorLevel(sound) };

  const post = (message: FromWorker) => {
    if (!stopped) port.post(message);
  };
  const reportError = (error: unknown, handler?: ProgramHandler) => {
    if (stopped) return;
    const lines = options.linesOf?.(error) ?? [];
    const said = sentenceOf(error);
    post({
      type: 'error',
      message: describe(error),
      ...(said ? { sentence: said } : {}),
      ...(lines.length ? { line: lines[0], lines } : {}),
      ...(handler ? { handler } : {}),
    });
  };
  const setOnline = (value: boolean, detail?: string) => {
    if (value === online) return;
    online = value;
    post({ type: 'status', status: value ? 'online' : 'offline', ...(detail ? { detail } : {}) });
  };
  const checkEnded = () => {
    const buttonsLive = buttonHandlers.a.length + buttonHandlers.b.length > 0;
    if (stopped || endedPosted || !topLevelSettled || client || connecting || buttonsLive) return;
    endedPosted = true;
    post({ type: 'status', status: 'ended' });
  };
  /** Ends the pending `listenForever` calls: resolved when closed on purpose, else failed. */
  const stopListening = (error?: Error) => {
    for (const listener of listeners) {
      if (error) listener.reject(error);
      else listener.resolve();
    }
    listeners.clear();
  };
  const stopPinging = () => {
    for (const timer of pingers) clearInterval(timer);
    pingers.clear();
  };
  const sent = () => {
    lastSent = now();
  };
  /**
   * The broker closed the connection or went away. Why, as far as the browser can tell: a
   * connection silent for at least its keep-alive was dropped for that (the broker allows
   * 1.5 ×), anything else was lost.
   */
  const dropped = (transport: Transport) => {
    if (stopped || client !== transport) return;
    client = null;
    void transport.end();
    stopPinging();
    const silent = now() - lastSent;
    lost =
      keepalive > 0 && silent >= keepalive * 1000
        ? sentence('droppedSilent', Math.round(silent / 1000), keepalive)
        : sentence('droppedOther');
    setOnline(false, wordSentence(lost, options.language ?? 'en'));
    if (listeners.size) stopListening(new SentenceError(lost));
    else if (topLevelSettled) {
      reportError(new SentenceError(lost));
      checkEnded();
    }
    // Otherwise the top level is running: its next publish or subscription fails with `lost`.
  };
  const closeClient = async () => {
    connecting?.abort();
    const current = client;
    client = null;
    stopListening();
    if (current) await current.end();
    setOnline(false);
  };
  const requireClient = (action: Sentence): Transport => {
    if (!client) throw new SentenceError(lost ?? sentence('connectFirst', action));
    return client;
  };
  /**
   * Runs `handlers` one after the other; one that throws is reported (as thrown in a handler of
   * `kind`) and the rest still run.
   */
  const runHandlers = async <A extends unknown[]>(
    kind: ProgramHandler,
    handlers: ((...args: A) => void | Promise<void>)[],
    ...args: A
  ) => {
    for (const handler of [...handlers]) {
      // Another handler freed at the same moment may have begun a busy-wait of its own.
      while (busyWaits > 0) await free();
      if (stopped) return;
      try {
        await handler(...args);
      } catch (error) {
        reportError(error, kind);
      }
    }
  };
  const handle = (message: MqttMessage) => {
    messageQueue = messageQueue.then(() =>
      runHandlers({ kind: 'message' }, messageHandlers, message),
    );
  };
  const deliver = (topic: string, payload: Uint8Array) => {
    if (stopped) return;
    const message = mqttMessage(topic, payload);
    if (listeners.size) handle(message);
    else if (!topLevelSettled) waiting.push(message);
    // After the top level ended without listening, nothing reads the socket any more.
  };

  const wifi: Wifi = {
    async connect(ssid) {
      post({ type: 'print', ...runtimeLine('wifiAlreadyOnline', String(ssid)) });
    },
  };

  const mqtt: Mqtt = {
    async connect(connectOptions) {
      const clientId = String(connectOptions.clientId ?? '');
      const keepaliveSeconds = Number(connectOptions.keepalive);
      if (!clientId) throw new SentenceError(sentence('clientIdEmpty'));
      if (!Number.isInteger(keepaliveSeconds) || keepaliveSeconds < 0 || keepaliveSeconds > 65535) {
        throw new SentenceError(sentence('keepaliveRange', String(connectOptions.keepalive)));
      }
      // A second connect replaces the program's one client, as a new MQTTClient would.
      await closeClient();
      lost = null;
      waiting = [];
      post({
        type: 'print',
        ...runtimeLine(
          'mqttConnecting',
          shownBrokerUrl(broker.url),
          String(connectOptions.server),
          Number(connectOptions.port),
        ),
      });
      // MQTT allows a password only together with a username, so both go or neither.
      const username = broker.sendCredentials ? String(connectOptions.username ?? '') : '';
      const password = broker.sendCredentials ? String(connectOptions.password ?? '') : '';
      const abort = new AbortController();
      connecting = abort;
      let transport: Transport | undefined;
      try {
        transport = await connectTransport({
          url: broker.url,
          clientId,
          username: username || undefined,
          password: username && password ? password : undefined,
          keepalive: keepaliveSeconds,
          onMessage: deliver,
          onStatus: (value) => {
            if (transport && client === transport && !value) dropped(transport);
            else if (connecting === abort || (transport && client === transport)) setOnline(value);
          },
          signal: abort.signal,
        });
      } catch (error) {
        // Thrown again from here so its stack reaches the program's connect line.
        throw new Error(describe(error), { cause: error });
      } finally {
        if (connecting === abort) connecting = null;
      }
      if (stopped || abort.signal.aborted) {
        await transport.end();
        return;
      }
      client = transport;
      keepalive = keepaliveSeconds;
      sent();
    },
    onMessage(handler) {
      messageHandlers.push(handler);
    },
    async subscribe(topic) {
      await withProgramStack(requireClient(sentence('actionSubscribe')).subscribe(String(topic)));
      sent();
    },
    async publish(topic, message) {
      const bytes = message instanceof Uint8Array ? message : encoder.encode(String(message));
      await withProgramStack(
        requireClient(sentence('actionPublish')).publish(String(topic), bytes),
      );
      sent();
    },
    keepAlive(periodMs) {
      const period = Number(periodMs);
      if (!Number.isFinite(period) || period <= 0) {
        throw new SentenceError(sentence('periodRange', String(periodMs)));
      }
      // The board's Timer calling `ping()`: the only pings the connection gets.
      const timer = setInterval(
        () =>
          whenFree(() => {
            if (stopped || !client) return;
            client.ping();
            sent();
          }),
        Math.min(period, MAX_SLEEP_MS),
      );
      pingers.add(timer);
    },
    async listenForever() {
      if (stopped) return;
      requireClient(sentence('actionListen'));
      const ended = new Promise<void>((resolve, reject) => listeners.add({ resolve, reject }));
      const backlog = waiting;
      waiting = [];
      for (const message of backlog) handle(message);
      // Failed from here, so the error's stack reaches the program's listen line.
      await withProgramStack(ended);
    },
    async disconnect() {
      if (stopped) return;
      await closeClient();
      checkEnded();
    },
  };

  const show = (patch: Partial<BoardState>) => post({ type: 'board', patch });
  const showLeds = () => show({ leds: [leds[0], leds[1], leds[2]] });
  const rgb: RgbLeds = {
    fill(red, green, blue) {
      const colour: Rgb = [toLevel(red), toLevel(green), toLevel(blue)];
      leds.fill(colour);
      showLeds();
    },
    set(index, red, green, blue) {
      const i = Number(index);
      if (i !== 0 && i !== 1 && i !== 2)
        throw new SentenceError(sentence('ledIndex', String(i + 1)));
      leds[i] = [toLevel(red), toLevel(green), toLevel(blue)];
      showLeds();
    },
  };

  const showLines = () => show({ oled: [lines[0], lines[1], lines[2], lines[3]] });
  const oled: Oled = {
    showText(text, line) {
      const n = Number(line);
      if (n !== 1 && n !== 2 && n !== 3 && n !== 4)
        throw new SentenceError(sentence('oledLine', String(line)));
      lines[n - 1] = formatForPrint(text);
      showLines();
    },
    clear() {
      lines.fill('');
      showLines();
    },
  };

  const buttons: Buttons = {
    onPressed(button, handler) {
      buttonHandlers[button === 'b' ? 'b' : 'a'].push(handler);
    },
  };

  const sensors: Sensors = {
    light: () => levels.light,
    sound: () => levels.sound,
  };

  /** Lets `ms` pass; after stop the promise is left pending: the program's next line never runs. */
  const timePasses = (ms: number) => {
    const n = Number(ms);
    const wait = Number.isNaN(n) ? 0 : Math.min(Math.max(n, 0), MAX_SLEEP_MS);
    return new Promise<void>((resolve) => {
      if (stopped) return;
      const timer = setTimeout(() => {
        sleeps.delete(timer);
        resolve();
      }, wait);
      sleeps.add(timer);
    });
  };
  const sleep = async (ms: number) => {
    await timePasses(ms);
    while (busyWaits > 0) await free();
  };

  const partBoard: PartBoard = {
    show,
    async busy(ms, ended) {
      busyWaits++;
      try {
        await timePasses(ms * (options.partTimeScale ?? 1));
        ended?.();
      } finally {
        if (--busyWaits === 0) {
          const waiting = afterBusy;
          afterBusy = [];
          for (const work of waiting) work();
        }
      }
    },
  };
  const board: BoardRuntime = {
    wifi,
    mqtt,
    rgb,
    oled,
    buttons,
    sensors,
    sleep,
    print(value) {
      post({ type: 'print', text: formatForPrint(value) });
    },
  };
  const parts = (options.parts ?? []).map((part) => [part.name, part.create(partBoard)]);
  // Each part's export is typed on `Runtime` by the part itself (src/parts/<name>/runtime.ts).
  const runtime = { ...board, ...Object.fromEntries(parts) } as Runtime;

  return {
    runtime,
    input(input) {
      if (stopped) return;
      if (input.kind === 'light' || input.kind === 'sound') {
        levels[input.kind] = sensorLevel(input.level);
      } else if (input.kind === 'button') {
        const { button } = input;
        const handlers = buttonHandlers[button];
        buttonQueue = buttonQueue.then(() => runHandlers({ kind: 'button', button }, handlers));
      }
    },
    reportError,
    async topLevelDone(failure) {
      if (stopped) return;
      topLevelSettled = true;
      waiting = [];
      if (!failure && client && messageHandlers.length) {
        post({
          type: 'notice',
          message: runtimeStrings.notListening,
          sentence: sentence('notListening'),
        });
      }
      if (failure) {
        reportError(failure.error);
        messageHandlers.length = 0;
        buttonHandlers.a.length = 0;
        buttonHandlers.b.length = 0;
        await closeClient();
      }
      checkEnded();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of sleeps) clearTimeout(timer);
      sleeps.clear();
      stopPinging();
      messageHandlers.length = 0;
      buttonHandlers.a.length = 0;
      buttonHandlers.b.length = 0;
      await closeClient();
    },
  };
}
