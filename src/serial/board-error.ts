/**
 * Why talking to a board failed, as a kind the studio turns into a sentence for children. The
 * uploader never shows text of its own: the panel says each kind in the studio's language.
 */

/** What went wrong. */
export type BoardProblem =
  /** Another program (or another tab) has the port open. */
  | 'in-use'
  /** The port could not be opened for another reason. */
  | 'open-failed'
  /** The cable was pulled or the board lost power while talking to it. */
  | 'unplugged'
  /** The board sends nothing back, even after a hard interrupt. */
  | 'no-answer'
  /** The board answered something the protocol does not expect. */
  | 'confused'
  /** The file on the board is not what was sent (size or hash differ). */
  | 'verify-failed'
  /** The board reported a Python error while saving (a full filesystem, say). */
  | 'board-error'
  /** Another action is still going on. */
  | 'busy';

/** A failure talking to a board; `detail` is for makers (the board's own words), not children. */
export class BoardError extends Error {
  constructor(
    readonly problem: BoardProblem,
    readonly detail = '',
  ) {
    super(detail ? `${problem}: ${detail}` : problem);
    this.name = 'BoardError';
  }
}

/** `open()`'s rejection as a board problem: NetworkError and InvalidStateError mean "in use". */
export function openProblem(error: unknown): BoardError {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  return new BoardError(
    name === 'NetworkError' || name === 'InvalidStateError' ? 'in-use' : 'open-failed',
    message,
  );
}
