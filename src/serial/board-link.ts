/**
 * A serial link to a board: opens the port without resetting the board or pressing its button A,
 * reads from it all the time, and lets the protocol wait for an answer with a deadline. Bytes
 * nobody waits for go to `onOutput` (the serial monitor); while the protocol holds the link
 * (`capture`), they are kept for it instead. A port that goes away (its read or write rejects, or
 * its readable ends) fails every wait at once with `unplugged`.
 */
import { BoardError, openProblem } from './board-error.ts';
import type { SerialPortLike } from './serial-port.ts';

/** The mPython board's REPL speed (and every ESP32 MicroPython's). */
export const BAUD_RATE = 115200;

/** Where `needle` starts in `haystack` at or after `from`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const encoder = new TextEncoder();

/** `text` as bytes: UTF-8 for strings, unchanged for bytes. */
export function bytesOf(text: string | Uint8Array): Uint8Array {
  return typeof text === 'string' ? encoder.encode(text) : text;
}

export class BoardLink {
  /** Bytes the board sent while no one waits for them (when not capturing). */
  onOutput: (bytes: Uint8Array) => void = () => {};
  /** Called once when the port goes away on its own (not when `close` closes it). */
  onLost: (error: BoardError) => void = () => {};

  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>;
  private received: Uint8Array = new Uint8Array(0);
  private capturing = false;
  /** Each waiting read's wake-up. */
  private readonly wakers = new Set<() => void>();
  /** Bumped by `cancelReads`: a read that started before gives up. */
  private epoch = 0;
  private lostError: BoardError | null = null;
  private closing = false;
  private readonly readLoop: Promise<void>;
  /** When bytes last came from the board (`performance.now()`); the opening time before any. */
  private lastInput = performance.now();

  private constructor(readonly port: SerialPortLike) {
    this.reader = port.readable!.getReader();
    this.writer = port.writable!.getWriter();
    this.readLoop = this.readAll();
  }

  /**
   * Opens `port` and leaves the board running. On ESP32 boards DTR and RTS drive EN (reset) and
   * IO0 through two transistors: EN is pulled low (a reset) while RTS is asserted and DTR is not,
   * and IO0 while DTR is asserted and RTS is not. On the mPython board IO0 is button A, so a
   * running program would see a press. Opening asserts both lines; one call releases both at once
   * (Linux, macOS and ChromeOS set them together), passing through neither state, and leaves them
   * as a board with no host sees them, so closing the port changes nothing either.
   */
  static async open(port: SerialPortLike, baudRate = BAUD_RATE): Promise<BoardLink> {
    try {
      await port.open({ baudRate });
    } catch (error) {
      throw openProblem(error);
    }
    try {
      await port.setSignals({ dataTerminalReady: false, requestToSend: false });
      if (!port.readable || !port.writable) throw new Error('the port has no streams');
    } catch (error) {
      await port.close().catch(() => {});
      throw new BoardError('unplugged', error instanceof Error ? error.message : String(error));
    }
    return new BoardLink(port);
  }

  /** Whether the port went away. */
  get lost(): boolean {
    return this.lostError !== null;
  }

  /**
   * While on, bytes from the board are kept for `readUntil` instead of going to `onOutput`.
   * Turning it off hands what was kept and not read to `onOutput`.
   */
  capture(on: boolean): void {
    this.capturing = on;
    if (!on) this.flush();
  }

  /** Forgets the bytes kept so far (a new question's answer starts after them). */
  discard(): void {
    this.received = new Uint8Array(0);
  }

  /** Whether bytes kept for `readUntil` are waiting to be read. */
  get pending(): boolean {
    return this.received.length > 0;
  }

  /** Sends `data` to the board. */
  async write(data: string | Uint8Array): Promise<void> {
    this.throwIfLost();
    try {
      await this.writer.write(bytesOf(data));
    } catch (error) {
      throw this.lose(error);
    }
  }

  /**
   * The kept bytes up to and including the first `ending`, taken out of the kept bytes. Rejects
   * with `no-answer` when `ending` has not come within `timeoutMs`, and with `unplugged` when
   * the port goes away. With `onBytes`, the bytes before `ending` are handed over as they come
   * (and not returned): for a program's output, which may be long and slow.
   */
  async readUntil(
    ending: string | Uint8Array,
    timeoutMs: number,
    onBytes?: (bytes: Uint8Array) => void,
  ): Promise<Uint8Array> {
    const needle = bytesOf(ending);
    const epoch = this.epoch;
    const deadline = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Infinity;
    for (;;) {
      const at = indexOfBytes(this.received, needle);
      if (at >= 0) {
        const answer = this.received.slice(0, at + needle.length);
        this.received = this.received.slice(at + needle.length);
        if (onBytes) {
          if (at > 0) onBytes(answer.subarray(0, at));
          return answer.subarray(at);
        }
        return answer;
      }
      // Keep only what could be the start of `ending`; pass on the rest.
      if (onBytes && this.received.length >= needle.length) {
        const keep = needle.length - 1;
        onBytes(this.received.slice(0, this.received.length - keep));
        this.received = this.received.slice(this.received.length - keep);
      }
      this.throwIfLost();
      if (epoch !== this.epoch) throw new BoardError('busy', 'the read was cancelled');
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new BoardError('no-answer', `waited for ${JSON.stringify(String(ending))}`);
      }
      await this.nextBytes(left);
    }
  }

  /** The next `count` kept bytes; rejects like `readUntil`. */
  async readCount(count: number, timeoutMs: number): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      this.throwIfLost();
      const left = deadline - Date.now();
      if (left <= 0) throw new BoardError('no-answer', `waited for ${count} bytes`);
      await this.nextBytes(left);
    }
    const answer = this.received.slice(0, count);
    this.received = this.received.slice(count);
    return answer;
  }

  /**
   * Resolves once the board has sent nothing for `quietMs` (counting from the last bytes, or from
   * the opening), or after `maxMs` at most, or when the port goes away. Never rejects.
   */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    for (;;) {
      const now = performance.now();
      const silentFor = now - this.lastInput;
      if (silentFor >= quietMs || now >= deadline || this.lost || this.closing) return;
      await this.nextBytes(Math.min(quietMs - silentFor, deadline - now));
    }
  }

  /** Makes every waiting read give up (with `busy`), e.g. to stop following a program. */
  cancelReads(): void {
    this.epoch++;
    this.wakeAll();
  }

  /** Closes the port (after the reads and writes in flight end). */
  async close(): Promise<void> {
    this.closing = true;
    await this.reader.cancel().catch(() => {});
    await this.readLoop;
    this.reader.releaseLock();
    await this.writer.close().catch(() => {});
    this.writer.releaseLock();
    await this.port.close().catch(() => {});
  }

  private async readAll(): Promise<void> {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await this.reader.read();
      } catch (error) {
        if (!this.closing) this.lose(error);
        return;
      }
      if (result.done) {
        if (!this.closing) this.lose(new Error('the port closed'));
        return;
      }
      this.lastInput = performance.now();
      this.received = concat(this.received, result.value);
      if (!this.capturing) this.flush();
      this.wakeAll();
    }
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }

  private flush(): void {
    if (!this.received.length) return;
    const bytes = this.received;
    this.received = new Uint8Array(0);
    this.onOutput(bytes);
  }

  /** Resolves when bytes arrive, the port goes away, or `ms` pass. */
  private nextBytes(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
      this.wakers.add(done);
    });
  }

  private lose(error: unknown): BoardError {
    if (!this.lostError) {
      const detail = error instanceof Error ? error.message : String(error);
      this.lostError = new BoardError('unplugged', detail);
      this.wakeAll();
      if (!this.closing) this.onLost(this.lostError);
    }
    return this.lostError;
  }

  private throwIfLost(): void {
    if (this.lostError) throw this.lostError;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}
