/**
 * What a board prints, made fit for the serial monitor: ESP-IDF logs in colour (`\x1b[0;32mI (29)
 * boot: …\x1b[0m`), and the monitor is not a terminal. Escape sequences are removed even when one
 * is split across two reads; mPython's boot markers, meant for its own IDE, are recognised so the
 * monitor can leave them out.
 */

// eslint-disable-next-line no-control-regex -- ESC starts the sequences this removes
const SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- an escape sequence cut off at the end of a read
const UNFINISHED = /\x1b(?:\[[0-?]*[ -/]*)?$/;
/** Longer than any sequence a board sends: an ESC never finished is given up on. */
const LONGEST = 32;

/** Removes terminal escape sequences from text that arrives in pieces. */
export class TerminalText {
  private pending = '';

  /** `text` without escape sequences; an unfinished one at its end waits for the next piece. */
  clean(text: string): string {
    let all = this.pending + text;
    this.pending = '';
    const unfinished = UNFINISHED.exec(all);
    if (unfinished && unfinished[0].length < LONGEST) {
      this.pending = unfinished[0];
      all = all.slice(0, unfinished.index);
    }
    return all.replace(SEQUENCE, '');
  }
}

/** `_boot.py`'s lines on the mPython board: `=$%#=` (three times) and `$#mac:…#$`. */
export function isBootMarker(line: string): boolean {
  return /^(=\$%#=|\$#mac:[0-9A-Fa-f]*#\$)$/.test(line.trim());
}
