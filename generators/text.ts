/**
 * Text as both generators write it: lone surrogates made well-formed (no UTF-8 program can hold
 * them), and block comments as lines that no compiler reads past. Blockly's comment writing
 * breaks lines only at `\n`, so a carriage return (a new line to MicroPython) or U+2028 (one to
 * JavaScript) ended the comment and the rest became code. Each language's quote.ts writes the
 * lines and the string literals.
 */
import * as Blockly from 'blockly';

/** Replaces lone UTF-16 surrogates, which no UTF-8 program can hold, with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/**
 * Where a comment's text starts a new comment line: every line break of Python's `splitlines`,
 * which holds MicroPython's (LF, CR, CRLF) and JavaScript's (those and U+2028, U+2029).
 */
// eslint-disable-next-line no-control-regex -- line breaks are control characters
const LINE_BREAK = /\r\n|[\n\r\v\f\u001c-\u001e\u0085\u2028\u2029]/;

/**
 * What a comment shows as an escape: control characters (a tab aside, which is only space), among
 * them NUL and the line map's markers; bidirectional controls, which can make a line read other
 * than it is; and the invisible BOM.
 */
const HIDDEN_IN_COMMENT =
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A block comment's text as lines that no compiler reads past: split at every line break (see
 * LINE_BREAK), other hidden characters written with `escape`, lone surrogates as U+FFFD (as in
 * strings). Quotes, backslashes, `#`, `*\/`, Chinese and emoji stay as they are: in a line
 * comment they are only text. Lines are not re-wrapped: they read as the child wrote them.
 */
export function commentLines(text: string, escape: (ch: string) => string): string[] {
  return wellFormed(text)
    .split(LINE_BREAK)
    .map((line) => line.replace(HIDDEN_IN_COMMENT, escape));
}

/**
 * The block comments written above a block's code, as Blockly writes them: the block's own, then
 * those of the blocks in its value inputs (a value block has no line of its own). None for a
 * value block plugged into another: the statement that holds it writes them.
 */
export function blockComments(block: Blockly.Block): string[] {
  if (block.outputConnection?.targetConnection) return [];
  const nested = block.inputList
    .filter((input) => input.type === Blockly.inputs.inputTypes.VALUE)
    .flatMap((input) => input.connection?.targetBlock()?.getDescendants(true) ?? []);
  return [block, ...nested].map((b) => b.getCommentText() ?? '').filter(Boolean);
}
