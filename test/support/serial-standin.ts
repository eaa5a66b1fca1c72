/// <reference types="vite/client" />
/**
 * A stand-in for the mPython board on a Web Serial port, for browser tests: the real MicroPython
 * interpreter (the WebAssembly package) behind the `SerialPortLike` interface, wrapped so that it
 * behaves as the board's firmware does, read from labplus-cn/mpython (`main.c`, `_boot.py`,
 * `pyexec.c`) and upstream MicroPython's `pyexec.c`:
 *
 * - **No raw-paste** (`firmware: 'mpython'`, the default; the firmware is MicroPython ≈ 1.12):
 *   `\x05A` joins the raw REPL's line and the `\x01` after it prints the raw REPL's banner again.
 *   `firmware: 'upstream'` answers as MicroPython ≥ 1.14 does: `R\x01`, the window size and one
 *   `\x01` more, flow control by `\x01` per window, `\x04` on the end; `R\x00` then `>` for a
 *   letter it does not know.
 * - **Soft reset** (Ctrl-D on an empty raw line, or at `>>> `): timers stop, the program's
 *   variables and modules are gone, `mpython: soft reboot` (upstream: `MPY: soft reboot`), then
 *   `_boot.py`'s `=$%#=` three times 100 ms apart and `$#mac:…#$`, `main.py` only in the friendly
 *   REPL, and the REPL's banner.
 * - **A board that is busy**: bytes that come while a program runs (or while the board boots, or
 *   is held in a blocking call) are queued and read later, in order, as the ESP32's UART buffer
 *   does; a Ctrl-C is taken as an interrupt as it arrives. A program waiting in `wait_msg()` is
 *   suspended (see serial-standin-python.ts) and shown running until a Ctrl-C; it takes the
 *   board `timing.unwind` ms to stop, and Ctrl-Cs in that time are swallowed by the same interrupt.
 *   `connectBlocksMs`: `MQTTClient.connect()` holds the board that long (a slow DNS look-up or
 *   TCP connect): it reads nothing, runs no callback, and a Ctrl-C waits for the end.
 * - **Timers and callbacks go on after Ctrl-C**: `machine.Timer` callbacks fire on real timers,
 *   also while the raw REPL waits for input, printing what they print (the keep-alive's
 *   `OSError: [Errno 9] EBADF` after `disconnect()`). On mPython a Ctrl-C at the `>>> ` prompt
 *   stops them, as does a soft reset.
 * - **Resets**: `pressReset()` (RST) or `machine.reset()` restart the board: the ESP32's ROM text,
 *   the bootloader's coloured log, `_boot.py` (the filesystem is mounted `timing.premount` ms in: a
 *   Ctrl-C before that leaves it unmounted, so files cannot be written), `main.py`, the REPL. The
 *   ROM and bootloader read nothing: bytes sent then are lost. `resetOnOpen`: the USB driver
 *   toggles DTR and RTS when the port opens (CP210x on Windows), and the board restarts.
 * - **DTR and RTS** drive the ESP32's auto-reset circuit: EN is pulled low (a reset) while RTS is
 *   asserted and DTR is not; IO0, which is button A on mPython, is pulled low while DTR is
 *   asserted and RTS is not (a press: `io0Pulls`, and the program's `button_a` handler runs). One
 *   `setSignals` call changes both lines at once.
 *
 * Other faults: `openError` (another program holds the port), `unplugAfter` (the cable pulled after
 * so many bytes were written), `catchInterrupts` (a program that catches its first Ctrl-Cs and
 * waits on), `silent` (nothing answers).
 */
import wasmUrl from '@micropython/micropython-webassembly-pyscript/micropython.wasm?url';
import type {
  SerialOutputSignals,
  SerialPortInfoLike,
  SerialPortLike,
} from '../../src/serial/serial-port.ts';
import {
  BOARD_MODULES,
  BOOTLOADER_LINES,
  BOOT_MARKER,
  FRESH_START,
  MAC_LINE,
  MPYTHON_REBOOT,
  UPSTREAM_REBOOT,
  bootInterrupted,
  romText,
} from './serial-standin-python.ts';

/** The package ships no types: the part of its API used here. */
interface MicroPython {
  FS: {
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: string | Uint8Array): void;
    mkdir(path: string): void;
    analyzePath(path: string): { exists: boolean };
  };
  runPython(code: string): unknown;
  registerJsModule(name: string, module: object): void;
  replInit(): void;
  replProcessChar(byte: number): number;
}
type LoadMicroPython = (options: {
  url?: string;
  heapsize?: number;
  linebuffer?: boolean;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}) => Promise<MicroPython>;

/** Which firmware the stand-in behaves as. */
export type Firmware = 'mpython' | 'upstream';

/** How long the board takes, in milliseconds. */
export interface BoardTiming {
  /** From a reset to the bootloader's log. */
  rom: number;
  /** The bootloader's log, spread over this long, then MicroPython starts. */
  bootloader: number;
  /** `_boot.py`'s start (imports, LEDs off) before the filesystem is mounted, after a reset. */
  premount: number;
  /** The sleep after each of `_boot.py`'s markers. */
  marker: number;
  /** From a Ctrl-C to the stopped program's traceback. */
  unwind: number;
}

const DEFAULT_TIMING: BoardTiming = {
  rom: 40,
  bootloader: 260,
  premount: 300,
  marker: 100,
  unwind: 5,
};

export interface StandInOptions {
  firmware?: Firmware;
  /** Upstream's raw-paste window (its default: half of a 256-byte buffer). */
  pasteWindow?: number;
  /** `open()` rejects with a DOMException of this name. */
  openError?: 'NetworkError' | 'InvalidStateError';
  /** After this many bytes written, the port goes away: its readable errors, or ends. */
  unplugAfter?: { bytes: number; how: 'error' | 'end' };
  /** The program catches its first this many interrupts and goes on waiting. */
  catchInterrupts?: number;
  /** Nothing ever comes back. */
  silent?: boolean;
  /** The board resets when the port opens. */
  resetOnOpen?: boolean;
  /** `MQTTClient.connect()` holds the board this long. */
  connectBlocksMs?: number;
  timing?: Partial<BoardTiming>;
  /** The wire's speed: a chunk written reaches the board this much later (0: at once). */
  baud?: number;
}

/** What the board is doing. */
export type BoardPhase =
  /** ROM and bootloader after a reset: nothing reads the UART. */
  | 'rom'
  /** `_boot.py` and `main.py` starting: input is queued. */
  | 'boot'
  /** A REPL reads input as it comes. */
  | 'ready'
  /** A program waits in a blocking call: input is queued, Ctrl-C interrupts it. */
  | 'running'
  /** A program is stopping after a Ctrl-C. */
  | 'unwinding';

const CTRL_A = 0x01;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n';
// eslint-disable-next-line no-control-regex -- the raw REPL's prompt follows a Ctrl-D
const RAW_PROMPT = /(CTRL-B to exit\r\n>|\x04>)$/;
const FRIENDLY_PROMPT = /(>>> |\.\.\. )$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class MicroPythonStandIn implements SerialPortLike {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Every `setSignals` call, in order. */
  readonly signalLog: SerialOutputSignals[] = [];
  /** Resets so far: RST, `machine.reset()`, the driver on open, or EN pulled low by RTS. */
  resets = 0;
  /** Times DTR without RTS pulled IO0 (button A) low. */
  io0Pulls = 0;
  /** Soft resets so far. */
  softResets = 0;
  /** Bytes the host has written. */
  written = 0;
  /** Bytes sent while the ROM or bootloader ran, which nothing read. */
  lost = 0;
  /** Raw REPL banners printed. */
  rawBanners = 0;
  /** Every raw-paste window the host overran (should stay empty). */
  readonly pasteViolations: string[] = [];
  /** Raw-paste requests seen (`\x05A\x01`), answered or not. */
  pasteRequests = 0;
  /** Timer callbacks run, and how many of them after the program was interrupted. */
  timerFires = 0;
  timerFiresAfterInterrupt = 0;
  /** The LEDs as the program last wrote them. */
  leds: [number, number, number][] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  /** What the program did: `wifi …`, `connect …`, `ping`, `disconnect`, `main.py`, `interrupted`. */
  readonly life: string[] = [];

  private readonly firmware: Firmware;
  private readonly timing: BoardTiming;
  private readonly baud: number;
  /** Chunks written by the host and still on the wire, and the timer of the first one. */
  private incoming: Uint8Array[] = [];
  private arriving: ReturnType<typeof setTimeout> | undefined;
  private phaseNow: BoardPhase = 'ready';
  private mode: 'friendly' | 'raw' = 'friendly';
  private dtr = false;
  private rts = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private gone = false;
  /** Bytes waiting for the board to read them. */
  private queue: number[] = [];
  /** What the raw REPL's line holds (to see `\x05A` before a Ctrl-A). */
  private rawLine: number[] = [];
  private paste: { window: number; allowed: number; code: number[] } | null = null;
  /** Where in `out` the program suspended (set from Python), until the REPL returns. */
  private suspendAt: number | null = null;
  /** What the board prints once the waiting program is interrupted. */
  private held: number[] = [];
  private catchLeft: number;
  /** Until when the board is held in a blocking call, and whether a Ctrl-C came meanwhile. */
  private heldUntil = 0;
  private interruptPending = false;
  private readonly timers = new Map<number, ReturnType<typeof setInterval>>();
  /** When each timer started, and its period. */
  private readonly timerClock = new Map<number, { start: number; period: number }>();
  /** The steps of a boot under way (cancelled by a reset or a Ctrl-C). */
  private bootSteps: ReturnType<typeof setTimeout>[] = [];
  /** Stops `_boot.py` with a KeyboardInterrupt, while it runs. */
  private bootInterruptible: null | (() => void) = null;
  private resetTimer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the filesystem is mounted (a Ctrl-C early in `_boot.py` leaves it unmounted). */
  private mounted = true;
  private interrupted = false;

  private constructor(
    readonly mp: MicroPython,
    private readonly out: number[],
    private readonly options: StandInOptions,
  ) {
    this.firmware = options.firmware ?? 'mpython';
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.baud = options.baud ?? 115200;
    this.catchLeft = options.catchInterrupts ?? 0;
  }

  /** A stand-in with a fresh interpreter, at its `>>> ` prompt. */
  static async create(options: StandInOptions = {}): Promise<MicroPythonStandIn> {
    const { loadMicroPython } = (await import('@micropython/micropython-webassembly-pyscript')) as {
      loadMicroPython: LoadMicroPython;
    };
    // What the interpreter prints, until the port hands it over; newlines as the board's UART
    // sends them (MicroPython "cooks" "\n" into "\r\n" on a serial port).
    const out: number[] = [];
    let last = 0;
    const sink = (bytes: Uint8Array) => {
      for (const byte of bytes) {
        if (byte === 0x0a && last !== 0x0d) out.push(0x0d);
        out.push(byte);
        last = byte;
      }
    };
    const mp = await loadMicroPython({
      url: wasmUrl,
      heapsize: 4 * 1024 * 1024,
      linebuffer: false,
      stdout: sink,
      stderr: sink,
    });
    const standIn = new MicroPythonStandIn(mp, out, options);
    standIn.install();
    mp.replInit();
    // The banner was printed before anyone opened the port.
    out.length = 0;
    return standIn;
  }

  /** What the board is doing. */
  get phase(): BoardPhase {
    return this.phaseNow;
  }

  /** Which REPL reads the input: the friendly `>>> ` one, or the raw one. */
  get repl(): 'friendly' | 'raw' {
    return this.mode;
  }

  /** How many hardware timers are running. */
  get timersRunning(): number {
    return this.timers.size;
  }

  /** Milliseconds until timer `id` fires next, or null when it is not running. */
  timerDueIn(id: number): number | null {
    const clock = this.timerClock.get(id);
    if (!clock || !this.timers.has(id)) return null;
    return clock.period - ((performance.now() - clock.start) % clock.period);
  }

  /** A file of the board's filesystem, or null when it does not exist. */
  readFile(path: string): Uint8Array | null {
    return this.mp.FS.analyzePath(path).exists ? this.mp.FS.readFile(path) : null;
  }

  writeFile(path: string, data: string | Uint8Array): void {
    this.mp.FS.writeFile(path, data);
  }

  async open(_options: { baudRate: number }): Promise<void> {
    if (this.options.openError) {
      throw new DOMException('Failed to open serial port.', this.options.openError);
    }
    if (this.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.gone = false;
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => this.receive(chunk),
    });
    // Opening asserts both lines at once, which pulls neither EN nor IO0 low.
    this.dtr = true;
    this.rts = true;
    if (this.options.resetOnOpen) this.pressReset('0x1 (POWERON_RESET)');
  }

  async setSignals(signals: SerialOutputSignals): Promise<void> {
    if (this.gone) throw new DOMException('The device has been lost.', 'NetworkError');
    this.signalLog.push({ ...signals });
    if (signals.dataTerminalReady !== undefined) this.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.rts = signals.requestToSend;
    // The two-transistor circuit of ESP32 boards.
    if (this.rts && !this.dtr) this.pressReset('0x1 (POWERON_RESET)');
    if (this.dtr && !this.rts) {
      this.io0Pulls++;
      if (this.phaseNow === 'ready' || this.phaseNow === 'running') {
        this.python(`import _board\n_board.press('a')`);
        this.send();
      }
    }
  }

  async close(): Promise<void> {
    if (this.readable?.locked || this.writable?.locked) {
      throw new DOMException('The port has locked streams.', 'InvalidStateError');
    }
    try {
      this.controller?.close();
    } catch {
      // Already errored or closed.
    }
    this.readable = null;
    this.writable = null;
    this.controller = null;
  }

  getInfo(): SerialPortInfoLike {
    // A CP2104, the mPython board's USB-serial chip.
    return { usbVendorId: 0x10c4, usbProductId: 0xea60 };
  }

  /** Pulls the cable now. The board loses power: timers and boot stop. */
  unplug(how: 'error' | 'end'): void {
    if (this.gone) return;
    this.gone = true;
    this.stopEverything();
    if (how === 'error') {
      this.controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    } else {
      this.controller?.close();
    }
  }

  /** Stops the board's timers and boot for good (at the end of a test). */
  dispose(): void {
    this.stopEverything();
  }

  /** Presses the RST button: the ESP32 restarts from its ROM. */
  pressReset(cause = '0x1 (POWERON_RESET)'): void {
    this.resets++;
    this.stopEverything();
    this.life.push('reset');
    // The chip restarts: whatever REPL it was in, it starts in the friendly one.
    this.quietly(() => {
      if (this.mode === 'raw') this.mp.replProcessChar(0x02);
    });
    this.mode = 'friendly';
    this.phaseNow = 'rom';
    this.print(romText(cause));
    const { rom, bootloader } = this.timing;
    // The bootloader's last line comes as it hands over to MicroPython, which starts `_boot.py`.
    const last = BOOTLOADER_LINES.length - 1;
    BOOTLOADER_LINES.forEach((line, i) => {
      this.step(rom + (bootloader * i) / last, () => {
        this.print(line);
        if (i === last) this.boot(true);
      });
    });
  }

  /** A message for the program waiting in `wait_msg()`: its callback runs. */
  deliver(topic: string, payload: string): void {
    if (this.phaseNow !== 'running' || this.isHeld()) return;
    const hex = (text: string) =>
      [...encoder.encode(text)].map((b) => b.toString(16).padStart(2, '0')).join('');
    this.python(
      `import _board\n_board.deliver(bytes.fromhex('${hex(topic)}'), bytes.fromhex('${hex(payload)}'))`,
    );
    this.send();
  }

  // --- the Python side -------------------------------------------------------------------------

  /** The board's modules in /lib, and the bridge they call. */
  private install(): void {
    for (const dir of ['/lib', '/lib/umqtt']) {
      if (!this.mp.FS.analyzePath(dir).exists) this.mp.FS.mkdir(dir);
    }
    for (const [path, source] of Object.entries(BOARD_MODULES)) {
      this.mp.FS.writeFile(`/lib/${path}`, source);
    }
    this.mp.registerJsModule('_standin', {
      suspend: () => {
        this.suspendAt = this.out.length;
      },
      timer_start: (id: number, period: number, mode: number) => this.startTimer(id, period, mode),
      timer_stop: (id: number) => this.stopTimer(id),
      reset: () => {
        this.resetTimer = setTimeout(() => this.pressReset('0xc (SW_CPU_RESET)'));
      },
      connect: (clientId: string) => {
        this.life.push(`connect ${clientId}`);
        const ms = this.options.connectBlocksMs ?? 0;
        if (ms > 0) this.holdBoard(ms);
      },
      leds: (...rgb: number[]) => {
        this.leds = [0, 1, 2].map((i) => [rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]]) as [
          number,
          number,
          number,
        ][];
      },
      event: (text: string) => this.life.push(text),
    });
    this.mp.runPython(FRESH_START);
  }

  /** Runs Python outside the REPL (a callback, the stand-in's own bookkeeping). */
  private python(code: string): void {
    this.mp.runPython(code);
  }

  private startTimer(id: number, period: number, mode: number): void {
    this.stopTimer(id);
    const fire = () => {
      if (mode === 0) this.timers.delete(id);
      // The scheduler runs callbacks whenever the VM checks, but not in the ROM, during a boot
      // step or while a blocking call holds the board.
      if (this.phaseNow !== 'ready' && this.phaseNow !== 'running') return;
      if (this.isHeld() || this.gone) return;
      this.timerFires++;
      if (this.interrupted) this.timerFiresAfterInterrupt++;
      this.python(`import _board\n_board.fire(${id})`);
      this.send();
    };
    const every = Math.max(1, period);
    this.timers.set(id, mode === 0 ? setTimeout(fire, every) : setInterval(fire, every));
    this.timerClock.set(id, { start: performance.now(), period: every });
  }

  private stopTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    clearInterval(timer);
    clearTimeout(timer);
    this.timers.delete(id);
  }

  /** mPython's `mpython_stop_timer` (and the timers' part of a soft reset). */
  private stopTimers(): void {
    for (const id of [...this.timers.keys()]) this.stopTimer(id);
  }

  /** What a soft reset ends: timers, the waiting program, a raw-paste under way. */
  private endProgram(): void {
    this.stopTimers();
    this.held = [];
    this.paste = null;
    this.rawLine = [];
    this.interrupted = false;
  }

  /** What a reset or a power cut ends as well: the boot under way, the UART's buffer. */
  private stopEverything(): void {
    this.endProgram();
    clearTimeout(this.arriving);
    this.arriving = undefined;
    this.incoming = [];
    for (const step of this.bootSteps) clearTimeout(step);
    this.bootSteps = [];
    clearTimeout(this.resetTimer);
    this.bootInterruptible = null;
    this.queue = [];
    this.heldUntil = 0;
    this.interruptPending = false;
  }

  // --- bytes from the host ---------------------------------------------------------------------

  /** Takes a chunk from the host: it reaches the board after its time on the wire. */
  private receive(chunk: Uint8Array): void {
    if (this.gone) {
      if (this.options.unplugAfter?.how === 'end') return;
      throw new DOMException('The device has been lost.', 'NetworkError');
    }
    this.incoming.push(chunk.slice());
    if (this.arriving === undefined) this.nextArrival();
  }

  private nextArrival(): void {
    const chunk = this.incoming[0];
    // 10 bits a byte (start, 8 data, stop).
    const ms = this.baud ? (chunk.length * 10 * 1000) / this.baud : 0;
    this.arriving = setTimeout(() => {
      this.arriving = undefined;
      this.arrive(this.incoming.shift()!);
      if (this.incoming.length && !this.gone) this.nextArrival();
    }, ms);
  }

  private arrive(chunk: Uint8Array): void {
    if (this.gone) return;
    for (const byte of chunk) {
      this.written++;
      const limit = this.options.unplugAfter;
      if (limit && this.written > limit.bytes) {
        this.send();
        this.unplug(limit.how);
        return;
      }
      this.input(byte);
    }
    this.send();
  }

  /** One byte arrives at the ESP32's UART. */
  private input(byte: number): void {
    if (this.options.silent) return;
    if (this.phaseNow === 'rom') {
      this.lost++;
      return;
    }
    // While a blocking call holds the board, a Ctrl-C is noted and acted on when it returns.
    if (this.isHeld()) {
      if (byte === CTRL_C) this.interruptPending = true;
      else this.queue.push(byte);
      return;
    }
    if (byte === CTRL_C) {
      if (this.phaseNow === 'running') return this.interruptProgram();
      if (this.phaseNow === 'unwinding') return;
      if (this.phaseNow === 'boot' && this.bootInterruptible) return this.bootInterruptible();
    }
    if (this.phaseNow !== 'ready' || this.queue.length) {
      this.queue.push(byte);
      return;
    }
    this.replByte(byte);
  }

  /** Reads queued bytes while the REPL is reading. */
  private pump(): void {
    while (this.phaseNow === 'ready' && !this.isHeld() && this.queue.length) {
      const byte = this.queue.shift()!;
      // A Ctrl-C read from the queue is plain input (the interrupt is only for running code).
      this.replByte(byte);
    }
    this.send();
  }

  private isHeld(): boolean {
    return this.heldUntil > Date.now();
  }

  private holdBoard(ms: number): void {
    this.heldUntil = Date.now() + ms;
    setTimeout(() => {
      this.heldUntil = 0;
      if (this.interruptPending) {
        this.interruptPending = false;
        if (this.phaseNow === 'running') this.interruptProgram();
      }
      this.pump();
    }, ms);
  }

  /** A byte for the REPL, as the firmware's REPL loop takes it. */
  private replByte(byte: number): void {
    if (this.mode === 'raw') {
      if (this.paste) return this.pasteByte(byte);
      if (byte === CTRL_A) {
        const [first, second] = this.rawLine;
        const request = this.rawLine.length === 2 && first === 0x05;
        if (request && second === 0x41) this.pasteRequests++;
        // The WebAssembly REPL would take `\x05A` + Ctrl-A as raw-paste and block: clear its line
        // first (Ctrl-C in the raw REPL clears the line and prints nothing).
        this.mp.replProcessChar(CTRL_C);
        this.rawLine = [];
        if (request && this.firmware === 'upstream') return this.answerPaste(second);
        return this.feed(CTRL_A);
      }
      if (byte === CTRL_C || byte === 0x02 || byte === CTRL_D) this.rawLine = [];
      else this.rawLine.push(byte);
    } else if (byte === CTRL_C && this.firmware === 'mpython') {
      // mPython's friendly REPL: a Ctrl-C read at the prompt stops every timer and thread.
      if (this.timers.size) this.life.push('timers stopped');
      this.stopTimers();
    }
    this.feed(byte);
  }

  /** Hands a byte to the WebAssembly REPL and sees what became of it. */
  private feed(byte: number): void {
    const before = this.out.length;
    const exit = this.mp.replProcessChar(byte);
    if (this.suspended()) return;
    this.noteOutput(before);
    if (exit) this.softReset();
  }

  /** After the REPL ran code: whether that code now waits (and its later output is held). */
  private suspended(): boolean {
    if (this.suspendAt === null) return false;
    this.held = this.out.splice(this.suspendAt);
    this.suspendAt = null;
    this.phaseNow = 'running';
    this.python('import _board\n_board.resumed()');
    return true;
  }

  /** Which REPL reads next, from the prompt it printed last; counts raw banners. */
  private noteOutput(from: number): void {
    if (this.out.length <= from) return;
    const text = decoder.decode(new Uint8Array(this.out.slice(from)));
    this.rawBanners += text.split(RAW_BANNER).length - 1;
    if (RAW_PROMPT.test(text)) this.mode = 'raw';
    else if (FRIENDLY_PROMPT.test(text)) this.mode = 'friendly';
  }

  private interruptProgram(): void {
    if (this.catchLeft > 0) {
      this.catchLeft--;
      return;
    }
    this.phaseNow = 'unwinding';
    this.life.push('interrupted');
    setTimeout(() => {
      if (this.phaseNow !== 'unwinding') return;
      this.interrupted = true;
      // The program's `finally` (its `disconnect()`), then its traceback and the prompt.
      this.python('import _board\n_board.interrupted()');
      const before = this.out.length;
      this.print(
        decoder
          .decode(new Uint8Array(this.held))
          .split('\r\n')
          .filter((line) => !line.includes('_board.py"'))
          .join('\r\n')
          .replace(/^_Blocked: /m, 'KeyboardInterrupt: '),
      );
      this.held = [];
      this.noteOutput(before);
      this.phaseNow = 'ready';
      this.pump();
    }, this.timing.unwind);
  }

  // --- raw-paste, upstream's way ---------------------------------------------------------------

  private answerPaste(letter: number): void {
    if (letter !== 0x41) {
      this.out.push(...encoder.encode('R\x00>'));
      return;
    }
    const window = this.options.pasteWindow ?? 128;
    // The window size says one window is free; the `\x01` after it, a second one.
    this.paste = { window, allowed: 2 * window, code: [] };
    this.out.push(...encoder.encode('R\x01'), window & 0xff, window >> 8, CTRL_A);
  }

  private pasteByte(byte: number): void {
    const paste = this.paste!;
    if (byte === CTRL_D || byte === CTRL_C) {
      this.paste = null;
      // The end acknowledged, then the code runs in the real raw REPL ("OK" is plain mode's).
      this.out.push(CTRL_D);
      if (byte === CTRL_C) {
        this.print('Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n\x04>');
        return;
      }
      if (!paste.code.length) {
        this.print('\x04\x04>');
        return;
      }
      const start = this.out.length;
      for (const b of paste.code) this.mp.replProcessChar(b);
      this.mp.replProcessChar(CTRL_D);
      if (String.fromCharCode(...this.out.slice(start, start + 2)) === 'OK') {
        this.out.splice(start, 2);
        if (this.suspendAt !== null) this.suspendAt -= 2;
      }
      this.suspended();
      return;
    }
    paste.code.push(byte);
    if (paste.code.length > paste.allowed) {
      this.pasteViolations.push(`byte ${paste.code.length} with a window up to ${paste.allowed}`);
    }
    // A window read in full: room for another, told a moment later (the host must wait).
    if (paste.code.length % paste.window === 0) {
      setTimeout(() => {
        if (this.paste !== paste) return;
        paste.allowed += paste.window;
        this.out.push(CTRL_A);
        this.send();
      });
    }
  }

  // --- resets ----------------------------------------------------------------------------------

  private softReset(): void {
    this.softResets++;
    this.life.push('soft reset');
    // The UART's buffer survives: bytes sent after the Ctrl-D are read once the board is back.
    this.endProgram();
    this.print(this.firmware === 'mpython' ? MPYTHON_REBOOT : UPSTREAM_REBOOT);
    this.boot(false);
  }

  /** `_boot.py`, then `main.py` in the friendly REPL, then the REPL. */
  private boot(hard: boolean): void {
    this.phaseNow = 'boot';
    this.python(FRESH_START);
    if (this.firmware === 'upstream') {
      this.finishBoot();
      return;
    }
    // A reset clears the VFS mount table; `_boot.py` mounts the filesystem again.
    if (this.mounted) this.python(`import os\nos.umount('/')`);
    this.mounted = false;
    const markers = () => {
      this.python(`import os\nos.mount(os.VfsPosix(), '/')`);
      this.mounted = true;
      [0, 1, 2].forEach((i) => {
        this.step(i * this.timing.marker, () => {
          this.print(BOOT_MARKER);
          this.send();
        });
      });
      this.step(3 * this.timing.marker, () => {
        this.bootInterruptible = null;
        this.print(MAC_LINE);
        this.finishBoot();
      });
    };
    this.bootInterruptible = () => {
      // A KeyboardInterrupt in `_boot.py`: the rest of it is skipped; main.py still runs.
      for (const step of this.bootSteps) clearTimeout(step);
      this.bootSteps = [];
      this.bootInterruptible = null;
      this.print(bootInterrupted(this.mounted ? 23 : 15));
      this.finishBoot();
    };
    if (hard) this.step(this.timing.premount, markers);
    else markers();
  }

  private finishBoot(): void {
    this.bootSteps = [];
    this.interrupted = false;
    const friendly = this.mode === 'friendly';
    if (friendly) this.python('import _board\n_board.run_main()');
    const suspendedAt = this.suspendAt;
    this.suspendAt = null;
    const before = this.out.length;
    this.mp.replInit();
    if (suspendedAt !== null) {
      this.suspendAt = suspendedAt;
      this.suspended();
      this.send();
      return;
    }
    this.noteOutput(before);
    this.phaseNow = 'ready';
    this.pump();
  }

  /** Runs `then` after `ms`, as a step of the boot under way. */
  private step(ms: number, then: () => void): void {
    const timer = setTimeout(() => {
      this.bootSteps = this.bootSteps.filter((t) => t !== timer);
      then();
      this.send();
    }, ms);
    this.bootSteps.push(timer);
  }

  // --- bytes to the host -----------------------------------------------------------------------

  private print(text: string): void {
    this.out.push(...encoder.encode(text));
  }

  /** Runs `body` and forgets what it printed. */
  private quietly(body: () => void): void {
    const before = this.out.length;
    body();
    this.out.length = before;
  }

  private send(): void {
    if (!this.out.length) return;
    if (this.controller && !this.gone) {
      try {
        this.controller.enqueue(new Uint8Array(this.out));
      } catch {
        // The port was closed under us: the bytes fall on the floor, as on a real cable.
      }
    }
    this.out.length = 0;
  }
}
