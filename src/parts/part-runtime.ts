/**
 * A board part's runtime piece (src/parts/<name>/runtime.ts) and what it may do with the board:
 * kept apart from the rest of a part (src/parts/part.ts) so the Worker, and a generated program
 * being type-checked, read only these few types.
 */
import type { BoardState } from '../board/board-state.ts';

/** What a part's runtime piece may do with the board (given to it by the browser runtime). */
export interface PartBoard {
  /** Changes what the virtual board shows (posted to the page as one `board` message). */
  show(patch: Partial<BoardState>): void;
  /**
   * Lets `ms` of the board's time pass as a busy-wait of the firmware (one that runs no scheduled
   * callbacks, as `music.play` does): until it is over no handler starts (button, timer, message)
   * and no `sleep` returns; they run afterwards, in order. `ended` runs as the time is over,
   * before them (what the call does last, such as silencing the buzzer). Never resolves after Stop.
   */
  busy(ms: number, ended?: () => void): Promise<void>;
}

/** A part's runtime piece: its name in the runtime (`@iot-blocks/runtime`) and its maker. */
export interface PartRuntime<R = unknown> {
  /** The export's name; the part's contract type is declared on `Runtime` under this name. */
  name: string;
  /** Makes the part's object for one run of a program. */
  create(board: PartBoard): R;
}
