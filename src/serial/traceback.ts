/**
 * Finding our program's line in a MicroPython traceback. The raw REPL runs a program as
 * `<stdin>`; after a reset the board runs the saved one as `main.py`.
 */

/** The first line of every traceback MicroPython prints. */
export const TRACEBACK_START = 'Traceback (most recent call last):';

const FRAME = /^\s+File "([^"]*)", line (\d+)/;

/**
 * The line (1-based) of the innermost frame in one of `files`, or null when no frame is ours
 * (the error came from a library on the board, say).
 */
export function programLine(traceback: readonly string[], files: readonly string[]): number | null {
  let line: number | null = null;
  for (const text of traceback) {
    const frame = FRAME.exec(text);
    if (frame && files.includes(frame[1].replace(/^\//, ''))) line = Number(frame[2]);
  }
  return line;
}
