/**
 * Styles for an element that draws into the root it sits in rather than a shadow root of its
 * own (`createRenderRoot() { return this; }`), so the hooks, focus and Tab order of that root
 * stay as they were: its `static styles` join that root's style sheets, once.
 */
import { LitElement, type CSSResult } from 'lit';
import { LanguageController } from '../i18n/language.ts';

/** Adds `styles` to the style sheets of the document or shadow root `element` is in. */
export function adoptStyles(element: Element, styles: CSSResult): void {
  const root = element.getRootNode() as Document | ShadowRoot;
  const sheet = styles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}

/**
 * A piece of the studio (toolbar, side panel, notices, dialogs…): drawn into the studio's own
 * shadow root with its `static styles` added there, and drawn again in the new language.
 */
export class StudioPiece extends LitElement {
  constructor() {
    super();
    new LanguageController(this);
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this, (this.constructor as typeof LitElement).styles as CSSResult);
  }
}
