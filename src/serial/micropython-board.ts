/**
 * A MicroPython board on a serial port, driven through its raw REPL as mpremote drives it:
 * interrupt the running program (Ctrl-C twice), enter raw mode (Ctrl-A), and send code in
 * raw-paste mode with its flow control where the board has it, in plain raw mode where it does
 * not (older firmware). Two actions:
 *
 * - `run(code)` executes a program now; its output streams to `output` until it ends or is
 *   stopped (Ctrl-C), then the board is back at its normal REPL prompt.
 * - `save(code)` writes main.py so it survives power-off: chunk by chunk into a temporary file,
 *   checked (size, and SHA-256 where the firmware has it), renamed over main.py only then, and
 *   the board soft-reset so it starts. An upload cut short leaves the old main.py as it was.
 *
 * Every wait for an answer has a deadline. A board that does not answer gets a hard interrupt
 * (a burst of Ctrl-C) and a second chance before `no-answer`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { BoardError } from './board-error.ts';
import {
  CLOSE_TEMP,
  OPEN_TEMP,
  REMOVE_TEMP,
  RENAME_TEMP,
  VERIFY_TEMP,
  parseVerify,
  writeChunk,
} from './board-files.ts';
import { BoardLink, bytesOf } from './board-link.ts';
import type { SerialPortLike } from './serial-port.ts';

/** What the board is doing: at its prompt, in one of our actions, or running a program. */
export type BoardActivity = 'idle' | 'busy' | 'running' | 'disconnected';

/** How far an action has got. `done` and `total` count the program's bytes while writing. */
export interface BoardProgress {
  phase: 'interrupting' | 'writing' | 'verifying' | 'starting';
  done: number;
  total: number;
}

/** Deadlines, in milliseconds. */
export interface BoardTimeouts {
  /** For the raw REPL's banner after an interrupt (a program may take a moment to stop). */
  interrupt: number;
  /** For each answer of the raw REPL while starting or saving. */
  answer: number;
  /** For "soft reboot" after the reset that starts a saved program. */
  reset: number;
  /** Between the Ctrl-Cs of a hard interrupt. */
  burstGap: number;
}

export const DEFAULT_TIMEOUTS: BoardTimeouts = {
  interrupt: 2000,
  answer: 10000,
  reset: 5000,
  burstGap: 100,
};

/** What the board tells the page. */
export interface BoardListener {
  /** Everything it prints for the serial monitor (protocol chatter left out), as it comes. */
  output(bytes: Uint8Array): void;
  /** Its activity changed. */
  activity(activity: BoardActivity): void;
  /** The port went away on its own (cable pulled, board powered off). */
  lost(error: BoardError): void;
}

/** What `save` did. */
export interface SaveResult {
  /** Bytes written to main.py. */
  size: number;
  /** Whether the board could check the SHA-256 as well as the size. */
  hashChecked: boolean;
  /** Whether the board reset and started the program (else: press its reset button). */
  started: boolean;
}

const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
/** Bytes of the program per write command while saving (as mpremote's `cp`). */
const CHUNK_SIZE = 256;
/** Largest single write in plain raw mode, which has no flow control. */
const PLAIN_WRITE_SIZE = 256;
/** Ctrl-Cs in a hard interrupt: a program that catches one may not catch the next. */
const BURST = 5;
/** What the friendly REPL's prompt looks like at the end of the output. */
const PROMPT = /\n>>> $/;

const CTRL_A = '\x01';
const CTRL_B = '\x02';
const CTRL_D = '\x04';
const RAW_PASTE_REQUEST = '\x05A\x01';

const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MicroPythonBoard {
  private _activity: BoardActivity = 'idle';
  /** Whether the board speaks raw-paste mode; unknown until first asked. */
  private rawPaste: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Ends when the program started by `run` ends. */
  private runEnded: Promise<void> | null = null;
  /** The last few characters printed, to see the prompt come back after a saved program. */
  private tail = '';
  private readonly timeouts: BoardTimeouts;

  private constructor(
    private readonly link: BoardLink,
    private readonly listener: BoardListener,
    timeouts: Partial<BoardTimeouts>,
  ) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    link.onOutput = (bytes) => this.passOn(bytes);
    link.onLost = (error) => {
      this.setActivity('disconnected');
      listener.lost(error);
    };
  }

  /** Opens `port` (without resetting the board) and talks to the board behind it. */
  static async connect(
    port: SerialPortLike,
    listener: BoardListener,
    timeouts: Partial<BoardTimeouts> = {},
  ): Promise<MicroPythonBoard> {
    return new MicroPythonBoard(await BoardLink.open(port), listener, timeouts);
  }

  get activity(): BoardActivity {
    return this._activity;
  }

  /** How the board took code last time: raw-paste mode, plain raw mode, or not asked yet. */
  get rawPasteMode(): 'unknown' | 'yes' | 'no' {
    return this.rawPaste;
  }

  /**
   * Runs `code` now. Resolves once the board has it and started it; the program's output goes to
   * the listener until it ends (`activity` turns `idle` again).
   */
  async run(code: string, progress: (p: BoardProgress) => void = () => {}): Promise<void> {
    const bytes = bytesOf(code);
    // eslint-disable-next-line no-control-regex -- Ctrl-A…Ctrl-E would steer the raw REPL
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(code)) {
      throw new Error('A program for the raw REPL cannot hold control characters.');
    }
    await this.action(async () => {
      progress({ phase: 'interrupting', done: 0, total: bytes.length });
      await this.enterRaw();
      progress({ phase: 'writing', done: 0, total: bytes.length });
      await this.sendCode(bytes);
      progress({ phase: 'starting', done: bytes.length, total: bytes.length });
      // The link stays held: the output is followed until the program's end.
      this.setActivity('running');
      this.runEnded = this.followRun();
    });
  }

  /**
   * Saves `code` as main.py and soft-resets the board so it starts. Rejects (with the old
   * main.py left in place) when the port goes away, the board stops answering, or the file on
   * the board does not check out.
   */
  async save(code: string, progress: (p: BoardProgress) => void = () => {}): Promise<SaveResult> {
    const bytes = bytesOf(code);
    const total = bytes.length;
    return this.action(async () => {
      progress({ phase: 'interrupting', done: 0, total });
      await this.enterRaw();
      await this.command(OPEN_TEMP);
      for (let done = 0; done < total; done += CHUNK_SIZE) {
        progress({ phase: 'writing', done, total });
        await this.command(writeChunk(bytes.subarray(done, done + CHUNK_SIZE)));
      }
      await this.command(CLOSE_TEMP);
      progress({ phase: 'verifying', done: total, total });
      const check = parseVerify(await this.command(VERIFY_TEMP));
      const wanted = bytesToHex(sha256(bytes));
      if (!check || check.size !== total || (check.sha256 && check.sha256 !== wanted)) {
        await this.command(REMOVE_TEMP);
        const found = check ? `${check.size} bytes ${check.sha256}` : 'no answer';
        throw new BoardError('verify-failed', `sent ${total} bytes ${wanted}, found ${found}`);
      }
      await this.command(RENAME_TEMP);
      progress({ phase: 'starting', done: total, total });
      const started = await this.softReset();
      return { size: total, hashChecked: check.sha256 !== '', started };
    });
  }

  /** Ctrl-C: stops the running program (or clears a half-typed REPL line). Not while busy. */
  async interrupt(): Promise<void> {
    if (this._activity === 'busy') return;
    await this.link.write('\x03');
    const running = this.runEnded;
    if (!running) return;
    // A program that catches KeyboardInterrupt gets a burst.
    const ended = await Promise.race([
      running.then(() => true),
      sleep(this.timeouts.interrupt).then(() => false),
    ]);
    if (!ended) await this.burst();
  }

  /** Types `text` into the board's REPL (or into the running program's input). */
  async send(text: string): Promise<void> {
    if (this._activity === 'busy') throw new BoardError('busy');
    await this.link.write(text);
  }

  /** Closes the port; the board goes on with what it was doing. */
  async disconnect(): Promise<void> {
    this.setActivity('disconnected');
    await this.link.close();
  }

  /** Runs `body` as the one action in progress, the link held for the protocol. */
  private async action<T>(body: () => Promise<T>): Promise<T> {
    if (this._activity === 'busy' || this._activity === 'disconnected') {
      throw new BoardError(this._activity === 'busy' ? 'busy' : 'unplugged');
    }
    if (this.runEnded) await this.stopRun();
    this.setActivity('busy');
    this.link.capture(true);
    try {
      const result = await body();
      if (this.activity === 'busy') this.setActivity('idle');
      return result;
    } catch (error) {
      if (!this.link.lost) {
        // Back to the normal prompt, so the monitor's REPL box works; never waits.
        void this.link.write(CTRL_B).catch(() => {});
        this.setActivity('idle');
      }
      throw error;
    } finally {
      if (!this.runEnded) this.link.capture(false);
    }
  }

  /** Stops the program `run` started (Ctrl-C), and stops following it if it will not stop. */
  private async stopRun(): Promise<void> {
    const running = this.runEnded;
    if (!running) return;
    await this.link.write('\x03');
    const ended = await Promise.race([
      running.then(() => true),
      sleep(this.timeouts.interrupt).then(() => false),
    ]);
    if (!ended) this.link.cancelReads();
    await running;
  }

  /**
   * Interrupts whatever runs and enters the raw REPL. A board that does not show the raw
   * REPL's banner in time gets a hard interrupt and one more chance.
   */
  private async enterRaw(): Promise<void> {
    await this.link.write('\r\x03\x03');
    // What a stopped program printed on its way out is not the answer.
    this.link.discard();
    await this.link.write(`\r${CTRL_A}`);
    try {
      await this.link.readUntil(RAW_BANNER, this.timeouts.interrupt);
      return;
    } catch (error) {
      if (!(error instanceof BoardError && error.problem === 'no-answer')) throw error;
    }
    await this.burst();
    await this.link.write(`\r${CTRL_A}`);
    await this.link.readUntil(RAW_BANNER, this.timeouts.interrupt * 2);
  }

  /** A hard interrupt: Ctrl-C several times, a moment apart. */
  private async burst(): Promise<void> {
    for (let i = 0; i < BURST; i++) {
      await this.link.write('\x03');
      await sleep(this.timeouts.burstGap);
    }
  }

  /** Runs a short command in the raw REPL; resolves with its output, rejects on its error. */
  private async command(code: string): Promise<string> {
    await this.sendCode(bytesOf(code));
    const output = await this.link.readUntil(CTRL_D, this.timeouts.answer);
    const error = await this.link.readUntil(CTRL_D, this.timeouts.answer);
    await this.link.readUntil('>', this.timeouts.answer);
    const text = (bytes: Uint8Array) => decoder.decode(bytes.subarray(0, -1));
    if (error.length > 1) throw new BoardError('board-error', text(error).trim());
    return text(output);
  }

  /** Sends `code` to the raw REPL and starts it: raw-paste mode where the board has it. */
  private async sendCode(code: Uint8Array): Promise<void> {
    if (this.rawPaste !== 'no') {
      await this.link.write(RAW_PASTE_REQUEST);
      const answer = decoder.decode(await this.link.readCount(2, this.timeouts.answer));
      if (answer === 'R\x01') {
        this.rawPaste = 'yes';
        return this.pasteCode(code);
      }
      this.rawPaste = 'no';
      // `R\x00`: understood, not supported. Anything else: older firmware took the request as
      // text, and its Ctrl-A printed the raw REPL's banner again.
      if (answer !== 'R\x00')
        await this.link.readUntil('CTRL-B to exit\r\n>', this.timeouts.answer);
    }
    for (let at = 0; at < code.length; at += PLAIN_WRITE_SIZE) {
      await this.link.write(code.subarray(at, at + PLAIN_WRITE_SIZE));
    }
    await this.link.write(CTRL_D);
    const ok = decoder.decode(await this.link.readCount(2, this.timeouts.answer));
    if (ok !== 'OK') throw new BoardError('confused', `expected OK, got ${JSON.stringify(ok)}`);
  }

  /**
   * Raw-paste mode: the board gives a window size, and sends Ctrl-A each time it has room for
   * another window; Ctrl-D ends the code (the board acknowledges with Ctrl-D), and a Ctrl-D from
   * the board means it stopped reading early (a syntax error: it follows as the error).
   */
  private async pasteCode(code: Uint8Array): Promise<void> {
    const header = await this.link.readCount(2, this.timeouts.answer);
    const window = header[0] | (header[1] << 8);
    let room = window;
    for (let at = 0; at < code.length;) {
      while (room === 0 || this.link.pending) {
        const [signal] = await this.link.readCount(1, this.timeouts.answer);
        if (signal === 0x01) {
          room += window;
        } else if (signal === 0x04) {
          await this.link.write(CTRL_D);
          return;
        } else {
          throw new BoardError('confused', `unexpected byte ${signal} during raw paste`);
        }
      }
      const piece = code.subarray(at, at + room);
      await this.link.write(piece);
      room -= piece.length;
      at += piece.length;
    }
    await this.link.write(CTRL_D);
    await this.link.readUntil(CTRL_D, this.timeouts.answer);
  }

  /** Follows a program started by `run`: its output and error, then back to the friendly REPL. */
  private async followRun(): Promise<void> {
    const show = (bytes: Uint8Array) => this.passOn(bytes);
    try {
      await this.link.readUntil(CTRL_D, Infinity, show);
      await this.link.readUntil(CTRL_D, this.timeouts.answer, show);
      await this.link.readUntil('>', this.timeouts.answer);
      this.link.capture(false);
      await this.link.write(CTRL_B);
      this.setActivity('idle');
    } catch {
      // Unplugged (the listener has heard) or a board that went quiet mid-error: let go.
      this.link.capture(false);
      if (!this.link.lost) this.setActivity('idle');
    } finally {
      this.runEnded = null;
    }
  }

  /**
   * Leaves the raw REPL and presses Ctrl-D at the normal prompt: a soft reset, after which the
   * board runs main.py (from the raw REPL it would not). Resolves false when the board does not
   * say "soft reboot" in time: the program is saved all the same.
   */
  private async softReset(): Promise<boolean> {
    await this.link.write(CTRL_B);
    await this.link.readUntil('>>> ', this.timeouts.answer);
    await this.link.write(CTRL_D);
    try {
      await this.link.readUntil('soft reboot\r\n', this.timeouts.reset);
    } catch (error) {
      if (error instanceof BoardError && error.problem === 'no-answer') return false;
      throw error;
    }
    this.tail = '';
    this.setActivity('running');
    return true;
  }

  /** Hands bytes to the monitor; a saved program that ends shows the prompt, and is idle. */
  private passOn(bytes: Uint8Array): void {
    this.listener.output(bytes);
    if (this._activity !== 'running' || this.runEnded) return;
    this.tail = (this.tail + decoder.decode(bytes)).slice(-8).replace(/\r/g, '');
    if (PROMPT.test(this.tail)) this.setActivity('idle');
  }

  private setActivity(activity: BoardActivity): void {
    if (this._activity === activity || this._activity === 'disconnected') return;
    this._activity = activity;
    this.listener.activity(activity);
  }
}
