// A child on a 1024×768 tablet, fingers only: the built studio in Chromium with touch input
// (taps through Playwright's touchscreen, drags as raw touch events through CDP, the way a finger
// drags). Open a toolbox category, drag blocks out and into each other, Run, press button A on
// the virtual board; long-press a block for its menu and open its Help.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForLeds, waitForOnline } from './studio.ts';

interface Point {
  x: number;
  y: number;
}

/** Finger gestures on `page`: drags and long presses as raw touch events. */
class Finger {
  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async on(page: Page): Promise<Finger> {
    return new Finger(page, await page.context().newCDPSession(page));
  }

  private touch(type: 'touchStart' | 'touchMove' | 'touchEnd', points: Point[]) {
    return this.cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  }

  async tap({ x, y }: Point): Promise<void> {
    await this.page.touchscreen.tap(x, y);
  }

  /**
   * Drags from `from` to `to` in small steps, then rests a moment before lifting, as a finger
   * placing a block does. Lifting while still moving fast would end in a fling, and Chromium
   * then swallows the next tap as "stop the fling" (no click); a child flicking a block would
   * see that too, but it is not what this test is about.
   */
  async drag(from: Point, to: Point, steps = 15): Promise<void> {
    await this.touch('touchStart', [from]);
    for (let i = 1; i <= steps; i++) {
      const at = {
        x: from.x + ((to.x - from.x) * i) / steps,
        y: from.y + ((to.y - from.y) * i) / steps,
      };
      await this.touch('touchMove', [at]);
      await this.page.waitForTimeout(16);
    }
    for (let i = 0; i < 4; i++) {
      await this.touch('touchMove', [to]);
      await this.page.waitForTimeout(40);
    }
    await this.touch('touchEnd', []);
  }

  /** Holds a finger on `at` for longer than Blockly's long press (750 ms). */
  async longPress(at: Point): Promise<void> {
    await this.touch('touchStart', [at]);
    await this.page.waitForTimeout(1100);
    await this.touch('touchEnd', []);
  }
}

/** Resolves after the page has drawn two more frames. */
function nextFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/** The centre of what `selector` matches first, on screen. */
async function centreOf(page: Page, selector: string): Promise<Point> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Page-side expression for the studio's Blockly workspace, wherever its shadow roots keep it. */
const FIND_WORKSPACE = `(() => {
  const find = (root) => {
    const hit = root.querySelector('block-editor');
    if (hit) return hit;
    for (const element of root.querySelectorAll('*')) {
      const inner = element.shadowRoot && find(element.shadowRoot);
      if (inner) return inner;
    }
    return null;
  };
  return find(document).workspace;
})()`;

/**
 * Runs `body` (a function body, as text: tsx would wrap named functions written here in a helper
 * the page does not have) in the page with `ws`, the studio's Blockly workspace, and `arg`.
 */
function withWorkspace<T>(page: Page, body: string, arg?: unknown): Promise<T> {
  return page.evaluate(
    ([find, body, arg]) => new Function('arg', `const ws = ${find};\n${body}`)(arg),
    [FIND_WORKSPACE, body, arg] as const,
  ) as Promise<T>;
}

/** Where on screen a workspace point (workspace coordinates) is. */
const SCREEN_OF = `
  const m = ws.getCanvas().getScreenCTM();
  const screen = (x, y) => ({ x: m.a * x + m.e, y: m.d * y + m.f });`;

/** An empty spot of the workspace below every block, panning the workspace by finger if needed. */
async function emptySpot(page: Page, finger: Finger): Promise<Point> {
  const view = (await page.locator('block-editor .blocklyMainBackground').first().boundingBox())!;
  const below = () =>
    withWorkspace<number>(
      page,
      `${SCREEN_OF} const box = ws.getBlocksBoundingBox(); return screen(0, box.bottom).y;`,
    );
  // Room for two stacked blocks under the program and above the scrollbar.
  const needed = 140;
  let bottom = await below();
  if (bottom + needed > view.y + view.height) {
    // A finger on the background near the bottom right pushes the program up.
    const from = { x: view.x + view.width * 0.8, y: view.y + view.height - 40 };
    await finger.drag(from, {
      x: from.x,
      y: from.y - (bottom + needed - (view.y + view.height)) - 20,
    });
    bottom = await below();
  }
  assert.ok(bottom + needed <= view.y + view.height + 1, 'room below the program');
  // The workspace's background runs under the toolbox too: a block dropped there is deleted.
  const toolbox = (await page.locator('block-editor .blocklyToolbox').first().boundingBox())!;
  return { x: toolbox.x + toolbox.width + 30, y: bottom + 30 };
}

describe('a 1024×768 touch tablet', () => {
  let studio: Studio;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let finger: Finger;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1024, height: 768 },
      hasTouch: true,
      isMobile: false,
    });
    page = await context.newPage();
    finger = await Finger.on(page);
    await page.goto(`${studio.url}?example=onenet-rgb`);
    await page
      .locator('block-editor .blocklyBlockCanvas g.mqtt_connect')
      .first()
      .waitFor({ timeout: DEADLINE });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('toolbox rows are finger-sized on a touch screen', async () => {
    const rows = await page.locator('block-editor .blocklyToolboxCategory').all();
    assert.ok(rows.length >= 4);
    for (const row of rows) {
      const box = (await row.boundingBox())!;
      assert.ok(
        box.height >= 40,
        `toolbox row ${await row.textContent()} is ${box.height} px tall`,
      );
    }
  });

  it('drags blocks out of the toolbox and into each other, runs, and button A lights the LEDs', async () => {
    const spot = await emptySpot(page, finger);

    // "when button A is pressed", from the Board category.
    await finger.tap(await centreOf(page, '.blocklyToolboxCategory:has-text("Board")'));
    const flyoutButton = page
      .locator('.blocklyFlyout g.board_on_button > path.blocklyPath')
      .first();
    await flyoutButton.waitFor({ state: 'visible', timeout: DEADLINE });
    const button = (await flyoutButton.boundingBox())!;
    await finger.drag({ x: button.x + 10, y: button.y + 12 }, { x: spot.x + 10, y: spot.y + 12 });
    // Blockly renders a dropped block (and moves its connections) at the next animation frame.
    await nextFrames(page);
    const placed = await withWorkspace<{ id: string; x: number; y: number } | null>(
      page,
      `${SCREEN_OF}
      const block = ws.getBlocksByType('board_on_button')[0];
      if (!block) return null;
      const c = block.getInput('DO').connection;
      return { id: block.id, ...screen(c.x, c.y) };`,
    );
    assert.ok(placed, 'the button block is on the workspace');

    // "set all LEDs to red 255" into its DO input: grabbed at an offset from its top left corner
    // (its previous connection), dropped at the same offset from the input's connection.
    await finger.tap(await centreOf(page, '.blocklyToolboxCategory:has-text("RGB")'));
    const flyoutFill = page.locator('.blocklyFlyout g.rgb_fill > path.blocklyPath').first();
    await flyoutFill.waitFor({ state: 'visible', timeout: DEADLINE });
    const fill = (await flyoutFill.boundingBox())!;
    await finger.drag({ x: fill.x + 12, y: fill.y + 10 }, { x: placed.x + 12, y: placed.y + 10 });
    await nextFrames(page);
    const child = await withWorkspace<string | null>(
      page,
      `return ws.getBlockById(arg)?.getInputTargetBlock('DO')?.type ?? null;`,
      placed.id,
    );
    assert.equal(child, 'rgb_fill');

    await finger.tap(await centreOf(page, '[data-action="run"]'));
    await waitForOnline(page);
    await finger.tap(await centreOf(page, 'virtual-board [data-button="a"]'));
    await waitForLeds(page, '255,0,0');
  });

  it('a long press opens a block’s menu, and its Help opens the help at that block', async () => {
    const block = (await page
      .locator('block-editor .blocklyBlockCanvas g.board_on_button > path.blocklyPath')
      .first()
      .boundingBox())!;
    await finger.longPress({ x: block.x + 12, y: block.y + 10 });
    // Blockly 13 writes an item's keyboard shortcut after its label: blank for Help.
    const help = page.locator('.blocklyContextMenu .blocklyMenuItem', { hasText: /^Help\s*$/ });
    await help.waitFor({ state: 'visible', timeout: DEADLINE });
    const item = (await help.boundingBox())!;
    assert.ok(item.height >= 40, `menu item is ${item.height} px tall`);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      finger.tap({ x: item.x + item.width / 2, y: item.y + item.height / 2 }),
    ]);
    await popup.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
    assert.equal(new URL(popup.url()).hash, '#board_on_button');
    await popup.locator('section#board_on_button').waitFor({ state: 'visible' });
    await popup.close();
  });
});
