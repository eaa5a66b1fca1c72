/**
 * A program's run, as a reactive controller of the studio: it starts the program's Worker on the
 * project's browser broker, keeps the board state the program writes (the board's life: online,
 * dropped, ended), puts what the program prints and throws into Messages, points an error at
 * the block that threw it, remembers the client ID the program connected as, and mirrors the
 * board on the teacher's classroom wall while it runs on the studio's own broker.
 *
 * The Worker, the page and the blocks stay behind `Runner`, `RunView` and `RunSessionOptions`,
 * so the session runs in Node as it does in the studio.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { idleBoard, type BoardInput, type BoardState } from '../board/board-state.ts';
import { BoardLink, boardChannelUrl, newRunSecret, withRunSecret } from '../class/board-link.ts';
import { brokerTarget } from '../project/browser-broker.ts';
import type { ProjectSettings } from '../project/project-file.ts';
import type { BrowserBrokerTarget, FromWorker, ProgramHandler } from '../run/protocol.ts';
import { wordSentence, type Sentence } from '../runtime/strings.ts';
import { worded, type Wording } from '../i18n/translate.ts';
import type { Language } from '../i18n/language.ts';
import { t, type StringKey } from './strings.ts';

/** A line for Messages from the program's side: the run's life, what it prints, its errors. */
export interface ConsoleLine {
  kind: 'info' | 'print' | 'error';
  /** A function of the language for the lines worded again when the language changes. */
  text: Wording;
  /** The block an error was thrown at. */
  blockId?: string;
}

/** What runs programs: `ProgramRunner` in the studio. */
export interface Runner {
  run(
    code: string,
    broker: BrowserBrokerTarget,
    onMessage: (message: FromWorker) => void,
  ): Promise<void>;
  stop(): Promise<void>;
  input(input: BoardInput): void;
  prewarm(): void;
  dispose(): Promise<void>;
}

/** The running board on the teacher's classroom wall: `BoardLink` in the studio. */
export interface BoardMirror {
  show(project: string, board: BoardState): void;
  close(): void;
}

/** What the session needs of the page around it (the studio gives it one). */
export interface RunView {
  /** The board changed (often: hundreds of times a second when a program wants). */
  boardChanged(board: BoardState): void;
  /** Adds `line` to Messages. */
  addLine(line: ConsoleLine): void;
  /** Brings Messages into view: what the program prints and receives is what a child looks at next. */
  showMessages(): void;
  /** The program has ended, for `reason` (its top-level error) or by itself. */
  programEnded(reason: string | undefined): void;
  /** Whether block `id` is in the program. */
  hasBlock(id: string): boolean;
  /** Shows block `id` with `text` on it: the error it threw. */
  showError(id: string, text: string): void;
  /** Takes away the errors a run before showed on blocks. */
  clearErrors(): void;
  /** What the child sees the handler block called (the words on the block). */
  handlerName(handler: ProgramHandler): string;
  /** The open project's name, for the classroom wall. */
  projectName(): string;
}

/** The parts of the page the session uses, replaceable in tests. */
export interface RunSessionOptions {
  /** The page's address: the studio's own broker and the wall are at its origin. */
  pageUrl?: () => string;
  /** Opens the classroom wall's link for run secret `run` at `url`; `onStop` stops the Run. */
  mirror?: (url: string, run: string, onStop: () => void) => BoardMirror;
}

/**
 * An error thrown in a handler as a sentence that names the handler block in its own words and
 * says the program goes on (it does: the next message or press runs the handler again).
 */
function handlerFailed(
  handler: ProgramHandler,
  name: string,
  error: string,
  in_?: Language,
): string {
  const reason = error.replace(/[\s.。]+$/u, '');
  return handler.kind === 'message'
    ? t('messageHandlerFailed', { handler: name, reason }, in_)
    : t('buttonHandlerFailed', { handler: name, reason }, in_);
}

/** Studio string `key` as a line's text, worded again when the language changes. */
const studioWords = (key: StringKey) => (in_: Language) => t(key, {}, in_);

/** What the Worker said (`error` or `notice`): worded again when it sent a runtime sentence. */
function workerWords(message: { message: string; sentence?: Sentence }): Wording {
  const { sentence } = message;
  return sentence ? (in_: Language) => wordSentence(sentence, in_) : message.message;
}

/** The program running now (or none), and the board it drives. */
export class RunSession implements ReactiveController {
  private readonly _pageUrl: () => string;
  private readonly _mirror: NonNullable<RunSessionOptions['mirror']>;
  private _running = false;
  /** The client ID the running program connected as ('' when none runs). */
  private _programId = '';
  /**
   * What the virtual board shows. Not a reason to render the studio: a program can change its
   * LEDs hundreds of times a second, and each change goes to the view (`boardChanged`).
   */
  private _board: BoardState = idleBoard();
  /** Why the running program will end: its top-level error, once it had one. */
  private _endReason: string | undefined;
  /** The TypeScript of the program running now: its line map points errors at blocks. */
  private _runningProgram?: GeneratedProgram;
  /** The running program's link to the teacher's classroom wall, on the studio's own broker. */
  private _boardLink: BoardMirror | null = null;

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _view: RunView,
    private readonly _runner: Runner,
    options: RunSessionOptions = {},
  ) {
    this._pageUrl = options.pageUrl ?? (() => location.href);
    this._mirror = options.mirror ?? ((url, run, onStop) => new BoardLink(url, run, onStop));
    _host.addController(this);
  }

  /** Whether a program runs (from Run until Stop). */
  get running(): boolean {
    return this._running;
  }

  /** The client ID the running program connected as ('' when none runs), for Messages. */
  get programId(): string {
    return this._programId;
  }

  /** What the virtual board shows now. */
  get board(): BoardState {
    return this._board;
  }

  hostDisconnected(): void {
    this._running = false;
    void this._runner.dispose();
  }

  /**
   * Runs `program` (the TypeScript of the program as it is now) in a fresh Worker, on a board
   * that starts dark, on `settings`' browser broker; `clientId` is its connect block's client ID.
   */
  async run(program: GeneratedProgram, settings: ProjectSettings, clientId: string): Promise<void> {
    this._runningProgram = program;
    this._running = true;
    this._programId = clientId;
    this._endReason = undefined;
    this._host.requestUpdate();
    this._view.clearErrors();
    // What the program prints and receives is what a child looks at next.
    this._view.showMessages();
    this._setBoard(idleBoard({ light: this._board.light, sound: this._board.sound }));
    this._view.addLine({ kind: 'info', text: studioWords('programStarted') });
    let target = brokerTarget(settings.browserBroker, this._pageUrl());
    // On the studio's own broker the teacher's classroom wall mirrors the board (src/class/).
    this._boardLink?.close();
    this._boardLink = null;
    if (settings.browserBroker.kind === 'embedded') {
      const run = newRunSecret();
      target = { ...target, url: withRunSecret(target.url, run) };
      this._boardLink = this._mirror(boardChannelUrl(this._pageUrl()), run, () => void this.stop());
      this._boardLink.show(this._view.projectName(), this._board);
    }
    await this._runner.run(program.code, target, (message) => this._onProgramMessage(message));
  }

  /** Stops the program running (if one is), darkens the board and readies the next Run. */
  async stop(): Promise<void> {
    if (!this._running) return;
    this._running = false;
    this._programId = '';
    this._host.requestUpdate();
    this._boardLink?.close();
    this._boardLink = null;
    await this._runner.stop();
    this._setBoard(idleBoard({ light: this._board.light, sound: this._board.sound }));
    this._view.addLine({ kind: 'info', text: studioWords('programStopped') });
    this._runner.prewarm();
  }

  /** Loads a program Worker ahead of the next Run, so it starts quickly. */
  prewarm(): void {
    this._runner.prewarm();
  }

  /** The child pressed, touched or slid something on the virtual board. */
  input(input: BoardInput): void {
    if (input.kind === 'light' || input.kind === 'sound') {
      this._setBoard({ ...this._board, [input.kind]: input.level });
    }
    this._runner.input(input);
  }

  private _setBoard(board: BoardState): void {
    this._board = board;
    this._boardLink?.show(this._view.projectName(), board);
    this._view.boardChanged(board);
  }

  private _onProgramMessage(message: FromWorker): void {
    switch (message.type) {
      case 'board':
        this._setBoard({ ...this._board, ...message.patch });
        break;
      case 'status':
        if (message.status === 'online' || message.status === 'offline') {
          this._setBoard({ ...this._board, online: message.status === 'online' });
        } else if (message.status === 'ended') {
          this._setBoard({ ...this._board, online: false });
          this._view.addLine({ kind: 'info', text: studioWords('programEnded') });
          this._view.programEnded(this._endReason);
        }
        break;
      case 'print':
        // The runtime's own lines are worded again on a language switch; a printed text never.
        this._view.addLine({
          kind: 'print',
          text: workerWords({ ...message, message: message.text }),
        });
        break;
      case 'notice':
        this._view.addLine({ kind: 'error', text: workerWords(message) });
        this._view.showMessages();
        break;
      case 'error': {
        const blockId = this._blockAtLines(message.lines ?? [message.line]);
        const { handler } = message;
        const said = workerWords(message);
        // The handler's name is read when the line is drawn: the block's words in that language.
        const text: Wording = handler
          ? (in_: Language) =>
              handlerFailed(handler, this._view.handlerName(handler), worded(said, in_), in_)
          : said;
        // A top-level error ends the program: the board says so when it has ended.
        if (!message.handler) this._endReason = message.message;
        this._view.addLine({ kind: 'error', text, blockId });
        this._view.showMessages();
        if (blockId) this._view.showError(blockId, worded(text));
        break;
      }
    }
  }

  /**
   * The block that produced the first of `lines` (1-based, innermost first) that a block made:
   * an error thrown inside a helper function is shown at the block that called it.
   */
  private _blockAtLines(lines: (number | undefined)[]): string | undefined {
    if (!this._runningProgram) return undefined;
    for (const line of lines) {
      const id = line ? this._runningProgram.lineBlocks[line - 1] : null;
      if (id && this._view.hasBlock(id)) return id;
    }
    return undefined;
  }
}
