/**
 * `iot-thrasos`: Blockly's Thrasos renderer without one wasted walk. Each time Blockly draws a
 * block, its Drawer first works out where the block is on the workspace (`topLeft_`) by walking
 * up the SVG through every block the block hangs from, and nothing in Blockly reads the answer.
 * In a stack of 200 blocks that is thousands of steps each time the stack is drawn. Here the
 * drawer works it out only if something asks.
 *
 * Its fields and icons are finger-sized (`FINGER`): a child taps them on a tablet, and Blockly's
 * 17 px fields (an empty one 13 px wide) are missed. Everyone gets them, mouse or not: one size
 * keeps screenshots, lessons and the quick load the same everywhere, and it still reads well at
 * 1280×720.
 */
import * as Blockly from 'blockly';

export const RENDERER = 'iot-thrasos';

const ORIGIN = new Blockly.utils.Coordinate(0, 0);
/** All that Drawer's constructor asks of its block; the block itself takes its place after. */
const NOWHERE = { getRelativeToSurfaceXY: () => ORIGIN } as unknown as Blockly.BlockSvg;

class Drawer extends Blockly.blockRendering.Drawer {
  constructor(block: Blockly.BlockSvg, info: Blockly.blockRendering.RenderInfo) {
    super(NOWHERE, info);
    this.block_ = block;
  }

  // @ts-expect-error -- a field in Blockly's typings, a getter here: worked out when read.
  override get topLeft_(): Blockly.utils.Coordinate {
    return this.block_.getRelativeToSurfaceXY();
  }

  // Drawer's constructor sets it; the getter above answers instead.
  override set topLeft_(_: Blockly.utils.Coordinate) {}
}

/**
 * The least a field or icon measures either way, in workspace units: 24 px on screen at the
 * studio's start scale (0.9), the size touch guidelines ask of a small target.
 */
export const FINGER = 27;

/** Blockly's constants with finger-sized field borders (text, number, dropdown, colour). */
class Constants extends Blockly.blockRendering.ConstantProvider {
  constructor() {
    super();
    this.FIELD_BORDER_RECT_HEIGHT = FINGER;
    // Worked out from the border height in Blockly's constructor, before ours was set.
    this.FIELD_DROPDOWN_BORDER_RECT_HEIGHT = FINGER;
    this.FIELD_COLOUR_DEFAULT_HEIGHT = FINGER;
    this.FIELD_COLOUR_DEFAULT_WIDTH = Math.max(this.FIELD_COLOUR_DEFAULT_WIDTH, FINGER);
  }
}

/** How much wider than its text (and padding) each field widened to a finger is drawn. */
const widened = new WeakMap<Blockly.Field, number>();

/**
 * Thrasos's layout, but a reporter whose edge is a widened field (a number block's "0") keeps its
 * old width: the field takes the padding beside it, so rows of numbers grow no wider.
 */
class RenderInfo extends Blockly.thrasos.RenderInfo {
  override getInRowSpacing_(
    prev: Blockly.blockRendering.Measurable | null,
    next: Blockly.blockRendering.Measurable | null,
  ): number {
    const spacing = super.getInRowSpacing_(prev, next);
    const edge = prev && next ? null : (prev ?? next);
    if (!edge || !this.outputConnection || !Blockly.blockRendering.Types.isField(edge)) {
      return spacing;
    }
    const extra = widened.get((edge as Blockly.blockRendering.Field).field) ?? 0;
    return Math.max(1, spacing - extra / 2);
  }
}

class Renderer extends Blockly.thrasos.Renderer {
  protected override makeConstants_(): Blockly.blockRendering.ConstantProvider {
    return new Constants();
  }

  protected override makeRenderInfo_(block: Blockly.BlockSvg): Blockly.thrasos.RenderInfo {
    return new RenderInfo(this, block);
  }

  protected override makeDrawer_(
    block: Blockly.BlockSvg,
    info: Blockly.blockRendering.RenderInfo,
  ): Blockly.blockRendering.Drawer {
    return new Drawer(block, info);
  }
}

Blockly.blockRendering.register(RENDERER, Renderer);

/** A field as `updateSize_` sees it (its protected parts). */
interface SizedField {
  textElement_: SVGTextElement | null;
  borderRect_: SVGRectElement | null;
  size_: Blockly.utils.Size;
  getConstants(): Blockly.blockRendering.ConstantProvider | null;
  positionTextElement_(xOffset: number, contentWidth: number): void;
  positionBorderRect_(): void;
}

const fieldPrototype = Blockly.Field.prototype as unknown as {
  updateSize_(this: SizedField, margin?: number): void;
};

/** A canvas outside the page, whose text measures never wait for the page's styles. */
let measuringContext: OffscreenCanvasRenderingContext2D | null = null;

/**
 * The width of `text` in `font`, as Blockly's `getFastTextWidth` measures it (a canvas's
 * `measureText`, rounded up), on a canvas outside the page. Blockly's canvas is in the page,
 * and setting its font makes Chromium bring the styles of everything drawn since the last
 * measure up to date first: a program drawn in slices (`open-in-view.ts`), with the workspace
 * shown, spent most of its time there.
 */
function textWidth(text: string, font: string): number {
  if (!text) return 0;
  measuringContext ??= new OffscreenCanvas(1, 1).getContext('2d')!;
  if (measuringContext.font !== font) measuringContext.font = font;
  return Math.ceil(measuringContext.measureText(text).width);
}

const blocklysUpdateSize = fieldPrototype.updateSize_;

/**
 * A field with a border (one a child taps to edit) at least `FINGER` wide, its text in the
 * middle: Blockly draws an empty one as a 10 px sliver.
 */
function widenToFinger(field: SizedField, contentWidth: number): void {
  widened.delete(field as unknown as Blockly.Field);
  if (!field.borderRect_ || field.size_.width >= FINGER) return;
  widened.set(field as unknown as Blockly.Field, FINGER - field.size_.width);
  field.size_ = new Blockly.utils.Size(FINGER, field.size_.height);
  field.positionTextElement_((FINGER - contentWidth) / 2, contentWidth);
  field.positionBorderRect_();
}

/**
 * Blockly's own field sizing (widened to a finger as ours is), for the test that compares how
 * the two measure text.
 */
export function blocklyUpdateSize(this: SizedField, margin?: number): void {
  blocklysUpdateSize.call(this, margin);
  const constants = this.getConstants()!;
  const xOffset = margin ?? (this.borderRect_ ? constants.FIELD_BORDER_RECT_X_PADDING : 0);
  widenToFinger(this, this.size_.width - xOffset * 2);
}

/**
 * A text field's size, measured as Blockly measures a dropdown's text: in the font the theme
 * gives all field text (the renderer's constants), not the font `getComputedStyle` reports.
 * Asking for computed style makes Chromium bring the styles of everything drawn since the last
 * ask up to date, once per field: a fifth of opening a big program. Otherwise as Blockly 13 does
 * it: padding and the border height only for a field that has a border rect (Blockly 12 asked
 * `isFullBlockField()`, which then meant the same thing).
 */
fieldPrototype.updateSize_ = function (this: SizedField, margin?: number): void {
  const constants = this.getConstants()!;
  const xOffset = margin ?? (this.borderRect_ ? constants.FIELD_BORDER_RECT_X_PADDING : 0);
  let width = xOffset * 2;
  let height = constants.FIELD_TEXT_HEIGHT;
  let contentWidth = 0;
  if (this.textElement_) {
    contentWidth = textWidth(
      this.textElement_.textContent ?? '',
      `${constants.FIELD_TEXT_FONTWEIGHT} ${constants.FIELD_TEXT_FONTSIZE}pt ${constants.FIELD_TEXT_FONTFAMILY}`,
    );
    width += contentWidth;
  }
  if (this.borderRect_) height = Math.max(height, constants.FIELD_BORDER_RECT_HEIGHT);
  this.size_ = new Blockly.utils.Size(width, height);
  this.positionTextElement_(xOffset, contentWidth);
  this.positionBorderRect_();
  widenToFinger(this, contentWidth);
};

/** Blockly's icons are 17 px; the clear square around one reaches this far past its drawing. */
const ICON_REACH = (FINGER - 17) / 2;

/**
 * Blockly's icons (warning, gear, comment) are 17 px: each gets a clear square behind its
 * drawing, `FINGER` px either way, that takes taps too. It reaches 5 px past the drawing into
 * the padding around it; the icon keeps its place in the block, so no row grows wider.
 */
for (const Icon of [
  Blockly.icons.WarningIcon,
  Blockly.icons.MutatorIcon,
  Blockly.icons.CommentIcon,
]) {
  const prototype = Icon.prototype as unknown as {
    initView(this: { svgRoot: SVGGElement | null }, listener: (e: PointerEvent) => void): void;
  };
  const { initView } = prototype;
  prototype.initView = function (listener) {
    const fresh = !this.svgRoot;
    initView.call(this, listener);
    if (!fresh || !this.svgRoot) return;
    const reach = Blockly.utils.dom.createSvgElement('rect', {
      x: -ICON_REACH,
      y: -ICON_REACH,
      width: FINGER,
      height: FINGER,
      fill: 'transparent',
    });
    this.svgRoot.prepend(reach);
  };
}
