/**
 * The one way text reaches generated TypeScript: a JSON string is a valid TypeScript string
 * literal that escapes quotes, backslashes and every control character. Lone surrogates become
 * U+FFFD, as they do on the board, so both programs see the same text.
 */
import { wellFormed } from '../micropython/quote.ts';

/** `text` as a TypeScript string literal. */
export function typescriptString(text: string): string {
  return JSON.stringify(wellFormed(text)).replace(
    /[\u007f-\u009f\u00ad\u2028\u2029\ufeff]/g,
    (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}
