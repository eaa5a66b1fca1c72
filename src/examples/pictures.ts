/**
 * A small picture for each example, as a complete SVG document (240×100): plain strings, so the
 * examples map stays usable from Node, and shapes only, no words, so one picture suits every
 * language. Colours are the block categories' (WiFi blue, MQTT purple, LEDs orange, board green).
 */

const MQTT = '#7b4bc4';
const BOARD = '#0f8a6a';
const LED_OFF = '#56616b';

/**
 * An mPython board (56×44) at `x`,`y`: screen lines as widths, LED colours (glowing when lit),
 * a pressed button.
 */
function board(
  x: number,
  y: number,
  options: { lines?: number[]; leds?: string[]; glow?: boolean; pressed?: 'a' | 'b' } = {},
): string {
  const { lines = [], leds = [LED_OFF, LED_OFF, LED_OFF], glow = false, pressed } = options;
  const button = (side: 'a' | 'b', cx: number) =>
    (side === pressed ? `<circle cx="${cx}" cy="20" r="8" fill="#ffd43b" opacity=".55"/>` : '') +
    `<circle cx="${cx}" cy="20" r="4" fill="${side === pressed ? '#ffd43b' : '#cfd8dc'}"/>`;
  return (
    `<g transform="translate(${x} ${y})">` +
    `<rect width="56" height="44" rx="9" fill="#1d3557"/>` +
    `<rect x="12" y="5" width="32" height="20" rx="2" fill="#0b1320"/>` +
    lines
      .map((w, i) => `<rect x="15" y="${8 + i * 5}" width="${w}" height="2.5" fill="#8be9fd"/>`)
      .join('') +
    (glow
      ? leds
          .map((c, i) => `<circle cx="${17 + i * 11}" cy="34" r="7" fill="${c}" opacity=".35"/>`)
          .join('')
      : '') +
    leds.map((c, i) => `<circle cx="${17 + i * 11}" cy="34" r="3.6" fill="${c}"/>`).join('') +
    button('a', 6) +
    button('b', 50) +
    `</g>`
  );
}

/** The broker as a cloud, 44 wide, at `x`,`y` (its top-left). */
function cloud(x: number, y: number): string {
  return (
    `<g transform="translate(${x} ${y})" fill="${MQTT}">` +
    `<circle cx="14" cy="16" r="10"/><circle cx="26" cy="11" r="11"/>` +
    `<circle cx="35" cy="18" r="8"/><rect x="6" y="16" width="34" height="10" rx="5"/>` +
    `</g>`
  );
}

/** A dashed arrow from (x1,y1) to (x2,y2). */
function arrow(x1: number, y1: number, x2: number, y2: number, colour = MQTT): string {
  const angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
  return (
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${colour}" stroke-width="2.5" ` +
    `stroke-dasharray="5 4" stroke-linecap="round"/>` +
    `<path d="M0 0 L-7 -4.5 L-7 4.5 Z" fill="${colour}" ` +
    `transform="translate(${x2} ${y2}) rotate(${angle.toFixed(1)})"/>`
  );
}

/** A speech bubble (26×16) at `x`,`y`, its tail pointing down-left or down-right. */
function bubble(x: number, y: number, colour: string, tail: 'left' | 'right'): string {
  const tx = tail === 'left' ? 6 : 20;
  return (
    `<g transform="translate(${x} ${y})" fill="${colour}">` +
    `<rect width="26" height="16" rx="5"/>` +
    `<path d="M${tx - 3} 15 L${tx + (tail === 'left' ? -4 : 4)} 22 L${tx + 4} 15 Z"/>` +
    `<rect x="5" y="5" width="16" height="2.2" fill="#ffffff"/>` +
    `<rect x="5" y="9" width="10" height="2.2" fill="#ffffff"/>` +
    `</g>`
  );
}

/** An envelope (22×15) at `x`,`y`. */
function envelope(x: number, y: number): string {
  return (
    `<g transform="translate(${x} ${y})">` +
    `<rect width="22" height="15" rx="2" fill="#ffffff" stroke="${MQTT}" stroke-width="2"/>` +
    `<path d="M1 1 L11 9 L21 1" fill="none" stroke="${MQTT}" stroke-width="2"/>` +
    `</g>`
  );
}

/** A music note (the buzzer sounding), its head at x, y. */
function note(x: number, y: number): string {
  return (
    `<ellipse cx="${x}" cy="${y}" rx="6" ry="4.5" fill="#b5179e"/>` +
    `<rect x="${x + 4}" y="${y - 20}" width="2.5" height="20" fill="#b5179e"/>`
  );
}

/**
 * A whole picture: a soft background in `tint`, `body` (drawn on 160×100) in its middle. Wider
 * than the body, so a card shows it with no more height than its width needs.
 */
function picture(tint: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 100" width="240" height="100">` +
    `<rect width="240" height="100" fill="${tint}"/>` +
    `<g transform="translate(40 0)">${body}</g></svg>`
  );
}

/** Example name → its picture. */
export const pictures = {
  'onenet-rgb': picture(
    '#fdeee6',
    // A remote with an "on" and an "off" key sends to the board, whose LEDs glow red.
    `<rect x="14" y="22" width="30" height="56" rx="6" fill="#ffffff" stroke="#9aa5b1" stroke-width="2"/>` +
      `<rect x="20" y="32" width="18" height="12" rx="4" fill="#e03131"/>` +
      `<rect x="20" y="52" width="18" height="12" rx="4" fill="${LED_OFF}"/>` +
      arrow(50, 50, 84, 50) +
      board(90, 28, { lines: [14, 20], leds: ['#e03131', '#e03131', '#e03131'], glow: true }),
  ),
  'onenet-rgb-today': picture(
    '#fdeee6',
    // The remote's "on" goes through the cloud to the board, whose LEDs glow red; a tick comes back.
    `<rect x="4" y="22" width="30" height="56" rx="6" fill="#ffffff" stroke="#9aa5b1" stroke-width="2"/>` +
      `<rect x="10" y="32" width="18" height="12" rx="4" fill="#e03131"/>` +
      `<rect x="10" y="52" width="18" height="12" rx="4" fill="${LED_OFF}"/>` +
      cloud(50, 8) +
      arrow(38, 40, 52, 30) +
      arrow(96, 30, 108, 40) +
      board(100, 46, { lines: [14, 20], leds: ['#e03131', '#e03131', '#e03131'], glow: true }) +
      `<path d="M62 66 L70 74 L84 58" fill="none" stroke="${BOARD}" stroke-width="4" ` +
      `stroke-linecap="round" stroke-linejoin="round"/>`,
  ),
  'button-publish': picture(
    '#eef7f3',
    // Button A is pressed; a message flies up to the broker.
    board(16, 44, { lines: [18, 10], pressed: 'a' }) +
      arrow(64, 50, 98, 32) +
      envelope(70, 20) +
      cloud(104, 14),
  ),
  'two-boards-chat': picture(
    '#f1ecfa',
    // Two boards talk through the broker between them.
    cloud(58, 6) +
      board(8, 48, { lines: [20, 12] }) +
      board(96, 48, { lines: [12, 20] }) +
      bubble(14, 18, BOARD, 'left') +
      bubble(120, 18, '#2f80ed', 'right') +
      arrow(46, 40, 62, 30) +
      arrow(114, 40, 98, 30),
  ),
  'oled-messages': picture(
    '#eaf2fd',
    // Messages drop into a big screen, one per line, with a count.
    envelope(16, 14) +
      envelope(30, 30) +
      arrow(58, 40, 72, 46) +
      `<rect x="76" y="18" width="70" height="66" rx="8" fill="#1d3557"/>` +
      `<rect x="82" y="24" width="58" height="40" rx="3" fill="#0b1320"/>` +
      `<rect x="87" y="30" width="34" height="4" fill="#8be9fd"/>` +
      `<rect x="87" y="40" width="46" height="4" fill="#8be9fd"/>` +
      `<rect x="87" y="50" width="20" height="4" fill="#ffd43b"/>` +
      [0, 1, 2]
        .map((i) => `<circle cx="${97 + i * 13}" cy="74" r="4" fill="${LED_OFF}"/>`)
        .join(''),
  ),
  'light-reporter': picture(
    '#fff8db',
    // The sun shines on the board, which sends its light level to the broker again and again.
    `<g stroke="#f59f00" stroke-width="3" stroke-linecap="round">` +
      [0, 45, 90, 135, 180, 225, 270, 315]
        .map(
          (a) =>
            `<line x1="0" y1="-15" x2="0" y2="-20" transform="translate(30 28) rotate(${a})"/>`,
        )
        .join('') +
      `</g><circle cx="30" cy="28" r="11" fill="#fcc419"/>` +
      board(16, 50, { lines: [16, 22] }) +
      `<rect x="82" y="66" width="8" height="14" rx="1" fill="${BOARD}"/>` +
      `<rect x="94" y="56" width="8" height="24" rx="1" fill="${BOARD}"/>` +
      `<rect x="106" y="44" width="8" height="36" rx="1" fill="${BOARD}"/>` +
      arrow(70, 60, 100, 34) +
      cloud(108, 10),
  ),
} as const;

/** The name of an example that has a picture. */
export type PictureName = keyof typeof pictures;

/** The shapes a picture drawn from data may use (see `PictureData`), and `svg`: drawing as it is. */
const SHAPES = { board, cloud, arrow, bubble, envelope, note, svg: (markup: string) => markup };

/**
 * A picture as data, as a part's example carries it (src/parts/<part>/example.json): its tint
 * and its shapes, each `[name, ...arguments]` of a shape function here (`["note", 140, 40]`).
 */
export interface PictureData {
  tint: string;
  shapes: readonly (readonly unknown[])[];
}

/** The picture `data` describes; a shape it does not know is an error at its source. */
export function drawPicture(data: PictureData): string {
  const body = data.shapes.map(([name, ...args]) => {
    if (typeof name !== 'string' || !Object.hasOwn(SHAPES, name)) {
      throw new Error(`A picture has no shape ${JSON.stringify(name)}`);
    }
    return (SHAPES[name as keyof typeof SHAPES] as (...a: unknown[]) => string)(...args);
  });
  return picture(data.tint, body.join(''));
}
