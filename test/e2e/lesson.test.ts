// The guided lesson "Build a lamp you can switch from the internet" followed as a child would, in
// Chinese at 1280×720: from `?lesson=lamp` (an empty workspace), each step's card names the
// category to open (highlighted in the toolbox) and the block to drag; real drags from the flyout
// and typing in fields finish each step's check, the card moves on by itself, Run and `on`/`off`
// from Messages finish the last checks, and Finish ends the lesson. The hint that comes "after a
// while" is checked with Playwright's clock, not by waiting.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGE_STORAGE_KEY } from '../../src/i18n/language.ts';
import lamp from '../../src/lessons/lamp.json' with { type: 'json' };
import { HINT_MS } from '../../src/lessons/lesson.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  launchChromium,
  startTestStudio,
  waitForLeds,
  waitForOnline,
  waitForStudio,
} from './studio.ts';
import { Child, connectionOf, idsOf, inWorkspace } from './mouse-child.ts';

/** Waits until the lesson card shows step `index` (0-based; 'done' when finished). */
async function waitForStep(page: Page, index: number | 'done'): Promise<void> {
  await page
    .locator(`lesson-panel [data-step="${index}"]`)
    .waitFor({ state: 'attached', timeout: DEADLINE });
}

/** The toolbox category marked for the step now, as its `toolboxitemid`, or null. */
function highlighted(page: Page): Promise<string | null> {
  return inWorkspace<string | null>(
    page,
    `const item = ws.getToolbox().getToolboxItems().find((i) =>
       i.getDiv?.()?.classList.contains('lesson-highlight'));
     return item ? item.getId() : null;`,
  );
}

async function zhPage(browser: Browser, studio: Studio, clock = false): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(
    ([key, value]) => localStorage.setItem(key, value),
    [LANGUAGE_STORAGE_KEY, 'zh-hans'],
  );
  const page = await context.newPage();
  if (clock) await page.clock.install();
  await page.goto(`${studio.url}?lesson=lamp`);
  await waitForStudio(page);
  return page;
}

describe('the guided lesson "lamp"', () => {
  let studio: Studio;
  let browser: Browser;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('a child follows every step in Chinese, runs the lamp and switches it with on and off', async () => {
    const page = await zhPage(browser, studio);
    try {
      const child = new Child(page);
      const steps = lamp.steps;
      const canvas = (await page.locator('block-editor .blocklyMainBackground').boundingBox())!;
      const toolbox = (await page.locator('block-editor .blocklyToolbox').boundingBox())!;
      const left = toolbox.x + toolbox.width + 60;
      assert.equal(
        await page.locator('lesson-panel [data-step="0"]').textContent(),
        steps[0].text['zh-hans'],
      );

      /** Checks the card and the toolbox for step `index`, opens its category, drags its block. */
      const dragStep = async (index: number, to: () => Promise<{ x: number; y: number }>) => {
        await waitForStep(page, index);
        assert.equal(await highlighted(page), steps[index].category, `step ${index}'s category`);
        await page.locator(`.blocklyToolboxCategory:has-text("${categoryName(index)}")`).click();
        await child.drag(steps[index].block!, await to());
      };
      const names: Record<string, string> = { wifi: 'WiFi 网络', mqtt: 'MQTT 消息', rgb: 'RGB 灯' };
      const categoryName = (index: number) => names[steps[index].category!];

      await dragStep(0, async () => ({ x: left, y: canvas.y + 30 }));
      const [wifi] = await idsOf(page, 'wifi_connect');
      await dragStep(1, () => connectionOf(page, wifi));
      const [connect] = await idsOf(page, 'mqtt_connect');
      await dragStep(2, () => connectionOf(page, connect));
      await dragStep(3, async () => {
        const bottom = await inWorkspace<number>(
          page,
          `return screen(0, ws.getBlocksBoundingBox().bottom).y;`,
        );
        return { x: left, y: bottom + 40 };
      });
      const [handler] = await idsOf(page, 'mqtt_on_message');
      await dragStep(4, () => connectionOf(page, handler, 'DO'));
      const [ifOn] = await idsOf(page, 'mqtt_if_message');
      await dragStep(5, () => connectionOf(page, ifOn, 'DO'));
      // The step waits for red 50, green 0, blue 0.
      const [fill] = await idsOf(page, 'rgb_fill');
      const red = await inWorkspace<string>(
        page,
        `return ws.getBlockById(arg).getInputTargetBlock('RED').id;`,
        fill,
      );
      assert.equal(await page.locator('lesson-panel [data-step="5"]').count(), 1, 'still step 6');
      await child.type(red, 'NUM', '50');
      await dragStep(6, () => connectionOf(page, ifOn));
      const ifOff = (await idsOf(page, 'mqtt_if_message')).find((id) => id !== ifOn)!;
      assert.equal(await page.locator('lesson-panel [data-step="6"]').count(), 1, 'off not typed');
      await child.type(ifOff, 'TEXT', 'off');
      await dragStep(7, () => connectionOf(page, ifOff, 'DO'));

      await waitForStep(page, 8);
      assert.equal(await highlighted(page), null, 'no category for Run');
      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);
      await waitForStep(page, 9);
      await page.locator('[data-tab="messages"]').click();
      await page.locator('[data-action="send-on"]').click();
      await waitForLeds(page, '50,0,0');
      await waitForStep(page, 10);
      await page.locator('[data-action="send-off"]').click();
      await waitForLeds(page, '0,0,0');
      await waitForStep(page, 11);
      console.log(`# the lesson with the mouse: ${child.drags} drags`);
      assert.equal(child.drags, 8);
      await page.locator('lesson-panel [data-action="lesson-next"]').click();
      await waitForStep(page, 'done');
      await page.locator('lesson-panel [data-action="close-lesson"]').click();
      await page.locator('lesson-panel').waitFor({ state: 'detached', timeout: DEADLINE });
    } finally {
      await page.context().close();
    }
  });

  it('shows a step’s hint only after the child has been on it a while', async () => {
    const page = await zhPage(browser, studio, true);
    try {
      await waitForStep(page, 0);
      const hint = page.locator('lesson-panel .hint');
      assert.equal(await hint.count(), 0, 'no hint at first');
      await page.clock.fastForward(HINT_MS - 5_000);
      assert.equal(await hint.count(), 0, 'no hint before its time');
      await page.clock.fastForward(6_000);
      await hint.waitFor({ timeout: DEADLINE });
      assert.match((await hint.textContent())!, new RegExp(lamp.steps[0].hint!['zh-hans']));
    } finally {
      await page.context().close();
    }
  });

  it('says so when the address names no lesson, and opens the studio as usual', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${studio.url}?lesson=nope`);
      await waitForStudio(page);
      await page.locator('iot-studio .notice').waitFor({ timeout: DEADLINE });
      assert.match((await page.locator('iot-studio .notice').textContent())!, /nope/);
      assert.equal(await page.locator('lesson-panel').count(), 0);
    } finally {
      await context.close();
    }
  });
});
