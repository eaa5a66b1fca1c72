/**
 * `iot-thrasos`: Blockly's Thrasos renderer without one wasted walk. Each time Blockly draws a
 * block, its Drawer first works out where the block is on the workspace (`topLeft_`) by walking
 * up the SVG through every block the block hangs from, and nothing in Blockly reads the answer.
 * In a stack of 200 blocks that is thousands of steps each time the stack is drawn. Here the
 * drawer works it out only if something asks.
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

class Renderer extends Blockly.thrasos.Renderer {
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

/** Blockly's own field sizing, for the test that compares the two. */
export const blocklyUpdateSize = fieldPrototype.updateSize_;

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
};
