/**
 * The one theme of the studio, the help page and the classroom wall: the palette and sizes as CSS
 * custom properties, and the style fragments several elements share. A colour two elements use
 * lives here only (test/theme/palette.test.ts keeps it so); an element writes `var(--iot-…)`.
 *
 * Every element puts `${themeTokens}` first in its `static styles`: on `:host` the properties
 * reach its shadow root, on `:root` they reach the page when an element draws into the light DOM
 * and adopts its styles into the document. An element works the same alone (a test fixture) as
 * inside the studio.
 */
import { css } from 'lit';

/** The palette and sizes, declared on the element's host and on the page's root. */
export const themeTokens = css`
  :root,
  :host {
    /* Words. */
    --iot-ink: #1f2933;
    --iot-ink-soft: #3e4c59;
    --iot-ink-muted: #52606d;
    --iot-ink-faint: #9aa5b1;
    /* Surfaces and their edges. */
    --iot-surface: #ffffff;
    --iot-canvas: #f3f6fa;
    --iot-fill: #eef2f7;
    --iot-line: #d9e0e8;
    --iot-line-strong: #c3ccd6;
    /* Buttons: the studio's blue, and the light one beside it. */
    --iot-primary: #1a56c4;
    --iot-on-primary: #ffffff;
    --iot-secondary: #e6ecf3;
    --iot-on-secondary: #1a3a6b;
    /* Keyboard focus: 3 px, at least 3:1 to what is behind it (test/e2e/keyboard.test.ts). */
    --iot-focus: #2563eb;
    --iot-focus-ring: 3px solid var(--iot-focus);
    /* States. */
    --iot-ok: #1e8e3e;
    --iot-error: #b42318;
    --iot-caution: #f0b400;
    --iot-notice: #fff4ce;
    --iot-on-notice: #5c4400;
    --iot-info: #e8f0fe;
    /* What a lesson points at. */
    --iot-lesson: #d97706;
    /* The classroom wall's own colours: bolder, to be read across a room from a projector. */
    --iot-wall-navy: #0b2e63;
    --iot-wall-ink: #0b0b0b;
    --iot-wall-pass: #0a7a2f;
    --iot-wall-fail: #b00020;
    /* Sizes. */
    --iot-radius-small: 8px;
    --iot-radius: 10px;
    --iot-radius-pill: 999px;
    --iot-shadow-popover: 0 10px 28px rgb(15 30 60 / 18%);
    --iot-sans: 'IoT Blocks Chinese', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --iot-mono:
      'IoT Blocks Chinese', ui-monospace, 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas,
      monospace;
  }
`;

/** A filled button's declarations (put inside a rule): the studio's blue with white words. */
export const filledButton = css`
  font: inherit;
  font-weight: 600;
  border: none;
  border-radius: var(--iot-radius);
  background: var(--iot-primary);
  color: var(--iot-on-primary);
  cursor: pointer;
`;

/** A text box's or picker's declarations (put inside a rule): white, a grey edge, round corners. */
export const textField = css`
  font: inherit;
  border: 1px solid var(--iot-line-strong);
  border-radius: var(--iot-radius-small);
  background: var(--iot-surface);
`;

/** A status dot's declarations (put inside a `::before` rule): grey until its state colours it. */
export const statusDot = css`
  content: '';
  width: 10px;
  height: 10px;
  border-radius: 50%;
  background: var(--iot-ink-faint);
`;
