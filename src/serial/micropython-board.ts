/**
 * A MicroPython board on a serial port, driven through its raw REPL as mpremote drives it, and
 * made for the mPython board's firmware (MicroPython ≈ 1.12, which has no raw-paste mode, whose
 * hardware timers keep firing after Ctrl-C, and which may reset when the port opens):
 *
 * - Getting the board: Ctrl-C (twice: the second clears a half-typed REPL line), then one Ctrl-A
 *   and a wait for the raw REPL's banner; a board stuck in a blocking call gets a burst of Ctrl-C
 *   and, much later, one more Ctrl-A. Then a soft reset (Ctrl-D) in the raw REPL, waited for in
 *   two steps ("soft reboot", then the banner again) with everything before each dropped: it stops
 *   the old program's timers, threads and sockets and frees its memory, skips main.py, and swallows
 *   the second banner of a doubled Ctrl-A and whatever a timer printed meanwhile.
 * - `run(code)` executes a program now; its output streams to `output` until it ends, is stopped
 *   (Ctrl-C) or the board resets, then the board is back at its normal REPL prompt.
 * - `save(code)` writes main.py so it survives power-off: chunk by chunk into a temporary file,
 *   checked (size, and SHA-256 where the firmware has it), renamed over main.py only then, and
 *   the board soft-reset so it starts. An upload cut short leaves the old main.py as it was.
 * - Code goes in raw-paste mode with its flow control where the board has it (asked once per
 *   connection), in plain raw mode where it does not.
 * - After the port opens, and after the board resets on its own (RST, `machine.reset()`), nothing
 *   is started until the board has been quiet for a moment: a board that resets when the port
 *   opens would otherwise get Ctrl-C in the middle of starting (before its filesystem is mounted).
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
  /** For each answer of the raw REPL while starting or saving; the last wait for the banner. */
  answer: number;
  /** For "soft reboot" after a soft reset. */
  reset: number;
  /** For the REPL after "soft reboot" (mPython's `_boot.py` sleeps 300 ms; boot.py may run). */
  boot: number;
  /** Between the Ctrl-Cs of a hard interrupt. */
  burstGap: number;
  /** How long the board must have been silent before it counts as started. */
  quiet: number;
  /** The longest wait for that silence after a reset (a program may print all the time). */
  settle: number;
}

export const DEFAULT_TIMEOUTS: BoardTimeouts = {
  interrupt: 2000,
  answer: 10000,
  reset: 5000,
  boot: 10000,
  burstGap: 100,
  quiet: 800,
  settle: 8000,
};

/** What the board tells the page. */
export interface BoardListener {
  /** Everything it prints for the serial monitor (protocol chatter left out), as it comes. */
  output(bytes: Uint8Array): void;
  /** Its activity changed. */
  activity(activity: BoardActivity): void;
  /** The port went away on its own (cable pulled, board powered off). */
  lost(error: BoardError): void;
  /**
   * The board restarted on its own (its RST button, `machine.reset()`, a crash); `endedRun`
   * when that ended a program started by `run`, which is gone now.
   */
  restarted?(endedRun: boolean): void;
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
/** The end of every firmware's soft-reset line (`mpython: soft reboot`, `MPY: soft reboot`). */
const SOFT_REBOOT = 'soft reboot\r\n';
/** Bytes of the program per write command while saving (as mpremote's `cp`). */
const CHUNK_SIZE = 256;
/** Largest single write in plain raw mode, which has no flow control. */
const PLAIN_WRITE_SIZE = 256;
/** Ctrl-Cs in a hard interrupt: a program that catches one may not catch the next. */
const BURST = 5;
/** The friendly REPL's prompt, at the start of a line. */
const PROMPT = '\n>>> ';
/**
 * What a board prints when it restarts on its own: the ESP32 ROM's reset cause (`rst:0x1
 * (POWERON_RESET)`), or a soft reset the page did not ask for (`machine.soft_reset()`).
 */
const RESTART = /rst:0x[0-9a-f]+ \(|soft reboot\n/;
/** mPython's `_boot.py` prints this once the filesystem is mounted: the board has started. */
const BOOT_MARKER = '=$%#=';

const CTRL_A = '\x01';
const CTRL_B = '\x02';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const RAW_PASTE_REQUEST = '\x05A\x01';

const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class MicroPythonBoard {
  private _activity: BoardActivity = 'busy';
  /** Whether the board speaks raw-paste mode; unknown until first asked. */
  private rawPaste: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Ends when the program started by `run` ends. */
  private runEnded: Promise<void> | null = null;
  /** Whether the board reads the raw REPL (since our Ctrl-A, until our Ctrl-B or a reset). */
  private inRaw = false;
  /** The last characters printed (without CR), to see prompts and restarts across reads. */
  private tail = '';
  private readonly tailDecoder = new TextDecoder();
  /** Bumped at every friendly prompt the board prints. */
  private prompts = 0;
  /** Whether a restart was seen while connecting or settling (the settle is then longer). */
  private restartSeen = false;
  /** Since that restart: whether it has printed `_boot.py`'s marker or a prompt. */
  private startSeen = false;
  /** `prompts` at that restart. */
  private promptsAtRestart = 0;
  /** Set while the board settles after a restart (or while connecting). */
  private settling = false;
  /** Set when a restart cut a followed Run short. */
  private runCutByRestart = false;
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

  /**
   * Opens `port` (without resetting the board) and talks to the board behind it. Resolves once
   * the board has settled: at once for a silent board, after its start for one that resets when
   * the port opens (the CP210x driver on Windows does that, and Web Serial cannot stop it).
   */
  static async connect(
    port: SerialPortLike,
    listener: BoardListener,
    timeouts: Partial<BoardTimeouts> = {},
  ): Promise<MicroPythonBoard> {
    const board = new MicroPythonBoard(await BoardLink.open(port), listener, timeouts);
    await board.settle();
    // Quietly: the page takes the activity from here.
    if (board._activity === 'busy') board._activity = board.afterRestart();
    return board;
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
      this.runCutByRestart = false;
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
      const started = await this.startMain();
      return { size: total, hashChecked: check.sha256 !== '', started };
    });
  }

  /**
   * Stop: Ctrl-C stops the running program (or clears a half-typed REPL line). Then, once the
   * `>>> ` prompt is back, a second Ctrl-C: at the prompt, the mPython firmware stops the timers
   * and threads the program started (its keep-alive would otherwise go on). Not while busy.
   */
  async interrupt(): Promise<void> {
    if (this._activity === 'busy' || this._activity === 'disconnected') return;
    const prompts = this.prompts;
    await this.link.write(CTRL_C);
    const running = this.runEnded;
    if (running) {
      // A program that catches KeyboardInterrupt gets a burst.
      const ended = await Promise.race([
        running.then(() => true),
        sleep(this.timeouts.interrupt).then(() => false),
      ]);
      if (!ended) await this.burst();
    }
    await this.promptAfter(prompts, this.timeouts.interrupt);
    if (this.free()) await this.link.write(CTRL_C);
  }

  /** Whether the board is connected and not in one of our actions. */
  private free(): boolean {
    return this._activity !== 'busy' && this._activity !== 'disconnected';
  }

  /** Types `text` into the board's REPL (or into the running program's input). */
  async send(text: string): Promise<void> {
    if (this._activity === 'busy') throw new BoardError('busy');
    await this.link.write(text);
  }

  /**
   * Closes the port; the board goes on with what it was doing. A board left in the raw REPL (a
   * Run still going) is told to go back to the normal REPL when it is done (Ctrl-B, queued while
   * it runs), so whoever talks to it next sees its prompt and the echo of what they type.
   */
  async disconnect(): Promise<void> {
    const inRaw = this.inRaw && !this.link.lost;
    this.setActivity('disconnected');
    if (inRaw) await this.link.write(`\r${CTRL_B}`).catch(() => {});
    this.link.cancelReads();
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
        this.inRaw = false;
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
    await this.link.write(CTRL_C);
    const ended = await Promise.race([
      running.then(() => true),
      sleep(this.timeouts.interrupt).then(() => false),
    ]);
    if (!ended) this.link.cancelReads();
    await running;
  }

  /**
   * Interrupts whatever runs, enters the raw REPL and soft-resets the board there, leaving it at
   * a clean raw prompt: no old program, no timer, no callback that could print into an answer.
   */
  private async enterRaw(): Promise<void> {
    await this.link.write(`\r${CTRL_C}${CTRL_C}`);
    // What a stopped program printed on its way out is not the answer.
    this.link.discard();
    await this.link.write(`\r${CTRL_A}`);
    this.inRaw = true;
    if (!(await this.bannerWithin(this.timeouts.interrupt))) {
      // A program that catches KeyboardInterrupt, or a board held in a blocking call (a DNS
      // look-up, a TCP connect) that reads its input only afterwards: more Ctrl-Cs, and the same
      // Ctrl-A, still queued, gets its turn.
      await this.burst();
      if (!(await this.bannerWithin(this.timeouts.interrupt))) {
        // The Ctrl-A may have been read by the program (input()). Once more, then a long wait.
        // A board that was only slow answers both Ctrl-As: the soft reset below drops the second.
        await this.link.write(`\r${CTRL_A}`);
        await this.link.readUntil(RAW_BANNER, this.timeouts.answer);
      }
    }
    // The board reads its input in order: whatever answer an earlier byte gets comes before the
    // soft reset's "soft reboot", and is dropped with it.
    await this.link.write(CTRL_D);
    await this.link.readUntil(SOFT_REBOOT, this.timeouts.reset);
    await this.link.readUntil(RAW_BANNER, this.timeouts.boot);
  }

  /** Whether the raw REPL's banner comes within `ms`; rejects only when the port goes away. */
  private async bannerWithin(ms: number): Promise<boolean> {
    try {
      await this.link.readUntil(RAW_BANNER, ms);
      return true;
    } catch (error) {
      if (error instanceof BoardError && error.problem === 'no-answer') return false;
      throw error;
    }
  }

  /** A hard interrupt: Ctrl-C several times, a moment apart. */
  private async burst(): Promise<void> {
    for (let i = 0; i < BURST; i++) {
      await this.link.write(CTRL_C);
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
      if (answer === 'R\x00') {
        // Understood, not supported: the raw REPL's prompt follows.
        await this.link.readUntil('>', this.timeouts.answer);
      } else {
        // Firmware without raw-paste (mPython's) took `\x05A` as text, and its Ctrl-A printed
        // the raw REPL's banner again, of which `answer` is the start.
        await this.link.readUntil('CTRL-B to exit\r\n>', this.timeouts.answer);
      }
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

  /**
   * Follows a program started by `run`: its output and error, then back to the friendly REPL.
   * A restart of the board (seen by `passOn`) cancels the reads: the program is gone.
   */
  private async followRun(): Promise<void> {
    const show = (bytes: Uint8Array) => this.passOn(bytes);
    try {
      await this.link.readUntil(CTRL_D, Infinity, show);
      await this.link.readUntil(CTRL_D, this.timeouts.answer, show);
      await this.link.readUntil('>', this.timeouts.answer);
      this.link.capture(false);
      await this.link.write(CTRL_B);
      this.inRaw = false;
      this.setActivity('idle');
    } catch {
      // Unplugged (the listener has heard), a restart, or a board that went quiet mid-error.
      this.link.capture(false);
      if (!this.link.lost && !this.runCutByRestart) this.setActivity('idle');
    } finally {
      this.runEnded = null;
    }
  }

  /**
   * Leaves the raw REPL and presses Ctrl-D at the normal prompt: a soft reset, after which the
   * board runs main.py (from the raw REPL it would not). Resolves false when the board does not
   * say "soft reboot" in time: the program is saved all the same.
   */
  private async startMain(): Promise<boolean> {
    await this.link.write(CTRL_B);
    this.inRaw = false;
    await this.link.readUntil('>>> ', this.timeouts.answer);
    await this.link.write(CTRL_D);
    try {
      await this.link.readUntil(SOFT_REBOOT, this.timeouts.reset);
    } catch (error) {
      if (error instanceof BoardError && error.problem === 'no-answer') return false;
      throw error;
    }
    this.tail = '';
    this.setActivity('running');
    return true;
  }

  /**
   * Waits for the board to be quiet: at most `quiet` ms for a board that did not restart (one
   * running a program may print all the time). One that did is given up to `settle` ms, and is
   * waited for until it has printed mPython's boot marker or a prompt (a board can be silent for
   * a while before its filesystem is mounted), then until it is quiet.
   */
  private async settle(): Promise<void> {
    this.settling = true;
    try {
      const start = performance.now();
      const left = () => Math.max(0, this.timeouts.settle - (performance.now() - start));
      await this.link.quiet(this.timeouts.quiet, this.timeouts.quiet);
      while (this.restartSeen && left() > 0 && !this.link.lost) {
        await this.link.quiet(this.timeouts.quiet, left());
        if (this.startSeen) break;
        await sleep(50);
      }
    } finally {
      this.settling = false;
    }
  }

  /** What the board does after the restart it settled from: a program, or its prompt. */
  private afterRestart(): BoardActivity {
    const running = this.restartSeen && this.prompts === this.promptsAtRestart;
    this.restartSeen = false;
    return running ? 'running' : 'idle';
  }

  /** The board restarted on its own: a followed Run is gone; actions wait until it is quiet. */
  private async restarted(): Promise<void> {
    const endedRun = this.runEnded !== null;
    this.inRaw = false;
    this.restartSeen = true;
    this.startSeen = false;
    this.promptsAtRestart = this.prompts;
    if (this.settling) return;
    if (endedRun) {
      this.runCutByRestart = true;
      this.link.cancelReads();
    }
    this.setActivity('busy');
    this.listener.restarted?.(endedRun);
    await this.settle();
    if (this._activity === 'busy') this.setActivity(this.afterRestart());
  }

  /** Resolves once a prompt newer than `prompts` was printed, or after `ms`. */
  private async promptAfter(prompts: number, ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.prompts === prompts && performance.now() < deadline && !this.link.lost) {
      await sleep(20);
    }
  }

  /**
   * Hands bytes to the monitor, and watches them: a prompt (a saved program that ends is idle),
   * a restart of the board.
   */
  private passOn(bytes: Uint8Array): void {
    this.listener.output(bytes);
    const old = this.tail;
    const text = old + this.tailDecoder.decode(bytes, { stream: true }).replace(/\r/g, '');
    this.tail = text.slice(-64);
    // Only what ends in the new text counts: the tail was looked at before.
    const restart = RESTART.exec(text);
    if (restart && restart.index + restart[0].length > old.length) {
      this.tail = text.slice(restart.index + restart[0].length);
      void this.restarted();
      return;
    }
    const from = Math.max(0, old.length - PROMPT.length + 1);
    const prompt = text.indexOf(PROMPT, from) >= 0;
    if (prompt) this.prompts++;
    if (
      prompt ||
      text.indexOf(BOOT_MARKER, Math.max(0, old.length - BOOT_MARKER.length + 1)) >= 0
    ) {
      this.startSeen = true;
    }
    if (prompt && this._activity === 'running' && !this.runEnded) this.setActivity('idle');
  }

  private setActivity(activity: BoardActivity): void {
    if (this._activity === activity || this._activity === 'disconnected') return;
    this._activity = activity;
    this.listener.activity(activity);
  }
}
