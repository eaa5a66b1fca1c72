/**
 * The one way text reaches generated MicroPython. Blockly's own `quote_` turns a newline into a
 * line continuation (the newline is lost) and leaves control characters raw, so every string
 * goes through here instead: quotes, backslashes, newlines, tabs and every other control
 * character are escaped; Chinese and emoji stay readable in the UTF-8 source.
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

/** `text` as a MicroPython string literal. */
export function pythonString(text: string): string {
  const body = wellFormed(text).replace(NEEDS_ESCAPE, (ch) => {
    const code = ch.charCodeAt(0);
    return (
      SHORT_ESCAPES[ch] ??
      (code < 0x100 ? '\\x' : '\\u') + code.toString(16).padStart(code < 0x100 ? 2 : 4, '0')
    );
  });
  return `"${body}"`;
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
