/**
 * The one way text reaches generated MicroPython. Blockly's own `quote_` turns a newline into a
 * line continuation (the newline is lost) and leaves control characters raw, so every string
 * goes through here instead: quotes, backslashes, newlines, tabs and every other control
 * character are escaped; Chinese and emoji stay readable in the UTF-8 source. Block comments
 * too: Blockly's comment writing breaks lines only at `\n`, so a carriage return (a new line to
 * MicroPython) or U+2028 (one to JavaScript) ended the comment and the rest became code.
 */

import * as Blockly from 'blockly';

const SHORT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Control and invisible format characters that must not appear raw in source text. */
// eslint-disable-next-line no-control-regex -- escaping control characters is the point
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g;

/** Replaces lone UTF-16 surrogates, which no UTF-8 program can hold, with U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/**
 * Blockly's name database, safe for every variable name: Blockly turns a name into an identifier
 * with `encodeURI`, which throws on a lone surrogate (a name pasted from broken text, or in a
 * project file), so names are made well-formed first; and every character outside
 * `[A-Za-z0-9_ ]` becomes up to 3 identifier characters per UTF-8 byte (`中` is `_E4_B8_AD`),
 * so names are cut to keep identifiers within `maxLength` (two names that start alike still get
 * different identifiers: Blockly adds a number).
 */
export class WellFormedNames extends Blockly.Names {
  constructor(
    reservedWords: string,
    private readonly maxLength = Infinity,
  ) {
    super(reservedWords);
  }

  override getDistinctName(name: string, type: Blockly.Names.NameType | string): string {
    return super.getDistinctName(shortened(wellFormed(name), this.maxLength), type);
  }
}

/** The longest start of `name` whose identifier has at most `maxLength` characters. */
function shortened(name: string, maxLength: number): string {
  let length = 0;
  let end = 0;
  for (const ch of name) {
    length += /[\w ]/.test(ch) ? 1 : 3 * new TextEncoder().encode(ch).length;
    if (length > maxLength) return name.slice(0, end);
    end += ch.length;
  }
  return name;
}

/** One UTF-16 unit as Python writes it in a string: `\x00` below U+0100, else `\u202e`. */
function pythonEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return (code < 0x100 ? '\\x' : '\\u') + code.toString(16).padStart(code < 0x100 ? 2 : 4, '0');
}

/** `text` as a MicroPython string literal. */
export function pythonString(text: string): string {
  const body = wellFormed(text).replace(
    NEEDS_ESCAPE,
    (ch) => SHORT_ESCAPES[ch] ?? pythonEscape(ch),
  );
  return `"${body}"`;
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

/** `text` (a block comment) as MicroPython comment lines, `# …` each, ending in a newline. */
export function pythonComment(text: string): string {
  return commentLines(text, pythonEscape)
    .map((line) => `# ${line}\n`)
    .join('');
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

/** `text` as a MicroPython bytes literal holding its UTF-8 encoding (bytes literals are ASCII only). */
export function pythonBytes(text: string): string {
  let body = '';
  for (const byte of new TextEncoder().encode(wellFormed(text))) {
    const ch = String.fromCharCode(byte);
    if (SHORT_ESCAPES[ch]) body += SHORT_ESCAPES[ch];
    else if (byte >= 0x20 && byte < 0x7f) body += ch;
    else body += '\\x' + byte.toString(16).padStart(2, '0');
  }
  return `b"${body}"`;
}
