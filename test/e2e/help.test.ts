// The block help page as the studio serves it (the production build, the real server): Help on a
// block in the studio opens it at that block's section; every block of ours has a section with
// its picture drawn by Blockly; both languages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ourBlockTypes } from '../../blocks/index.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio } from './studio.ts';

/** Waits until the help page has drawn its block pictures and jumped to its anchor. */
async function helpReady(page: Page): Promise<void> {
  await page.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
}

describe('block help', () => {
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

  it('the built page shows the mqtt_connect section, its picture and board vs browser', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${studio.url}src/help/index.html?lang=en#mqtt_connect`);
    await helpReady(page);

    const section = page.locator('section#mqtt_connect');
    await section.waitFor({ state: 'visible' });
    assert.equal(await section.locator('h3').textContent(), 'Connect to an MQTT broker');
    // Scrolled to: the section starts in the top part of the window.
    const box = (await section.boundingBox())!;
    assert.ok(box.y >= 0 && box.y < 200, `section at y=${box.y}`);
    // The picture is the real block: Blockly's path and its field texts.
    const picture = section.locator('block-picture svg[role="img"]');
    assert.ok((await picture.locator('path.blocklyPath').count()) >= 1);
    assert.match((await picture.getAttribute('aria-label')) ?? '', /connect to MQTT broker/);
    const size = (await picture.boundingBox())!;
    assert.ok(size.width > 150 && size.height > 60, `picture ${size.width}×${size.height}`);
    // The picture takes its room: the text after it starts below it.
    const next = (await section.locator('block-picture + h4').boundingBox())!;
    assert.ok(
      next.y >= size.y + size.height,
      `text at y=${next.y} under a picture ending at ${size.y + size.height}`,
    );
    assert.match((await section.locator('[data-world="board"]').textContent()) ?? '', /TCP/);
    assert.match(
      (await section.locator('[data-world="browser"]').textContent()) ?? '',
      /WebSocket/,
    );

    // One section per block of ours, each with a picture.
    const ids = await page.locator('help-page section').evaluateAll((all) => all.map((s) => s.id));
    assert.deepEqual([...ids].sort(), [...ourBlockTypes].sort());
    assert.equal(await page.locator('help-page section block-picture svg').count(), ids.length);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('speaks Chinese with ?lang=zh-hans, blocks included', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${studio.url}src/help/index.html?lang=zh-hans#rgb_fill`);
    await helpReady(page);
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-Hans');
    assert.equal(
      await page.locator('section#rgb_fill h3').textContent(),
      '所有 RGB 灯显示一种颜色',
    );
    const label = await page
      .locator('section#rgb_fill block-picture svg')
      .getAttribute('aria-label');
    assert.match(label ?? '', /RGB 灯/);
    await page.close();
  });

  it('follows the studio’s stored language without ?lang=', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    await context.addInitScript(() => localStorage.setItem('iot-blocks.language', 'zh-hans'));
    const page = await context.newPage();
    await page.goto(`${studio.url}src/help/index.html#wifi_connect`);
    await helpReady(page);
    assert.equal(await page.locator('section#wifi_connect h3').textContent(), '连接 WiFi');
    await context.close();
  });

  it('Help in a block’s context menu opens the help at that block', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(`${studio.url}?example=onenet-rgb`);
    const block = page.locator(
      'block-editor .blocklyBlockCanvas g.mqtt_connect > path.blocklyPath',
    );
    await block.first().waitFor({ timeout: DEADLINE });
    // Near the block's top left corner, on its label (`force`: the label is over the path).
    await block.first().click({ button: 'right', position: { x: 20, y: 10 }, force: true });
    // Blockly 13 writes an item's keyboard shortcut after its label: blank for Help.
    const help = page.locator('.blocklyContextMenu .blocklyMenuItem', { hasText: /^Help\s*$/ });
    const [popup] = await Promise.all([context.waitForEvent('page'), help.click()]);
    await helpReady(popup);
    const url = new URL(popup.url());
    assert.equal(url.pathname, '/src/help/index.html');
    assert.equal(url.hash, '#mqtt_connect');
    await popup.locator('section#mqtt_connect').waitFor({ state: 'visible' });
    await context.close();
  });
});
