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
  /** Lets `ms` of the board's time pass; never resolves after Stop, as `sleep` does not. */
  sleep(ms: number): Promise<void>;
}

/** A part's runtime piece: its name in the runtime (`@iot-blocks/runtime`) and its maker. */
export interface PartRuntime<R = unknown> {
  /** The export's name; the part's contract type is declared on `Runtime` under this name. */
  name: string;
  /** Makes the part's object for one run of a program. */
  create(board: PartBoard): R;
}
