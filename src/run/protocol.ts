/**
 * The typed messages between the page and the Worker that runs a child's program, keyed by
 * `type`. The page never shares objects with the program: it sends a `RunRequest`, inputs and
 * `stop`; the program reports what the board should show, what it printed and how it is doing.
 */
import type { BoardInput, BoardState } from '../board/board-state.ts';
import type { Language } from '../i18n/language.ts';
import type { Sentence } from '../runtime/strings.ts';

/** Where and how the program's MQTT client connects from the browser. */
export interface BrowserBrokerTarget {
  /** A `ws://` or `wss://` URL, e.g. `ws://localhost:8080/mqtt`. */
  url: string;
  /** Whether the connect block's username and password may be sent there. */
  sendCredentials: boolean;
}

/** Page → worker. */
export type ToWorker =
  | {
      type: 'run';
      /** The generated TypeScript. */
      code: string;
      broker: BrowserBrokerTarget;
      /** The light and sound sliders' levels as the program starts (later ones come as inputs). */
      sensors?: Pick<BoardState, 'light' | 'sound'>;
      /** The language of the sentences the runtime posts (errors, notes); English if absent. */
      language?: Language;
    }
  | { type: 'input'; input: BoardInput }
  | { type: 'stop' };

/** How the program is doing. */
export type ProgramStatus = 'starting' | 'running' | 'online' | 'offline' | 'ended';

/** Worker → page. */
export type FromWorker =
  /** `detail`: why, for `offline` when the broker dropped the connection or it was lost. */
  | { type: 'status'; status: ProgramStatus; detail?: string }
  /**
   * What the board shows changed: the parts named in `patch` now show that (the LEDs, the
   * screen, a part's state). Every part uses this one message: a new part needs no new type.
   */
  | { type: 'board'; patch: Partial<BoardState> }
  /**
   * A line for Messages: what the program printed, or a line of the runtime's own (then with its
   * `sentence`, worded again when the page's language changes; a printed text never is).
   */
  | { type: 'print'; text: string; sentence?: Sentence }
  /**
   * An error in the program; `line` is its line in the generated TypeScript, when known, `lines`
   * every program line in its stack, innermost first (a helper's, then its caller's…), and
   * `handler` the kind of handler it was thrown in (the program goes on after those). `message`
   * is worded in the run's language; `sentence`, when the runtime wrote it (not the program or
   * the JavaScript engine), lets the page word it again after a language switch.
   */
  | {
      type: 'error';
      message: string;
      sentence?: Sentence;
      line?: number;
      lines?: number[];
      handler?: ProgramHandler;
    }
  /** Something the child should know about the program's life that is not an error. */
  | { type: 'notice'; message: string; sentence?: Sentence }
  /** The worker's module has loaded: from now on it reads what the page sends. */
  | { type: 'ready' }
  | { type: 'stopped' };

/** A handler the program registered: for messages, or for a press of button A or B. */
export type ProgramHandler = { kind: 'message' } | { kind: 'button'; button: 'a' | 'b' };
