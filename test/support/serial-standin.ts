/// <reference types="vite/client" />
/**
 * Stand-ins for a board on a Web Serial port, for browser tests.
 *
 * `MicroPythonStandIn` is the real MicroPython interpreter (the WebAssembly package) behind the
 * `SerialPortLike` interface: bytes written to the port go one at a time into its REPL
 * (`replProcessChar`), and what the REPL prints comes back on `readable`. What the WebAssembly
 * REPL cannot do itself, the stand-in does around it, and says so:
 *
 * - Raw-paste mode: the request (`\x05A\x01`) would block inside `replProcessChar` waiting for
 *   the next byte, freezing the page. The stand-in answers it itself: `R\x00` ("understood, not
 *   supported", as firmware built without raw-paste answers), or as firmware older than
 *   raw-paste does (`rawPaste: 'old'`: the request is taken as text and its Ctrl-A prints the raw
 *   REPL's banner again), or it speaks raw-paste by the documented protocol (`{window}`) and then
 *   hands the collected code to the real raw REPL, so the program still runs for real.
 * - Soft reset: the REPL reports Ctrl-D at the normal prompt as "exit". The stand-in prints
 *   `MPY: soft reboot`, runs /main.py as a board does (errors printed as tracebacks), and starts
 *   the REPL again. A main.py that never ends would freeze the page: tests save programs that end.
 * - DTR/RTS: the ESP32's auto-reset circuit is modelled; a moment with RTS asserted and DTR not
 *   counts as a reset (`resets`).
 *
 * Faults: `openError` (another program holds the port), `unplugAfter` (the cable pulled after so
 * many bytes were written: the readable errors or ends), `swallowInterrupts` (a program that
 * catches the first Ctrl-Cs: until they have all come, the board reads nothing else), `silent`
 * (nothing answers).
 */
import wasmUrl from '@micropython/micropython-webassembly-pyscript/micropython.wasm?url';
import type {
  SerialOutputSignals,
  SerialPortInfoLike,
  SerialPortLike,
} from '../../src/serial/serial-port.ts';

/** The package ships no types: the part of its API used here. */
interface MicroPython {
  FS: {
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: string | Uint8Array): void;
    mkdir(path: string): void;
    analyzePath(path: string): { exists: boolean };
  };
  runPython(code: string): unknown;
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

/** How the stand-in answers the raw-paste request. */
export type RawPasteMode = 'refuse' | 'old' | { window: number };

export interface StandInOptions {
  rawPaste?: RawPasteMode;
  /** `open()` rejects with a DOMException of this name. */
  openError?: 'NetworkError' | 'InvalidStateError';
  /** After this many bytes written, the port goes away: its readable errors, or ends. */
  unplugAfter?: { bytes: number; how: 'error' | 'end' };
  /** Until this many Ctrl-C bytes have come, every byte is lost (a program catching them). */
  swallowInterrupts?: number;
  /** Nothing ever comes back. */
  silent?: boolean;
}

// eslint-disable-next-line no-control-regex -- the raw REPL's prompt follows a Ctrl-D
const RAW_PROMPT = /(CTRL-B to exit\r\n>|\x04>)$/;
const encoder = new TextEncoder();

/** Runs /main.py as the board does after a reset, with its error printed as a traceback. */
const RUN_MAIN = `
import sys
try:
    _src = open('/main.py').read()
except OSError:
    _src = None
if _src is not None:
    try:
        exec(compile(_src, 'main.py', 'exec'), {'__name__': '__main__'})
    except BaseException as _e:
        sys.print_exception(_e)
del _src
`;

export class MicroPythonStandIn implements SerialPortLike {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Every `setSignals` call, in order. */
  readonly signalLog: SerialOutputSignals[] = [];
  /** How many times the modelled auto-reset circuit pulled EN low. */
  resets = 0;
  /** Ctrl-C bytes lost so far (see `swallowInterrupts`). */
  swallowed = 0;
  /** Bytes the host has written. */
  written = 0;
  /** Every raw-paste window the host overran (should stay empty). */
  readonly pasteViolations: string[] = [];
  /** Raw-paste requests seen. */
  pasteRequests = 0;

  private dtr = false;
  private rts = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private atRawPrompt = false;
  private pending: number[] = [];
  private paste: { window: number; allowed: number; code: number[] } | null = null;
  private gone = false;

  private constructor(
    readonly mp: MicroPython,
    private readonly out: number[],
    private readonly options: StandInOptions,
  ) {}

  /** A stand-in with a fresh interpreter. Only the newest stand-in of a page may be used. */
  static async create(options: StandInOptions = {}): Promise<MicroPythonStandIn> {
    const { loadMicroPython } = (await import('@micropython/micropython-webassembly-pyscript')) as {
      loadMicroPython: LoadMicroPython;
    };
    // What the interpreter prints, until the port hands it over.
    const out: number[] = [];
    const sink = (bytes: Uint8Array) => out.push(...bytes);
    const mp = await loadMicroPython({
      url: wasmUrl,
      heapsize: 4 * 1024 * 1024,
      linebuffer: false,
      stdout: sink,
      stderr: sink,
    });
    mp.replInit();
    // The banner was printed before anyone opened the port.
    out.length = 0;
    return new MicroPythonStandIn(mp, out, options);
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
    // Opening asserts both lines, as the operating system does.
    this.dtr = true;
    this.rts = true;
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => this.receive(chunk),
    });
  }

  async setSignals(signals: SerialOutputSignals): Promise<void> {
    if (this.gone) throw new DOMException('The device has been lost.', 'NetworkError');
    this.signalLog.push({ ...signals });
    if (signals.dataTerminalReady !== undefined) this.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.rts = signals.requestToSend;
    // The two-transistor circuit: EN is pulled low only while RTS is asserted and DTR is not.
    if (this.rts && !this.dtr) this.resets++;
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

  /** Pulls the cable now. */
  unplug(how: 'error' | 'end'): void {
    if (this.gone) return;
    this.gone = true;
    if (how === 'error') {
      this.controller?.error(new DOMException('The device has been lost.', 'NetworkError'));
    } else {
      this.controller?.close();
    }
  }

  private receive(chunk: Uint8Array): void {
    if (this.gone) {
      if (this.options.unplugAfter?.how === 'end') return;
      throw new DOMException('The device has been lost.', 'NetworkError');
    }
    for (const byte of chunk) {
      this.written++;
      const limit = this.options.unplugAfter;
      if (limit && this.written > limit.bytes) {
        this.send();
        this.unplug(limit.how);
        if (limit.how === 'error') {
          throw new DOMException('The device has been lost.', 'NetworkError');
        }
        return;
      }
      this.byte(byte);
    }
    this.send();
  }

  private byte(byte: number): void {
    if (this.options.silent) return;
    if (this.swallowed < (this.options.swallowInterrupts ?? 0)) {
      if (byte === 0x03) this.swallowed++;
      return;
    }
    if (this.paste) return this.pasteByte(byte);
    // The raw-paste request, only where the raw REPL waits for a new command.
    if (this.pending.length || (byte === 0x05 && this.atRawPrompt)) {
      this.pending.push(byte);
      const request = [0x05, 0x41, 0x01];
      if (this.pending.every((b, i) => b === request[i])) {
        if (this.pending.length === 3) {
          this.pending = [];
          this.answerPaste();
        }
        return;
      }
      const bytes = this.pending;
      this.pending = [];
      for (const b of bytes) this.feed(b);
      return;
    }
    this.feed(byte);
  }

  private answerPaste(): void {
    this.pasteRequests++;
    const mode = this.options.rawPaste ?? 'refuse';
    if (mode === 'refuse') {
      this.out.push(...encoder.encode('R\x00'));
    } else if (mode === 'old') {
      // Old firmware: "\x05A" joins the line, then Ctrl-A resets the raw REPL.
      this.feed(0x01);
    } else {
      const { window } = mode;
      this.paste = { window, allowed: window, code: [] };
      this.out.push(...encoder.encode('R\x01'), window & 0xff, window >> 8);
    }
  }

  private pasteByte(byte: number): void {
    const paste = this.paste!;
    if (byte === 0x04) {
      this.paste = null;
      // The end acknowledged, then the code runs in the real raw REPL ("OK" is plain mode's).
      this.out.push(0x04);
      const start = this.out.length;
      for (const b of [...paste.code, 0x04]) this.feed(b);
      if (String.fromCharCode(...this.out.slice(start, start + 2)) === 'OK') {
        this.out.splice(start, 2);
      }
      return;
    }
    paste.code.push(byte);
    if (paste.code.length > paste.allowed) {
      this.pasteViolations.push(`byte ${paste.code.length} with a window up to ${paste.allowed}`);
    }
    // A window taken in full: room for another, told a moment later (the host must wait).
    if (paste.code.length % paste.window === 0) {
      setTimeout(() => {
        if (this.paste !== paste) return;
        paste.allowed += paste.window;
        this.out.push(0x01);
        this.send();
      });
    }
  }

  private feed(byte: number): void {
    this.atRawPrompt = false;
    const before = this.out.length;
    const exit = this.mp.replProcessChar(byte);
    if (exit) this.softReset();
    const tail = String.fromCharCode(...this.out.slice(Math.max(before, this.out.length - 32)));
    if (this.out.length > before) this.atRawPrompt = RAW_PROMPT.test(tail);
  }

  private softReset(): void {
    this.out.push(...encoder.encode('MPY: soft reboot\r\n'));
    this.mp.runPython(RUN_MAIN);
    this.mp.replInit();
  }

  private send(): void {
    if (!this.out.length || !this.controller || this.gone) return;
    this.controller.enqueue(new Uint8Array(this.out));
    this.out.length = 0;
  }
}
