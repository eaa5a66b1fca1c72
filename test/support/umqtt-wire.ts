/**
 * Runs a generated main.py in the real MicroPython interpreter (WebAssembly) against the bytes
 * umqtt.simple puts on the wire, with the board's scheduler played deterministically.
 *
 * The stand-ins live as Python files in ./umqtt-wire/: `umqtt/simple.py` writes what
 * micropython-lib's client writes, in the same separate `sock.write` calls; `usocket.py` records
 * every write and reads the broker's script; `machine.py` queues a Timer's callback on the
 * scheduler in `_wire.py`, which runs it right after a write (where the ESP32's socket send loop
 * runs pending callbacks), during a blocking read, or in `sleep_ms` — but only at the moments a
 * run asks for, so that a run is the same every time and needs no clock.
 *
 * Values cross between JavaScript and Python only as ASCII JSON with bytes in hex (the
 * interpreter's own conversion of a str to JavaScript stops at a NUL).
 */
import { readFileSync } from 'node:fs';

/** The package ships no types: the part of its API used here. */
interface MicroPython {
  FS: { mkdir(path: string): void; writeFile(path: string, data: string): void };
  globals: { get(key: string): unknown; set(key: string, value: unknown): void };
  runPython(code: string): unknown;
}
type LoadMicroPython = (options: {
  heapsize?: number;
  linebuffer?: boolean;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}) => Promise<MicroPython>;

/** What umqtt is writing when a write happens; `program` is any write outside umqtt's methods. */
export type Operation = 'connect' | 'publish' | 'subscribe' | 'ping' | 'disconnect' | 'program';

/**
 * One step of the broker's side, played when the program reads and has nothing left to read: a
 * packet for it, time passing while it waits (every running timer fires), or a button press
 * (its handler runs as a scheduled callback, as on the board).
 */
export type BrokerStep = Uint8Array | 'tick' | 'press a' | 'press b';

/** Which umqtt.simple the board runs: they differ only in when a username is sent. */
export type UmqttFlavour = 'micropython-lib' | 'mpython-firmware';

/** One run's setting. */
export interface WireRun {
  /** The broker's side, in order; when it is spent, the next read ends the run (`ScriptEnd`). */
  broker: BrokerStep[];
  /** Every running timer fires right after each write umqtt makes inside these operations. */
  fireTimersAfterWritesIn?: readonly Operation[];
  /** `light.read()` answers, in order; a read past the end ends the run. */
  light?: number[];
  /** micropython-lib's (`user` truthy) unless told; the firmware's sends `""` too. */
  flavour?: UmqttFlavour;
  /** Most stand-in calls (writes, reads, board calls) before the run is stopped. */
  maxCalls?: number;
}

/** One `sock.write` call. */
export interface WireWrite {
  during: Operation;
  bytes: Uint8Array;
}

/** What a run put on the wire, and how it ended. */
export interface WireRecord {
  /** Every `sock.write`, in order. */
  writes: WireWrite[];
  /** The bytes the broker received: the writes joined. */
  stream: Uint8Array;
  /** Every publish the program asked umqtt for, as the bytes it meant to send. */
  published: { topic: Uint8Array; payload: Uint8Array }[];
  /** Each time the timers fired: in a write of that operation, or `wait` / `sleep`. */
  timerFires: string[];
  /** Exceptions a scheduled callback raised (the board prints them and goes on). */
  callbackErrors: string[];
  /** Everything printed, as UTF-8. */
  stdout: string;
  /** The traceback when the program failed; the script's end is not a failure. */
  error?: string;
}

const STANDINS = new URL('./umqtt-wire/', import.meta.url);
const FILES = ['_wire.py', 'usocket.py', 'machine.py', 'mpython.py', 'umqtt/__init__.py'];
const UMQTT = 'umqtt/simple.py';

/** Runs the program, ending at the script's end; any other failure is kept in `_wire`. */
const RUN_PY = String.raw`
import _wire
_wire_source = _wire.start(_wire_config)
try:
    try:
        exec(compile(_wire_source, "main.py", "exec"), {"__name__": "__main__"})
    except _wire.ScriptEnd:
        pass
except BaseException as _wire_error:
    _wire.fail(_wire_error)
_wire_result = _wire.result()
`;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

let loader: Promise<LoadMicroPython> | undefined;

/** The broker step as `_wire.start` reads it. */
function encodeStep(step: BrokerStep): string[] {
  if (step === 'tick') return ['tick'];
  if (step === 'press a' || step === 'press b') return ['press', step.slice(-1)];
  return ['packet', hex(step)];
}

/** Runs `source` as main.py in a fresh interpreter with the stand-ins, against `run`. */
export async function runOnWire(source: string, run: WireRun): Promise<WireRecord> {
  loader ??= import('@micropython/micropython-webassembly-pyscript').then(
    (module) => module.loadMicroPython as LoadMicroPython,
  );
  const loadMicroPython = await loader;
  const output: number[] = [];
  const mp = await loadMicroPython({
    heapsize: 8 * 1024 * 1024,
    linebuffer: false,
    stdout: (bytes) => output.push(...bytes),
    stderr: (bytes) => output.push(...bytes),
  });
  mp.FS.mkdir('/lib');
  mp.FS.mkdir('/lib/umqtt');
  for (const file of [...FILES, UMQTT]) {
    mp.FS.writeFile(`/lib/${file}`, readFileSync(new URL(file, STANDINS), 'utf8'));
  }
  const config = {
    source: hex(new TextEncoder().encode(source)),
    inbound: run.broker.map(encodeStep),
    force: run.fireTimersAfterWritesIn ?? [],
    light: run.light ?? [],
    userIf: run.flavour === 'mpython-firmware' ? 'not-none' : 'truthy',
    maxCalls: run.maxCalls ?? 10_000,
  };
  mp.globals.set('_wire_config', JSON.stringify(config));
  mp.runPython(RUN_PY);
  const result = JSON.parse(mp.globals.get('_wire_result') as string) as {
    writes: [Operation, string][];
    published: [string, string][];
    fires: string[];
    callbackErrors: string[];
    error: string | null;
  };
  const writes = result.writes.map(([during, bytes]) => ({ during, bytes: unhex(bytes) }));
  const record: WireRecord = {
    writes,
    stream: new Uint8Array(Buffer.concat(writes.map((write) => write.bytes))),
    published: result.published.map(([topic, payload]) => ({
      topic: unhex(topic),
      payload: unhex(payload),
    })),
    timerFires: result.fires,
    callbackErrors: result.callbackErrors.map((text) => utf8.decode(unhex(text))),
    stdout: utf8.decode(new Uint8Array(output)),
  };
  if (result.error !== null) record.error = utf8.decode(unhex(result.error));
  return record;
}
