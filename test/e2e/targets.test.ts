// Finger-sized targets and warning bubbles that keep clear, in the built studio in Chromium: every
// field and icon of an example program is at least 24 px either way on a 1024×768 touch tablet
// (an empty text field too), and tapping anywhere on it reaches it; a warning bubble covers
// neither its block nor the toolbox, on the tablet and on a 1280×720 laptop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio } from './studio.ts';

/** The least a finger target measures either way, in CSS px. */
const FINGER = 24;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Page-side expression for the studio's `<block-editor>`, wherever its shadow roots keep it. */
const FIND_EDITOR = `(() => {
  const find = (root) => {
    const hit = root.querySelector('block-editor');
    if (hit) return hit;
    for (const element of root.querySelectorAll('*')) {
      const inner = element.shadowRoot && find(element.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  return find(document);
})()`;

/**
 * Runs `body` (a function body, as text: tsx would wrap named functions written here in a helper
 * the page does not have) in the page with `editor`, the studio's `<block-editor>`, and `arg`.
 */
function inEditor<T>(page: Page, body: string, arg?: unknown): Promise<T> {
  return page.evaluate(
    ([find, body, arg]) => new Function('arg', `const editor = ${find};\n${body}`)(arg),
    [FIND_EDITOR, body, arg] as const,
  ) as Promise<T>;
}

async function openExample(browser: Browser, width: number, height: number, touch: boolean) {
  const context = await browser.newContext({ viewport: { width, height }, hasTouch: touch });
  const page = await context.newPage();
  await page.goto(`${studioUrl}?example=onenet-rgb`);
  await page
    .locator('block-editor .blocklyBlockCanvas g.mqtt_connect')
    .first()
    .waitFor({ timeout: DEADLINE });
  return page;
}

let studioUrl = '';

function overlap(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

describe('finger-sized targets and warning bubbles', () => {
  let studio: Studio;
  let browser: Browser;

  before(async () => {
    ({ studio } = await startTestStudio());
    studioUrl = studio.url;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('every field and icon is at least 24 px either way and takes a tap anywhere on it, on a 1024×768 touch tablet', async () => {
    const page = await openExample(browser, 1024, 768, true);
    const targets = await inEditor<{ what: string; box: Box; hits: (boolean | null)[] }[]>(
      page,
      `const ws = editor.workspace;
      // What a tester found as 13 px slivers: an empty user name and password.
      const connect = ws.getBlocksByType('mqtt_connect')[0];
      connect.setFieldValue('', 'USERNAME');
      connect.setFieldValue('', 'PASSWORD');
      // A warning sign (closed) on it too.
      connect.setWarningText('NameError', 'test');
      // Blockly draws changed blocks at the next animation frame.
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))).then(() => {
        const found = [];
        const measure = (what, element) => {
          const r = element.getBoundingClientRect();
          const box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          // Taps 2 px inside each corner and at the middle reach this target.
          const points = [
            [r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2],
            [r.right - 2, r.bottom - 2], [(r.left + r.right) / 2, (r.top + r.bottom) / 2],
          ];
          // A point the workspace's own controls (scrollbar, zoom buttons) or the page beside
          // the workspace cover is left out; one on another block or on the target's block misses.
          const canvas = ws.getCanvas();
          const hits = points.map(([x, y]) => {
            const at = editor.getRootNode().elementFromPoint(x, y);
            if (element.contains(at)) return true;
            return canvas.contains(at) ? false : null;
          });
          found.push({ what, box, hits });
        };
        for (const block of ws.getAllBlocks(false)) {
          for (const field of block.inputList.flatMap((input) => input.fieldRow)) {
            if (field.EDITABLE && field.isVisible()) {
              measure(block.type + ' ' + field.name, field.getSvgRoot());
            }
          }
          for (const icon of block.getIcons()) {
            measure(block.type + ' ' + icon.getType(), icon.getFocusableElement());
          }
        }
        return found;
      });`,
    );
    assert.ok(targets.length >= 20, `${targets.length} targets`);
    assert.ok(targets.some((t) => t.what === 'mqtt_connect warning'));
    assert.ok(targets.some((t) => t.what === 'mqtt_connect USERNAME'));
    const whole = targets.filter((t) => t.hits.every((hit) => hit === true));
    assert.ok(whole.length >= 15, `${whole.length} targets tapped at all five points`);
    for (const { what, box, hits } of targets) {
      const width = box.right - box.left;
      const height = box.bottom - box.top;
      assert.ok(
        width >= FINGER && height >= FINGER,
        `${what} is ${width.toFixed(1)}×${height.toFixed(1)} px`,
      );
      assert.ok(!hits.includes(false), `taps on ${what}: ${JSON.stringify(hits)}`);
    }
    await page.context().close();
  });

  for (const [width, height, touch] of [
    [1024, 768, true],
    [1280, 720, false],
  ] as const) {
    it(`a warning bubble covers neither its block nor the toolbox at ${width}×${height}`, async () => {
      const page = await openExample(browser, width, height, touch);
      for (const type of ['mqtt_connect', 'mqtt_keep_alive', 'text']) {
        await inEditor(
          page,
          `editor.clearRunErrors();
          const block = editor.workspace.getBlocksByType(arg)[0];
          editor.showRunError(block.id, 'NameError: name \\'x\\' is not defined, a long error for a child to read');
          // The bubble opens once Blockly has drawn the block with its warning sign.
          const open = () => block.getIcon('warning')?.bubbleIsVisible();
          return new Promise((resolve) => {
            const wait = () => (open() ? resolve() : requestAnimationFrame(wait));
            wait();
          });`,
          type,
        );
        const boxes = await inEditor<{ bubble: Box; block: Box; toolbox: Box }>(
          page,
          `const box = (element) => {
            const r = element.getBoundingClientRect();
            return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
          };
          const block = editor.workspace.getBlocksByType(arg)[0];
          return {
            bubble: box(editor.querySelector('.blocklyBubble > .blocklyEmboss > rect')),
            block: box(block.pathObject.svgPath),
            toolbox: box(editor.querySelector('.blocklyToolbox')),
          };`,
          type,
        );
        assert.ok(
          !overlap(boxes.bubble, boxes.block),
          `${type}: bubble ${JSON.stringify(boxes.bubble)} covers its block ${JSON.stringify(boxes.block)}`,
        );
        assert.ok(
          boxes.bubble.left >= boxes.toolbox.right,
          `${type}: bubble ${JSON.stringify(boxes.bubble)} starts under the toolbox ${JSON.stringify(boxes.toolbox)}`,
        );
      }
      await page.context().close();
    });
  }
});
