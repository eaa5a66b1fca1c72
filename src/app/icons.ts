/**
 * The studio's toolbar icons: inline SVG in `currentColor`, so they follow each button's colour
 * and need no request (classrooms may be offline). Always beside a word, never instead of one,
 * so they are hidden from screen readers.
 */
import { svg, type SVGTemplateResult } from 'lit';

/** An 18 px stroked icon drawn from `paths` on a 24-unit grid. */
function stroked(paths: SVGTemplateResult): SVGTemplateResult {
  return svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none"
    stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"
    >${paths}</svg>`;
}

/** Run: a play triangle. */
export const runIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="currentColor"><path d="M7 4.5v15l12.5-7.5z"/></svg>`;

/** Stop: a square. */
export const stopIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="currentColor"><rect x="5.5" y="5.5" width="13" height="13" rx="2"/></svg>`;

/** Download a file: an arrow into a tray. */
export const downloadIcon = stroked(svg`<path d="M12 4v11"/><path d="m7 10 5 5 5-5"/>
  <path d="M5 20h14"/>`);

/** New project: a page with a plus. */
export const newIcon = stroked(svg`<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0
  2-2V8z"/><path d="M14 3v5h5"/><path d="M12 11v6"/><path d="M9 14h6"/>`);

/** Open a file: an open folder. */
export const openIcon = stroked(svg`<path d="M3 19V6a2 2 0 0 1 2-2h4l2 2h6a2 2 0 0 1 2 2v2"/>
  <path d="M3 19l2.5-8h16L19 19z"/>`);

/** Save to a file: a floppy disk. */
export const saveIcon = stroked(svg`<path d="M5 3h11l3 3v13a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2z"/>
  <path d="M8 3v5h7V3"/><rect x="8" y="13" width="8" height="6" rx="1"/>`);

/** Recent projects: a clock. */
/** Examples: a grid of cards. */
export const examplesIcon = stroked(
  svg`<rect x="3.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="13.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="3.5" y="13.5" width="7" height="7" rx="1.5"/><rect x="13.5" y="13.5" width="7" height="7" rx="1.5"/>`,
);

export const recentIcon = stroked(svg`<circle cx="12" cy="12" r="8.5"/><path d="M12 7.5V12l3 2"/>`);

/** The project menu: a folder. */
export const projectIcon = stroked(svg`<path d="M3 18V6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2
  2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>`);

/** Undo: an arrow curving back to the left. */
export const undoIcon = stroked(svg`<path d="M9 14 4 9l5-5"/><path d="M4 9h10.5a5.5 5.5 0 0 1 0
  11H11"/>`);

/** Redo: an arrow curving on to the right. */
export const redoIcon = stroked(svg`<path d="m15 14 5-5-5-5"/><path d="M20 9H9.5a5.5 5.5 0 0 0 0
  11H13"/>`);

/** A menu opens below: a small chevron. */
export const chevronIcon = svg`<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2.6" stroke-linecap="round"
  stroke-linejoin="round"><path d="m6 9 6 6 6-6"/></svg>`;

/** Rename: a pencil. */
export const renameIcon = svg`<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"
  stroke-linejoin="round"><path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/></svg>`;

/** Saved: a tick in a circle. */
export const savedIcon = stroked(svg`<circle cx="12" cy="12" r="8.5"/><path d="m8 12.5 2.7 2.7
  5.3-5.7"/>`);

/** Saving: a circle being drawn. */
export const savingIcon = stroked(svg`<path d="M20.5 12a8.5 8.5 0 1 1-3-6.5"/>`);

/** Could not save: a warning triangle. */
export const saveErrorIcon = stroked(svg`<path d="M12 3.5 2.5 20h19z"/><path d="M12 10v4.5"/>
  <path d="M12 17.5v.01"/>`);

/** The studio's logo: blocks and a board's LEDs. */
export const logo = svg`<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
  <rect x="2" y="4" width="17" height="11" rx="3" fill="#2f80ed"/>
  <rect x="13" y="17" width="17" height="11" rx="3" fill="#d9480f"/>
  <circle cx="8" cy="23" r="4" fill="#0f8a6a"/><circle cx="25" cy="9" r="4" fill="#7b4bc4"/></svg>`;
