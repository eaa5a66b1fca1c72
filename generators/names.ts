/** The name database both generators give Blockly: every variable name becomes an identifier. */
import * as Blockly from 'blockly';
import { wellFormed } from './text.ts';

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
