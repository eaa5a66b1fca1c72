/**
 * Styles for an element that draws into the root it sits in rather than a shadow root of its
 * own (`createRenderRoot() { return this; }`), so the hooks, focus and Tab order of that root
 * stay as they were: its `static styles` join that root's style sheets, once.
 */
import type { CSSResult } from 'lit';

/** Adds `styles` to the style sheets of the document or shadow root `element` is in. */
export function adoptStyles(element: Element, styles: CSSResult): void {
  const root = element.getRootNode() as Document | ShadowRoot;
  const sheet = styles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}
