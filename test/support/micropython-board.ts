/**
 * A stand-in mPython board for tests: the real MicroPython interpreter (WebAssembly) with
 * recording Python modules in place of the board's `mpython`, `umqtt.simple` and `machine`, and
 * of each board part's modules (`music`: test/parts/<part>.board.ts, see ./part-boards.ts).
 * Every call a program makes on them is appended to a trace; a script of events (MQTT messages,
 * timer ticks, button presses) drives the program through `wait_msg()`.
 *
 * The script: each `wait_msg()` or `check_msg()` plays the next event. A message is recorded as
 * `deliver` and passed to the client's callback as bytes; a tick fires every initialised periodic
 * timer (a one-shot timer fires once); a press runs that button's `event_pressed`. When the
 * script is spent, `wait_msg()` raises `ScriptEnd` (a BaseException), the program's `finally`
 * runs, and the harness catches it. If the program ends first, the rest of the script still
 * plays its ticks and presses; its messages are recorded as `undelivered` (nothing waits for them).
 *
 * Virtual time (`BoardLimits.virtualTime`, for the life parity in test/parity/life.test.ts): the
 * board has a clock in milliseconds. `{wait: ms}` lets that much time pass: each timer fires when
 * its period comes round, `sleep_ms` lets its time pass the same way, and the broker closes a
 * client that sent nothing for 1.5 × its keepalive (+1 ms, as aedes does): `dropped`, and a
 * `wait_msg()` under way raises OSError(-1) as umqtt's does when its socket closes. A write on a
 * closed connection raises OSError. `'broker restart'` closes the connection (umqtt never
 * reconnects). Without `virtualTime` no time passes and nothing is dropped: a tick fires every
 * timer at once, as before.
 *
 * The board's scheduler: an exception in a timer's or a button's callback is printed and the
 * program goes on, as on the ESP32; so is one a program catches and prints with
 * `sys.print_exception` (a message handler's). Both are recorded as `caught` with the traceback.
 * Life is recorded too: `MQTTClient.connect` (online), `dropped`, `top level ended` (main.py's
 * last line ran), and `ended` once nothing can run any more: the top level is over, no connection
 * is open and no button handler is set. After the top level raised, the program has ended and
 * the rest of the script is only marked (the page then stops timers and button handlers; the
 * board's REPL would go on firing them, which the page is stricter about, not kinder).
 *
 * Sensors: `light.read()` and `sound.read()` return scripted readings (`SensorReadings`), one
 * per read; a read past the end of its list raises `ScriptEnd` too, which is how a program that
 * loops forever reading a sensor (and never waits for a message) ends. Without a list a read
 * gives the idle virtual board's level.
 *
 * Values cross between JavaScript and Python only as ASCII JSON with strings and bytes in hex,
 * so NUL, lone bytes and any other character arrive exactly (the interpreter's own string
 * conversion from Python to JavaScript stops at a NUL).
 *
 * Time guard: the interpreter runs synchronously inside `runPython`, so no JavaScript timer can
 * stop it. Instead every stand-in call checks a budget of calls and of wall-clock time and raises
 * `BoardTimeout` (a BaseException, which a child's `except Exception` cannot swallow) when it is
 * spent. That stops a runaway loop that touches the board (`while True: rgb.write()`, a
 * `sleep_ms` loop, endless `wait_msg`); a loop of pure Python that never calls the board
 * (`while True: pass`) cannot be interrupted and would hang the test process.
 */
import { idleBoard } from '../../src/board/board-state.ts';
import { PART_BOARDS } from './part-boards.ts';

/** The package ships no types: the part of its API used here. */
interface MicroPython {
  FS: { mkdir(path: string): void; writeFile(path: string, data: string): void };
  globals: { get(key: string): unknown; set(key: string, value: unknown): void };
  runPython(code: string): unknown;
}
interface MicroPythonOptions {
  heapsize?: number;
  linebuffer?: boolean;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}
type LoadMicroPython = (options: MicroPythonOptions) => Promise<MicroPython>;

const MICROPYTHON_PACKAGE = '@micropython/micropython-webassembly-pyscript';
let loader: Promise<LoadMicroPython> | undefined;

/** One scripted event: an MQTT message (UTF-8 text or raw bytes), a timer tick or a button press. */
export type Event =
  { topic: string | Uint8Array; payload: string | Uint8Array } | 'tick' | 'press a' | 'press b';

/** An event of a script in virtual time: time passing, or the broker going away. */
export type TimedEvent = Event | { wait: number } | 'broker restart';

/** A value recorded in the trace: Python str → string, bytes → Uint8Array, tuple/list → array. */
export type TraceValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | TraceValue[]
  | { callable: true }
  | { repr: string };

/** One call the program made on the board, e.g. `{call: 'rgb.write', args: [[[50, 0, 0], …]]}`. */
export interface TraceEntry {
  call: string;
  args: TraceValue[];
}

/** What a run on the stand-in board gives back. */
export interface BoardRun {
  /** Every board and MQTT call, delivery, tick and press, in order (`failed` where it raised). */
  trace: TraceEntry[];
  /** Everything the program printed, decoded as UTF-8. */
  stdout: string;
  /** The Python traceback when the program raised (the end of the script is not an error). */
  error?: string;
}

/** Limits for one run (see the time guard above), and what else to record. */
export interface BoardLimits {
  /** Records each `print(…)` as `{call: 'print', args: [text]}` too (default false). */
  recordPrints?: boolean;
  /**
   * Runs in one interpreter kept for every run that sets this, its stand-in modules loaded
   * afresh each time, instead of a fresh interpreter (faster; default false).
   */
  reuseInterpreter?: boolean;
  /** Most stand-in calls before `BoardTimeout` (default 100 000). */
  maxCalls?: number;
  /** Most milliseconds of run time, checked at each stand-in call (default 10 000). */
  timeoutMs?: number;
  /** Time passes as on the board, and the broker drops silent clients (see the module comment). */
  virtualTime?: boolean;
}

/**
 * Scripted sensor levels, read in order by `light.read()` / `sound.read()` (see the module
 * comment); a sensor without a list reads the idle board's level every time.
 */
export interface SensorReadings {
  light?: number[];
  sound?: number[];
}

/** A message event with UTF-8 text or raw bytes for topic and payload. */
export function message(topic: string | Uint8Array, payload: string | Uint8Array): Event {
  return { topic, payload };
}

/** The trace module: state, budget, the event script, and the JS ⇄ Python encoding. */
const BOARD_PY = String.raw`
import binascii
import builtins
import io
import json
import sys
import time


class ScriptEnd(BaseException):
    pass


class BoardTimeout(BaseException):
    pass


trace = []
timers = []
buttons = {}
state = {"next": 0, "calls": 0, "max_calls": 0, "deadline": 0, "error": None, "prints": False,
         "virtual": False, "now": 0, "top_done": False, "ended": False}
client = {"connected": False, "keepalive": 0, "last": 0}
events = []
readings = {}
idle_levels = {}


def _hex(data):
    return binascii.hexlify(data).decode()


def _unhex(text):
    return binascii.unhexlify(text)


def enc(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return ["s", _hex(value.encode())]
    if isinstance(value, (bytes, bytearray)):
        return ["b", _hex(bytes(value))]
    if isinstance(value, (tuple, list)):
        return ["l", [enc(item) for item in value]]
    if callable(value):
        return ["f"]
    return ["r", _hex(repr(value).encode())]


class _Sys:
    # What a program gets for 'import sys': the real module, but print_exception records.
    def __getattr__(self, name):
        return getattr(sys, name)

    def print_exception(self, error, file=None):
        caught(error)


def start(config_json):
    config = json.loads(config_json)
    sys.modules["sys"] = _Sys()
    state["virtual"] = config["virtualTime"]
    state["max_calls"] = config["maxCalls"]
    state["prints"] = config["recordPrints"]
    state["deadline"] = time.ticks_add(time.ticks_ms(), config["timeoutMs"])
    readings.update(config["readings"])
    idle_levels.update(config["idleLevels"])
    for event in config["events"]:
        if event[0] == "message":
            events.append(("message", _unhex(event[1]), _unhex(event[2])))
        else:
            events.append(tuple(event))
    return _unhex(config["source"]).decode()


def record(call, *args):
    state["calls"] += 1
    if state["calls"] > state["max_calls"]:
        raise BoardTimeout("more than %d board calls" % state["max_calls"])
    if time.ticks_diff(time.ticks_ms(), state["deadline"]) > 0:
        raise BoardTimeout("out of time")
    trace.append([call, [enc(arg) for arg in args]])


def recording_print(*args, sep=" ", end="\n"):
    record("print", sep.join([str(arg) for arg in args]))
    builtins.print(*args, sep=sep, end=end)


def program_globals():
    names = {"__name__": "__main__"}
    if state["prints"]:
        names["print"] = recording_print
    return names


def traceback(error):
    out = io.StringIO()
    sys.print_exception(error, out)
    return out.getvalue()


def caught(error):
    record("caught", traceback(error))


def scheduled(callback, arg):
    # The board's scheduler prints a callback's exception and goes on.
    try:
        callback(arg)
    except Exception as error:
        caught(error)


def check_ended():
    pressed = [b for b in buttons.values() if b.event_pressed is not None]
    if state["top_done"] and not client["connected"] and not pressed and not state["ended"]:
        state["ended"] = True
        record("ended")


def connected(keepalive):
    client["connected"] = True
    client["keepalive"] = keepalive
    client["last"] = state["now"]


def sent():
    # A packet the client writes: on a closed connection the write fails.
    if state["virtual"] and not client["connected"]:
        raise OSError(104)
    client["last"] = state["now"]


def closed():
    client["connected"] = False
    check_ended()


def drop(waiting):
    client["connected"] = False
    record("dropped")
    check_ended()
    if waiting:
        raise OSError(-1)


def deadline():
    if state["virtual"] and client["connected"] and client["keepalive"] > 0:
        return client["last"] + client["keepalive"] * 1500 + 1
    return None


def advance(ms, waiting, held=None):
    # held: a list when the wait is a busy-wait in C that runs no scheduled callbacks (music's):
    # a timer's callbacks are queued there instead of run, as far as the scheduler's queue holds.
    target = state["now"] + max(0, ms)
    while True:
        when = None
        timer = None
        for t in timers:
            if t._due is not None and t._due <= target and (when is None or t._due < when):
                when = t._due
                timer = t
        limit = deadline()
        if limit is not None and limit <= target and (when is None or limit < when):
            state["now"] = limit
            drop(waiting)
            continue
        if timer is None:
            break
        state["now"] = when
        timer._fire(held)
    state["now"] = target


def handle(event, callback, waiting):
    if event[0] == "message":
        if state["virtual"] and not client["connected"]:
            record("undelivered", event[1], event[2])
            return
        record("deliver", event[1], event[2])
        if callback is not None:
            callback(event[1], event[2])
    elif event[0] == "tick":
        record("tick")
        for timer in list(timers):
            timer._fire()
    elif event[0] == "press":
        record("press", event[1])
        button = buttons.get(event[1])
        if button is not None and button.event_pressed is not None:
            scheduled(button.event_pressed, button)
    elif event[0] == "wait":
        record("wait", event[1])
        advance(event[1], waiting)
    elif event[0] == "restart":
        record("broker restart")
        if client["connected"]:
            drop(waiting)


def next_event(callback):
    i = state["next"]
    if i >= len(events):
        raise ScriptEnd()
    state["next"] = i + 1
    handle(events[i], callback, True)


def reading(sensor):
    levels = readings.get(sensor)
    if levels is None:
        return idle_levels[sensor]
    if not levels:
        raise ScriptEnd()
    return levels.pop(0)


def drain():
    while state["next"] < len(events):
        event = events[state["next"]]
        state["next"] += 1
        if event[0] == "message":
            record("undelivered", event[1], event[2])
        else:
            handle(event, None, False)


def fail(error):
    state["error"] = traceback(error)
    # Where it happened, among the events (not through record: the budget may be what ran out).
    trace.append(["failed", [enc(state["error"])]])
    state["top_done"] = True
    if not state["ended"]:
        state["ended"] = True
        record("ended")
    # The program is over: the rest of the script is only marked where it would have played.
    while state["next"] < len(events):
        event = events[state["next"]]
        state["next"] += 1
        names = {"message": "undelivered", "restart": "broker restart"}
        trace.append([names.get(event[0], event[0]), []])


def top_level_ended():
    record("top level ended")
    state["top_done"] = True
    check_ended()


def result():
    error = None if state["error"] is None else enc(state["error"])
    return json.dumps({"trace": trace, "error": error})
`;

/** `from mpython import *`: rgb, oled, wifi, buttons A and B, light, sound, sleep_ms. */
const MPYTHON_PY = String.raw`
import _board


def _colour(value):
    value = tuple(value)
    if len(value) != 3:
        raise ValueError("colour needs 3 levels")
    for level in value:
        if not isinstance(level, int) or isinstance(level, bool):
            raise TypeError("colour levels must be int")
        if level < 0 or level > 255:
            raise ValueError("colour level out of range")
    return value


class _RGB:
    def __init__(self):
        self._leds = [(0, 0, 0), (0, 0, 0), (0, 0, 0)]

    def __len__(self):
        return 3

    def __getitem__(self, index):
        return self._leds[index]

    def __setitem__(self, index, value):
        _board.record("rgb[]=", index, value)
        self._leds[index] = _colour(value)

    def fill(self, value):
        _board.record("rgb.fill", value)
        colour = _colour(value)
        self._leds = [colour, colour, colour]

    def write(self):
        _board.record("rgb.write", list(self._leds))


class _OLED:
    def DispChar(self, s, x, y, *args, **kwargs):
        _board.record("oled.DispChar", s, x, y)
        if not isinstance(s, str):
            raise TypeError("DispChar needs str")

    def fill(self, c):
        _board.record("oled.fill", c)

    def fill_rect(self, x, y, w, h, c):
        _board.record("oled.fill_rect", x, y, w, h, c)

    def show(self):
        _board.record("oled.show")


class _Button:
    def __init__(self, name):
        self._name = name
        self._pressed = None
        _board.buttons[name] = self

    @property
    def event_pressed(self):
        return self._pressed

    @event_pressed.setter
    def event_pressed(self, handler):
        _board.record("button_%s.event_pressed" % self._name, handler)
        self._pressed = handler

    def value(self):
        return 1


class _Sensor:
    def __init__(self, name):
        self._name = name

    def read(self):
        _board.record("%s.read" % self._name)
        return _board.reading(self._name)


class wifi:
    def __init__(self):
        _board.record("wifi")

    def connectWiFi(self, ssid, passwd, timeout=10):
        _board.record("wifi.connectWiFi", ssid, passwd)
        if not isinstance(ssid, str) or not isinstance(passwd, str):
            raise TypeError("ssid and password must be str")


def sleep_ms(ms):
    _board.record("sleep_ms", ms)
    if not isinstance(ms, int):
        raise TypeError("can't convert to int")
    if _board.state["virtual"]:
        _board.advance(ms, False)


rgb = _RGB()
oled = _OLED()
button_a = _Button("a")
button_b = _Button("b")
light = _Sensor("light")
sound = _Sensor("sound")
`;

/** `umqtt.simple.MQTTClient`, with umqtt's signature. */
const UMQTT_SIMPLE_PY = String.raw`
import _board


class MQTTException(Exception):
    pass


class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0,
                 ssl=False, ssl_params={}):
        _board.record("MQTTClient", client_id, server, port, user, password, keepalive, ssl)
        self.cb = None
        self.keepalive = keepalive

    def set_callback(self, f):
        _board.record("MQTTClient.set_callback", f)
        self.cb = f

    def set_last_will(self, topic, msg, retain=False, qos=0):
        _board.record("MQTTClient.set_last_will", topic, msg, retain, qos)

    def connect(self, clean_session=True):
        _board.record("MQTTClient.connect", clean_session)
        _board.connected(self.keepalive)
        return False

    def disconnect(self):
        _board.record("MQTTClient.disconnect")
        _board.closed()

    def ping(self):
        _board.sent()
        _board.record("MQTTClient.ping")

    def publish(self, topic, msg, retain=False, qos=0):
        _board.sent()
        _board.record("MQTTClient.publish", topic, msg, retain, qos)

    def subscribe(self, topic, qos=0):
        _board.sent()
        _board.record("MQTTClient.subscribe", topic, qos)

    def wait_msg(self):
        if _board.state["virtual"] and not _board.client["connected"]:
            raise OSError(-1)
        _board.record("MQTTClient.wait_msg")
        _board.next_event(self.cb)

    def check_msg(self):
        _board.record("MQTTClient.check_msg")
        _board.next_event(self.cb)
`;

/** `machine.Timer`: periodic timers fire on each scripted tick, one-shot timers on the next. */
const MACHINE_PY = String.raw`
import _board


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1, **kwargs):
        _board.record("Timer", id)
        self._id = id
        self._mode = None
        self._callback = None
        self._period = 0
        self._due = None
        if kwargs:
            self.init(**kwargs)

    def init(self, mode=1, period=-1, callback=None, freq=-1):
        name = {0: "ONE_SHOT", 1: "PERIODIC"}.get(mode, mode)
        _board.record("Timer.init", self._id, period, name, callback)
        self._mode = mode
        self._callback = callback
        self._period = period
        self._due = _board.state["now"] + period if period > 0 else None
        if self not in _board.timers:
            _board.timers.append(self)

    def deinit(self):
        _board.record("Timer.deinit", self._id)
        if self in _board.timers:
            _board.timers.remove(self)

    def _fire(self, held=None):
        if self._mode == Timer.ONE_SHOT:
            _board.timers.remove(self)
            self._due = None
        elif self._due is not None:
            self._due += self._period
        if self._callback is not None:
            if held is None:
                _board.scheduled(self._callback, self)
            elif len(held) < 4:
                # MICROPY_SCHEDULER_DEPTH: a callback that finds the queue full is lost.
                held.append((self._callback, self))
`;

/** Runs the program; the script's end (`ScriptEnd`) is the normal way out of its loop. */
const RUN_PY = String.raw`
import _board
_board_source = _board.start(_board_config)
try:
    try:
        exec(compile(_board_source, "main.py", "exec"), _board.program_globals())
        _board.top_level_ended()
        _board.drain()
    except _board.ScriptEnd:
        pass
except BaseException as _board_error:
    _board.fail(_board_error)
_board_result = _board.result()
`;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const utf8 = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? new TextEncoder().encode(value) : value;
/** UTF-8 as Python decodes it: a leading BOM is kept (TextDecoder drops it by default). */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const fromUtf8Hex = (text: string): string => decoder.decode(Buffer.from(text, 'hex'));

type Encoded = null | boolean | number | [string, unknown?];

/** Decodes one value of `enc` in BOARD_PY. */
function decode(value: Encoded): TraceValue {
  if (value === null || typeof value !== 'object') return value;
  const [tag, body] = value;
  switch (tag) {
    case 's':
      return fromUtf8Hex(body as string);
    case 'b':
      return new Uint8Array(Buffer.from(body as string, 'hex'));
    case 'l':
      return (body as Encoded[]).map(decode);
    case 'f':
      return { callable: true };
    default:
      return { repr: fromUtf8Hex(body as string) };
  }
}

/** The events as BOARD_PY's `start` reads them. */
function encodeEvent(event: TimedEvent): (string | number)[] {
  if (event === 'tick') return ['tick'];
  if (event === 'broker restart') return ['restart'];
  if (typeof event === 'object' && 'wait' in event) return ['wait', Math.round(event.wait)];
  if (event === 'press a' || event === 'press b') return ['press', event.slice(-1)];
  return ['message', hex(utf8(event.topic)), hex(utf8(event.payload))];
}

let queue: Promise<unknown> = Promise.resolve();

/** The interpreter runs share when `reuseInterpreter` is set. */
let reused: Promise<{ mp: MicroPython; output: { bytes: number[] } }> | undefined;

/** The board parts' stand-in modules, by name. */
const partModules = () => PART_BOARDS.flatMap(({ standIns }) => Object.keys(standIns));

/** Before a run in a reused interpreter: the stand-ins and the last run's values are dropped. */
const FORGET_PY = String.raw`
import gc
import sys
_names = ("_board", "mpython", "umqtt.simple", "umqtt", "machine", "sys") + tuple(_board_parts.split())
for _name in _names:
    if _name in sys.modules:
        del sys.modules[_name]
_board_result = None
gc.collect()
`;

/**
 * Runs `source` as the board's main.py in a fresh interpreter with the stand-ins, driven by
 * `script`. Runs are queued one at a time (the interpreter keeps its module in a global).
 */
export function runOnBoard(
  source: string,
  script: TimedEvent[],
  limits: BoardLimits = {},
  readings: SensorReadings = {},
): Promise<BoardRun> {
  const run = queue.then(() => runNow(source, script, limits, readings));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(
  source: string,
  script: TimedEvent[],
  limits: BoardLimits,
  readings: SensorReadings,
): Promise<BoardRun> {
  loader ??= import(MICROPYTHON_PACKAGE).then(
    (module: { loadMicroPython: LoadMicroPython }) => module.loadMicroPython,
  );
  const loadMicroPython = await loader;
  const load = async () => {
    const output: { bytes: number[] } = { bytes: [] };
    const mp = await loadMicroPython({
      heapsize: 16 * 1024 * 1024,
      linebuffer: false,
      stdout: (bytes: Uint8Array) => output.bytes.push(...bytes),
      stderr: (bytes: Uint8Array) => output.bytes.push(...bytes),
    });
    mp.FS.mkdir('/lib');
    mp.FS.mkdir('/lib/umqtt');
    mp.FS.writeFile('/lib/_board.py', BOARD_PY);
    mp.FS.writeFile('/lib/mpython.py', MPYTHON_PY);
    mp.FS.writeFile('/lib/umqtt/__init__.py', '');
    mp.FS.writeFile('/lib/umqtt/simple.py', UMQTT_SIMPLE_PY);
    mp.FS.writeFile('/lib/machine.py', MACHINE_PY);
    for (const { standIns } of PART_BOARDS) {
      for (const [module, source] of Object.entries(standIns)) {
        mp.FS.writeFile(`/lib/${module}.py`, source);
      }
    }
    return { mp, output };
  };
  let interpreter: { mp: MicroPython; output: { bytes: number[] } };
  if (limits.reuseInterpreter) {
    reused ??= load();
    interpreter = await reused;
    interpreter.output.bytes = [];
    interpreter.mp.globals.set('_board_parts', partModules().join(' '));
    interpreter.mp.runPython(FORGET_PY);
  } else {
    interpreter = await load();
  }
  const { mp, output } = interpreter;
  const config = {
    source: hex(utf8(source)),
    events: script.map(encodeEvent),
    maxCalls: limits.maxCalls ?? 100_000,
    recordPrints: limits.recordPrints ?? false,
    timeoutMs: limits.timeoutMs ?? 10_000,
    virtualTime: limits.virtualTime ?? false,
    readings: { ...readings },
    idleLevels: { light: idleBoard().light, sound: idleBoard().sound },
  };
  mp.globals.set('_board_config', JSON.stringify(config));
  mp.runPython(RUN_PY);
  const result = JSON.parse(mp.globals.get('_board_result') as string) as {
    trace: [string, Encoded[]][];
    error: Encoded;
  };
  const run: BoardRun = {
    trace: result.trace.map(([call, args]) => ({ call, args: args.map(decode) })),
    stdout: decoder.decode(new Uint8Array(output.bytes)),
  };
  if (result.error !== null) run.error = decode(result.error) as string;
  return run;
}
