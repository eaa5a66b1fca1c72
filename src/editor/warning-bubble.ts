/**
 * Where a warning's bubble opens: beside its block, never over it, and never under the toolbox
 * or an open flyout. Blockly places it above its warning sign first, over the block above, and
 * avoids the rectangle of the whole stack from the block down, measured from the sign rather
 * than from the block, so it often lands on the block itself.
 *
 * Here it goes right of the block (top edges level), else below it, else above it, else left of
 * it: the first of these it fits in whole within the part of the workspace a child sees, else
 * the one that shows the most of it. Importing this module is enough.
 */
import * as Blockly from 'blockly';

/** Room between the bubble and its block, or the edges of the view, in workspace units. */
const GAP = 8;

/** A text bubble as this module sees it (its protected parts). */
interface PlacedBubble {
  readonly workspace: Blockly.WorkspaceSvg;
  anchor: Blockly.utils.Coordinate;
  owner?: unknown;
  getSize(): Blockly.utils.Size;
  setPositionRelativeToAnchor(left: number, top: number): void;
}

/** The part of `workspace` a child sees, in workspace units: right of the toolbox and flyout. */
function seenArea(workspace: Blockly.WorkspaceSvg): Blockly.utils.Rect {
  const view = workspace.getMetricsManager().getViewMetrics(true);
  const scrollbar = Blockly.Scrollbar.scrollbarThickness / workspace.scale;
  let left = view.left;
  // A flyout that closes by itself (a toolbox category's) lies over the view's left part.
  const flyout = workspace.getFlyout();
  if (flyout?.isVisible() && flyout.autoClose) left += flyout.getWidth() / workspace.scale;
  return new Blockly.utils.Rect(
    view.top + GAP,
    view.top + view.height - scrollbar - GAP,
    left + GAP,
    view.left + view.width - scrollbar - GAP,
  );
}

const prototype = Blockly.bubbles.TextBubble.prototype as unknown as {
  positionByRect(this: PlacedBubble, rect?: Blockly.utils.Rect): void;
};
const blocklysPositionByRect = prototype.positionByRect;

prototype.positionByRect = function (rect) {
  const icon = this.owner;
  if (!(icon instanceof Blockly.icons.WarningIcon) || this.workspace.RTL) {
    blocklysPositionByRect.call(this, rect);
    return;
  }
  const block = (icon.getSourceBlock() as Blockly.BlockSvg).getBoundingRectangleWithoutChildren();
  const seen = seenArea(this.workspace);
  const { width, height } = this.getSize();
  const across = (x: number) => Math.max(seen.left, Math.min(x, seen.right - width));
  const down = (y: number) => Math.max(seen.top, Math.min(y, seen.bottom - height));
  const places = [
    { x: block.right + GAP, y: down(block.top) },
    { x: across(block.left), y: block.bottom + GAP },
    { x: across(block.left), y: block.top - GAP - height },
    { x: block.left - GAP - width, y: down(block.top) },
  ];
  const shown = ({ x, y }: { x: number; y: number }) =>
    Math.max(0, Math.min(x + width, seen.right) - Math.max(x, seen.left)) *
    Math.max(0, Math.min(y + height, seen.bottom) - Math.max(y, seen.top));
  // The place that shows the most of the bubble; of equals (all of it), the first.
  let best = places[0];
  for (const place of places.slice(1)) if (shown(place) > shown(best) + 0.5) best = place;
  this.setPositionRelativeToAnchor(best.x - this.anchor.x, best.y - this.anchor.y);
};
