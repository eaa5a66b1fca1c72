/**
 * Blockly runs headless in Node with its own jsdom, but the colour field builds its swatches with
 * the global `document` and checks them against the global `HTMLElement`. Importing this module
 * first gives Node both, from one jsdom window, and the XML parser and serializer that Blockly
 * then expects to find beside them (it sets up its own only when there is no `document`).
 */
import { JSDOM } from 'jsdom';

if (typeof globalThis.document === 'undefined') {
  const { window } = new JSDOM('<!DOCTYPE html>');
  Object.assign(globalThis, {
    document: window.document,
    HTMLElement: window.HTMLElement,
    DOMParser: window.DOMParser,
    XMLSerializer: window.XMLSerializer,
  });
}
