/**
 * A message payload as text a child can read. Payloads are bytes: usually UTF-8 (`on`, `亮`), but
 * a board can send anything. Valid UTF-8 is shown as it is; each byte that is not, and each
 * invisible control character, is shown as a `\xNN` escape, and the payload is marked binary so
 * an escape is never mistaken for text someone typed.
 */

/** How a payload is shown. */
export interface PayloadText {
  /** The text to show (never HTML). */
  text: string;
  /** Whether `text` holds `\xNN` escapes for bytes that are not readable text. */
  binary: boolean;
  /** How many bytes at the end were left out (0 when all are shown). */
  omittedBytes: number;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const hex = (byte: number) => `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** The length of the valid UTF-8 sequence at `bytes[i]`, or 0 when none starts there. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  let length: number;
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k++) {
    const byte = bytes[i + k];
    if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf)) {
      return 0;
    }
  }
  return length;
}

/** Decodes `bytes`, escaping each byte that does not belong to a valid UTF-8 sequence. */
function decodeLenient(bytes: Uint8Array): string {
  let text = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += decoder.decode(bytes.subarray(runStart, i)) + hex(bytes[i]);
    i += 1;
    runStart = i;
  }
  return text + decoder.decode(bytes.subarray(runStart));
}

/** Whether `code` is a control character that would be invisible or break the layout. */
function isHiddenControl(code: number): boolean {
  if (code === 0x09 || code === 0x0a || code === 0x0d) return false;
  return code < 0x20 || code === 0x7f;
}

/** Replaces hidden control characters with escapes; returns null when there were none. */
function escapeControls(text: string): string | null {
  let out = '';
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isHiddenControl(code)) {
      out += hex(code);
      found = true;
    } else out += text[i];
  }
  return found ? out : null;
}

/**
 * `bytes` as readable text, at most `maxBytes` of them: a log of hundreds of entries must stay
 * fast even when a program publishes a huge payload. `size` is the payload's full length when
 * `bytes` is only its start (the console sends pages a few kB of a big message).
 */
export function payloadText(bytes: Uint8Array, maxBytes = 2048, size = bytes.length): PayloadText {
  let end = Math.min(bytes.length, maxBytes);
  // Cut before a character, not inside one, so the last character is not shown as escapes.
  for (let back = 0; back < 3 && end < bytes.length && (bytes[end] & 0xc0) === 0x80; back++) end--;
  const shown = bytes.subarray(0, end);
  let text: string;
  let binary = false;
  try {
    text = strictDecoder.decode(shown);
  } catch {
    text = decodeLenient(shown);
    binary = true;
  }
  const escaped = escapeControls(text);
  if (escaped !== null) {
    text = escaped;
    binary = true;
  }
  return { text, binary, omittedBytes: Math.max(size, bytes.length) - end };
}
