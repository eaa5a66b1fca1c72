/** Long text cut for the screen: by UTF-16 length, as the page measures it, never half a character. */

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair. */
export function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
