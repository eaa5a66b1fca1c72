/**
 * Loading a whole program into a rendered workspace at once (opening a project), faster than
 * Blockly does it on its own, with the same result.
 *
 * Blockly renders the loaded blocks inside its load, and measures the text of every field as it
 * goes with `getComputedStyle`. Each such call makes Chromium bring the styles of the page up to
 * date with everything drawn since the call before: hundreds of style updates for a 1000-block
 * program, a fifth of its load. With the workspace's SVG out of the page's rendering
 * (`display: none`) meanwhile, Chromium keeps no styles for it and works out only the styles of
 * the measured text, from the same style sheets: the widths are the same (Blockly's CSS gives
 * field text its font). The load runs to its end in one task, so nothing is painted while the
 * SVG is hidden; its styles are worked out once, for the first frame after.
 */
import * as Blockly from 'blockly';

/**
 * Runs `load`, which replaces the blocks of `workspace`, with Blockly's events off (a loaded
 * program is new, not an edit: each event would only serialize its block again for nothing) and
 * the workspace hidden from the page's rendering, shown again however `load` ends.
 */
export function loadQuickly(
  workspace: Blockly.WorkspaceSvg,
  load: (workspace: Blockly.WorkspaceSvg) => void,
): void {
  const svg = workspace.getParentSvg();
  const display = svg.style.display;
  svg.style.display = 'none';
  Blockly.Events.disable();
  // A text's width is measured once per load: the same label on 200 blocks is one measure.
  Blockly.utils.dom.startTextWidthCache();
  try {
    // Blockly's JSON load renders each top block it loads before it returns.
    load(workspace);
  } finally {
    Blockly.utils.dom.stopTextWidthCache();
    Blockly.Events.enable();
    svg.style.display = display;
  }
}
