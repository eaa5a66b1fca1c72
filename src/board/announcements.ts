/**
 * What the board says to a screen reader when it changes, in the studio's language: the LEDs
 * ("LEDs red (50, 0, 0)", or "LED 2 off" when they differ), the screen's lines ("screen line 1:
 * hello"), online or offline. Each sentence compares the board now with what was last said, so a
 * burst of changes is told as where it ended.
 */
import { toLevel, type BoardState, type Rgb } from './board-state.ts';
import { t, type BoardStringKey } from './strings.ts';

/** Colours a child would name, by which channels are lit (red, green, blue), all lit equally. */
const NAMED: Record<string, BoardStringKey> = {
  '100': 'red',
  '010': 'green',
  '001': 'blue',
  '110': 'yellow',
  '011': 'cyan',
  '101': 'purple',
  '111': 'white',
};

/** The most characters of a screen line said aloud (the screen shows fewer). */
const SPOKEN_LINE_MAX = 64;

const sameRgb = (a: Rgb, b: Rgb) => a.every((level, i) => level === b[i]);
const levels = (rgb: Rgb): Rgb => rgb.map(toLevel) as unknown as Rgb;

/** `rgb` in words: "off", "red (50, 0, 0)" for a plain colour, else its three levels. */
export function colourWords(rgb: Rgb): string {
  const [r, g, b] = levels(rgb);
  const max = Math.max(r, g, b);
  if (max === 0) return t('colourOff');
  const plain = [r, g, b].every((level) => level === 0 || level === max);
  const name = plain ? NAMED[[r, g, b].map((level) => (level > 0 ? 1 : 0)).join('')] : undefined;
  return name ? t('colourNamed', { name: t(name), r, g, b }) : t('colourNumbers', { r, g, b });
}

/**
 * The LEDs as they are now, told against `said` (what was last announced): all three at once
 * when they show one colour, else each LED that changed. Null when nothing changed.
 */
export function ledsSentence(now: BoardState['leds'], said: BoardState['leds']): string | null {
  const shown = now.map(levels);
  const changed = [0, 1, 2].filter((i) => !sameRgb(shown[i], levels(said[i])));
  if (changed.length === 0) return null;
  if (sameRgb(shown[0], shown[1]) && sameRgb(shown[1], shown[2])) {
    return t('ledsAll', { colour: colourWords(shown[0]) });
  }
  return changed
    .map((i) => t('ledOne', { n: i + 1, colour: colourWords(shown[i]) }))
    .join(t('listSeparator'));
}

/** The screen's lines that changed since `said`, or "screen cleared"; null when none did. */
export function screenSentence(now: BoardState['oled'], said: BoardState['oled']): string | null {
  const changed = [0, 1, 2, 3].filter((i) => now[i] !== said[i]);
  if (changed.length === 0) return null;
  if (now.every((line) => line === '')) return t('screenCleared');
  return changed
    .map((i) =>
      now[i] === ''
        ? t('screenLineBlank', { n: i + 1 })
        : t('screenLine', { n: i + 1, text: [...now[i]].slice(0, SPOKEN_LINE_MAX).join('') }),
    )
    .join(t('sentenceSeparator'));
}

/** "online" or "offline", when it differs from what was said. */
export function statusSentence(online: boolean, said: boolean): string | null {
  return online === said ? null : t(online ? 'online' : 'offline');
}

/** "program ended", with why when there is a reason to give. */
export function programEndedSentence(reason?: string): string {
  return reason ? t('programEndedBecause', { reason }) : t('programEnded');
}
