/**
 * The one way text reaches generated TypeScript: a JSON string is a valid TypeScript string
 * literal that escapes quotes, backslashes and every control character. Lone surrogates become
 * U+FFFD, as they do on the board, so both programs see the same text. Block comments become
 * line comments split at every line break, as in MicroPython (see `commentLines` in ../text.ts).
 */
import { commentLines, wellFormed } from '../text.ts';

/** One UTF-16 unit as a `\u0000` escape, as TypeScript writes it in a string. */
const unicodeEscape = (ch: string) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

/** `text` as a TypeScript string literal. */
export function typescriptString(text: string): string {
  return JSON.stringify(wellFormed(text)).replace(
    /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g,
    unicodeEscape,
  );
}

/** `text` (a block comment) as TypeScript line comments, `// …` each, ending in a newline. */
export function typescriptComment(text: string): string {
  return commentLines(text, unicodeEscape)
    .map((line) => `// ${line}\n`)
    .join('');
}
