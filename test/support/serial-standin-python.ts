/**
 * The Python side of the firmware-like stand-in (serial-standin.ts): the board's modules as small
 * Python stubs, written to the interpreter's /lib, and the text the mPython firmware prints while
 * it starts. Written from reading labplus-cn/mpython (`port/boards/mpython/main.c`,
 * `modules/_boot.py`, `lib/utils/pyexec.c`); no code of theirs.
 *
 * How a program "waits" here: the interpreter runs synchronously, so a call that blocks on the board
 * (`wait_msg()`) cannot block here. Instead it tells the stand-in (`_standin.suspend()`) and raises
 * `_Blocked`, a BaseException no program catches; the stand-in holds back everything printed from
 * that moment (the unwinding's traceback, the REPL's prompt) and shows the board as running. While
 * the exception unwinds, calls with effects (`disconnect()` in the program's `finally`,
 * `Timer.deinit()`) are put off, not made: they run when a Ctrl-C really interrupts the program,
 * and then the held text comes out with `KeyboardInterrupt` in place of `_Blocked`. Statements of a
 * `finally` that are not stub calls (a `print`) run at once; the programs the studio generates have
 * none. A message delivered while the program waits runs its callback, as `wait_msg()` would.
 */

/** `/lib/_board.py`: the stand-in's runtime, shared by the other stubs. */
export const BOARD_PY = `import sys
import _standin

class _Blocked(BaseException):
    pass

unwinding = False
deferred = []
timers = {}
waiting = None
sleeps = 0

def block(client=None):
    global unwinding, waiting
    waiting = client
    _standin.suspend()
    unwinding = True
    raise _Blocked()

def later(method):
    def call(*args):
        if unwinding:
            deferred.append((method, args))
            return None
        return method(*args)
    return call

def resumed():
    global unwinding
    unwinding = False

def interrupted():
    global waiting
    resumed()
    waiting = None
    jobs = deferred[:]
    del deferred[:]
    for method, args in jobs:
        try:
            method(*args)
        except Exception as e:
            sys.print_exception(e)

def fire(id):
    callback = timers.get(id)
    if callback is None:
        return
    import machine
    try:
        callback(machine.Timer(id))
    except Exception as e:
        sys.print_exception(e)

def deliver(topic, msg):
    client = waiting
    if client is None or client.cb is None:
        return
    try:
        client.cb(topic, msg)
    except Exception as e:
        sys.print_exception(e)

def press(name):
    import mpython
    button = getattr(mpython, 'button_' + name)
    handler = button.event_pressed
    if handler is None:
        return
    try:
        handler(button)
    except Exception as e:
        sys.print_exception(e)

def sleep():
    global sleeps
    sleeps += 1
    if sleeps >= 100:
        block()

def run_main():
    global sleeps
    import io
    try:
        source = open('main.py').read()
    except OSError:
        return
    sleeps = 0
    _standin.event('main.py')
    try:
        exec(compile(source, 'main.py', 'exec'), globals_of_main)
    except BaseException as e:
        text = io.StringIO()
        sys.print_exception(e, text)
        lines = text.getvalue().split('\\n')
        # The frame of this function is the stand-in's, not the board's.
        print('\\n'.join([l for l in lines if '_board.py' not in l]), end='')

globals_of_main = None
`;

/** `/lib/machine.py`: Timer (hardware timers, kept firing by the stand-in), reset, unique_id. */
export const MACHINE_PY = `import _board
import _standin

class Timer:
    ONE_SHOT = 0
    PERIODIC = 1

    def __init__(self, id=-1):
        self._id = id

    def init(self, mode=1, period=1000, callback=None, freq=None):
        if freq:
            period = 1000 // freq
        _board.timers[self._id] = callback
        _standin.timer_start(self._id, period, mode)

    @_board.later
    def deinit(self):
        _board.timers.pop(self._id, None)
        _standin.timer_stop(self._id)

class Pin:
    IN = 1
    OUT = 3
    PULL_UP = 2
    IRQ_FALLING = 2
    IRQ_RISING = 1

    def __init__(self, id, mode=-1, pull=-1, value=None):
        self.id = id
        self._value = value or 0

    def value(self, v=None):
        if v is None:
            return self._value
        self._value = v

    def irq(self, handler=None, trigger=3):
        pass

def reset():
    _standin.reset()
    _board.block()

def unique_id():
    return b'\\x24\\x0a\\xc4\\x5b\\x31\\x8c'

def freq(f=None):
    return 240000000
`;

/** `/lib/mpython.py`: the parts of the mPython board module that generated programs use. */
export const MPYTHON_PY = `import _board
import _standin
from machine import Pin

class _Rgb:
    def __init__(self):
        self._leds = [(0, 0, 0)] * 3

    def __setitem__(self, i, rgb):
        self._leds[i] = tuple(rgb)

    def __getitem__(self, i):
        return self._leds[i]

    def __len__(self):
        return 3

    def fill(self, rgb):
        self._leds = [tuple(rgb)] * 3

    def write(self):
        flat = []
        for led in self._leds:
            flat.extend(led)
        _standin.leds(*flat)

rgb = _Rgb()

class _Oled:
    def DispChar(self, text, x, y, *args):
        _standin.event('oled ' + str(text))

    def fill(self, c):
        pass

    def fill_rect(self, *args):
        pass

    def show(self):
        pass

oled = _Oled()

class _Button:
    def __init__(self, pin):
        self.pin = pin
        self.event_pressed = None
        self.event_released = None

    def value(self):
        return 1

button_a = _Button(0)
button_b = _Button(2)

class _Reading:
    def read(self):
        return 0

light = _Reading()
sound = _Reading()

class _Touch:
    def read(self):
        return 1000

touchPad_P = touchPad_Y = touchPad_T = touchPad_H = touchPad_O = touchPad_N = _Touch()

class wifi:
    def connectWiFi(self, ssid, password, timeout=10):
        _standin.event('wifi ' + str(ssid))

    def disconnectWiFi(self):
        pass

def sleep_ms(ms):
    _board.sleep()

def sleep(s):
    _board.sleep()
`;

/** `/lib/umqtt/simple.py`: an MQTT client whose socket is a flag and whose wait is the board's. */
export const UMQTT_PY = `import _board
import _standin

class MQTTException(Exception):
    pass

class MQTTClient:
    def __init__(self, client_id, server, port=0, user=None, password=None, keepalive=0,
                 ssl=False, ssl_params={}):
        self.client_id = client_id
        self.server = server
        self.sock = None
        self.cb = None

    def set_callback(self, f):
        self.cb = f

    def _check(self):
        if self.sock is None:
            raise OSError(9)

    def connect(self, clean_session=True):
        _standin.connect(str(self.client_id))
        self.sock = True
        return False

    @_board.later
    def disconnect(self):
        self._check()
        self.sock = None
        _standin.event('disconnect')

    def ping(self):
        self._check()
        _standin.event('ping')

    def publish(self, topic, msg, retain=False, qos=0):
        self._check()
        _standin.event('publish')

    def subscribe(self, topic, qos=0):
        self._check()

    def wait_msg(self):
        self._check()
        _board.block(self)

    def check_msg(self):
        self._check()
        return None
`;

/** Every stub, by its path under /lib. */
export const BOARD_MODULES: Record<string, string> = {
  '_board.py': BOARD_PY,
  'machine.py': MACHINE_PY,
  'mpython.py': MPYTHON_PY,
  'umqtt/__init__.py': '',
  'umqtt/simple.py': UMQTT_PY,
};

/**
 * Forgets the last program (a soft reset's fresh heap): every module but the stand-in's bridge,
 * and every global of `__main__`. The board's modules are then imported again, as the firmware
 * has them frozen (importable even when the filesystem is not mounted).
 */
export const FRESH_START = `import sys
for _name in list(sys.modules):
    if _name != '_standin':
        del sys.modules[_name]
globals().clear()
__name__ = '__main__'
import _board, machine, mpython, umqtt.simple
_board.globals_of_main = globals()
del _board, machine, mpython, umqtt
`;

/** The ESP32's ROM after a reset; `cause` is e.g. `0x1 (POWERON_RESET)`. */
export function romText(cause: string): string {
  return (
    'ets Jun  8 2016 00:22:57\r\n\r\n' +
    `rst:${cause},boot:0x13 (SPI_FAST_FLASH_BOOT)\r\n` +
    'configsip: 0, SPIWP:0xee\r\n' +
    'clk_drv:0x00,q_drv:0x00,d_drv:0x00,cs0_drv:0x00,hd_drv:0x00,wp_drv:0x00\r\n' +
    'mode:DIO, clock div:2\r\n' +
    'load:0x3fff0018,len:4\r\n' +
    'load:0x3fff001c,len:5036\r\n' +
    'load:0x40078000,len:9200\r\n' +
    'load:0x40080000,len:6084\r\n' +
    'entry 0x4008040c\r\n'
  );
}

/** ESP-IDF's second-stage bootloader, which logs in colour (ANSI SGR codes). */
export const BOOTLOADER_LINES = [
  '\x1b[0;32mI (29) boot: ESP-IDF v3.3.1 2nd stage bootloader\x1b[0m\r\n',
  '\x1b[0;32mI (29) boot: compile time 10:57:29\x1b[0m\r\n',
  '\x1b[0;32mI (29) boot: Enabling RNG early entropy source...\x1b[0m\r\n',
  '\x1b[0;32mI (35) boot: SPI Speed      : 40MHz\x1b[0m\r\n',
  '\x1b[0;32mI (39) boot: SPI Mode       : DIO\x1b[0m\r\n',
  '\x1b[0;32mI (43) boot: SPI Flash Size : 8MB\x1b[0m\r\n',
  '\x1b[0;33mW (47) boot: PRO CPU has been reset by WDT.\x1b[0m\r\n',
  '\x1b[0;32mI (265) boot: Loaded app from partition at offset 0x10000\x1b[0m\r\n',
  '\x1b[0;32mI (266) boot: Disabling RNG early entropy source...\x1b[0m\r\n',
];

/** `_boot.py` prints this three times, 100 ms apart, on every start: "hardware reset" for the IDE. */
export const BOOT_MARKER = '=$%#=\r\n';

/** `_boot.py`'s last line: the board's MAC address, for the mPython IDE. */
export const MAC_LINE = '$#mac:240AC45B318C#$\r\n';

/** What the mPython firmware prints after a soft reset, before `_boot.py` runs. */
export const MPYTHON_REBOOT = 'mpython: soft reboot\r\n';

/** What upstream MicroPython prints after a soft reset. */
export const UPSTREAM_REBOOT = 'MPY: soft reboot\r\n';

/** A KeyboardInterrupt in `_boot.py`: before the filesystem is mounted, or in a marker's sleep. */
export function bootInterrupted(line: number): string {
  return (
    'Traceback (most recent call last):\r\n' +
    `  File "_boot.py", line ${line}, in <module>\r\n` +
    'KeyboardInterrupt: \r\n'
  );
}
