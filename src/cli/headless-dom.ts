/**
 * Blockly runs headless in Node with its own jsdom, but the colour field builds its swatches with
 * the global `document` and checks them against the global `HTMLElement`. Importing this module
 * first gives Node both, from one jsdom window.
 */
import { JSDOM } from 'jsdom';

if (typeof globalThis.document === 'undefined') {
  const { window } = new JSDOM('<!DOCTYPE html>');
  Object.assign(globalThis, { document: window.document, HTMLElement: window.HTMLElement });
}
