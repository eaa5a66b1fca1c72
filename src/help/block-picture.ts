/**
 * `<block-picture type="rgb_fill">`: one of our blocks drawn by Blockly itself, exactly as the
 * studio's toolbox shows it (same renderer, theme and default inputs), as a still SVG. A drawing
 * made by Blockly cannot drift from the real block the way a stored screenshot would, and it
 * follows the page's language. Call `registerBlocks()` first.
 *
 * Every picture comes from one hidden workspace: Blockly draws the block there and the picture is
 * a copy of its SVG. A workspace per picture would cost ~100 ms each (two seconds for the page on
 * a classroom laptop); a copy costs a few. The copy sits in an element with the workspace's
 * renderer and theme classes, so Blockly's CSS (in the document head) styles it as in the studio,
 * which is also why this element renders into the light DOM.
 */
import * as Blockly from 'blockly';
import { LitElement, css, html, type CSSResult, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { toolbox } from '../../blocks/index.ts';
import { studioTheme } from '../app/block-editor.ts';

/** Space around the block inside the picture, in pixels. */
const MARGIN = 4;
const SVG_NS = 'http://www.w3.org/2000/svg';

/** A toolbox entry: a block type with the default inputs and fields the toolbox gives it. */
type ToolboxBlock = Blockly.serialization.blocks.State & { kind: 'block' };

/** The toolbox's entry for `type` (its shadow inputs make the picture match the flyout). */
function toolboxEntry(type: string): ToolboxBlock | undefined {
  for (const category of toolbox.contents) {
    if (!('contents' in category)) continue;
    const found = (category.contents as { kind: string; type?: string }[]).find(
      (item) => item.kind === 'block' && item.type === type,
    );
    if (found) return found as ToolboxBlock;
  }
  return undefined;
}

let drawingBoard: Blockly.WorkspaceSvg | undefined;

/**
 * The hidden workspace pictures are drawn on. Hidden with `visibility`, not `display: none`,
 * because Blockly measures text to lay a block out.
 */
function workspace(): Blockly.WorkspaceSvg {
  if (drawingBoard) return drawingBoard;
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText =
    'position: absolute; left: -10000px; top: 0; width: 1000px; height: 600px; visibility: hidden';
  document.body.append(host);
  drawingBoard = Blockly.inject(host, {
    readOnly: true,
    theme: studioTheme,
    renderer: 'thrasos',
    sounds: false,
    media: '../../blockly-media/',
    scrollbars: false,
    trashcan: false,
  });
  return drawingBoard;
}

/** A still SVG of block `type`, and its text as a label (e.g. "turn all LEDs off"). */
function drawBlock(type: string): { svg: SVGSVGElement; label: string } {
  const board = workspace();
  const { kind: _kind, ...state } = toolboxEntry(type) ?? { kind: 'block', type };
  const block = Blockly.serialization.blocks.append(state, board) as Blockly.BlockSvg;
  try {
    // The box of everything drawn, in the block's own coordinates: tabs and notches included.
    const box = block.getSvgRoot().getBBox();
    const copy = block.getSvgRoot().cloneNode(true) as SVGGElement;
    copy.removeAttribute('transform');
    // Ids are unique per document, and nothing refers to these.
    for (const element of [copy, ...copy.querySelectorAll('[id]')]) element.removeAttribute('id');
    const svg = document.createElementNS(SVG_NS, 'svg');
    const width = Math.ceil(box.width + 2 * MARGIN);
    const height = Math.ceil(box.height + 2 * MARGIN);
    svg.setAttribute('class', 'blocklySvg');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', `${box.x - MARGIN} ${box.y - MARGIN} ${width} ${height}`);
    svg.append(copy);
    return { svg, label: block.toString() };
  } finally {
    block.dispose();
  }
}

/** Draws one of our blocks, by type, as Blockly draws it in the studio's toolbox. */
@customElement('block-picture')
export class BlockPicture extends LitElement {
  // Light DOM: lit does not adopt these for us, `connectedCallback` adds them to the document.
  static override styles = css`
    block-picture {
      display: block;
      max-width: 100%;
      overflow-x: auto;
    }
    /* Blockly's own rule places its workspace SVG absolutely, on white. */
    block-picture .blocklySvg {
      position: static;
      display: block;
      background: transparent;
    }
    /* A picture, not an editor: no hover outlines or pointer changes. */
    block-picture * {
      pointer-events: none;
    }
  `;

  /** The block type to draw, e.g. `rgb_fill`. */
  @property() type = '';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const sheet = (BlockPicture.styles as CSSResult).styleSheet;
    if (sheet && !document.adoptedStyleSheets.includes(sheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
  }

  protected override render() {
    // Empty: `updated` puts Blockly's drawing in. The classes are those Blockly puts on its
    // injection div, which its CSS rules (text colour, fonts, field boxes) start from.
    const board = workspace();
    return html`<div
      class="frame ${board.getRenderer().getClassName()} ${board.getTheme().getClassName()}"
    ></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('type')) this.redraw();
  }

  /** Draws the block again (its text's font changed, say). */
  redraw(): void {
    if (!this.type) return;
    const { svg, label } = drawBlock(this.type);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    const frame = this.querySelector<HTMLDivElement>(':scope > .frame')!;
    frame.title = label;
    frame.replaceChildren(svg);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'block-picture': BlockPicture;
  }
}
