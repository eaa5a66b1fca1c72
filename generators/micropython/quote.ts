/**
 * The one way text reaches generated MicroPython. Blockly's own `quote_` turns a newline into a
 * line continuation (the newline is lost) and leaves control characters raw, so every string
 * goes through here instead: quotes, backslashes, newlines, tabs and every other control
 * character are escaped; Chinese and emoji stay readable in the UTF-8 source. Block comments
 * too, as `#` lines (see `commentLines` in ../text.ts).
 */
import { commentLines, wellFormed } from '../text.ts';

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

/** `text` (a block comment) as MicroPython comment lines, `# …` each, ending in a newline. */
export function pythonComment(text: string): string {
  return commentLines(text, pythonEscape)
    .map((line) => `# ${line}\n`)
    .join('');
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
