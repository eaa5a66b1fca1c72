// Issue 14, row "Two tabs, one project", against the real `npm start` server in Chromium: two
// pages of one browser on the same project. The second is told, and only shows the project (no
// edit gets in, nothing is saved from it) while following the first's changes; when it takes
// over, the first only shows it and says so; both tabs' work ends up in the saved project. Help
// opened from the studio goes back to that studio instead of opening a second one.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForStudio } from '../e2e/studio.ts';

const LIMIT = { timeout: 120_000 };

describe('Two tabs, one project', () => {
  let studio: Studio;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  });

  afterEach(async () => {
    await context?.close();
  });

  async function saved(on: Page): Promise<void> {
    await on
      .locator('iot-studio[data-save-state="saved"]')
      .waitFor({ state: 'attached', timeout: DEADLINE });
  }

  /** Field `field` of block `id` as the tab shows it now. */
  function field(on: Page, id: string, name: string): Promise<string> {
    return on.evaluate(
      ([id, name]) =>
        String(
          document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlockById(id)!
            .getFieldValue(name),
        ),
      [id, name],
    );
  }

  /** Waits until field `name` of block `id` shows `value` in the tab. */
  async function fieldShows(on: Page, id: string, name: string, value: string): Promise<void> {
    await on.waitForFunction(
      ([id, name, value]) =>
        document
          .querySelector('iot-studio')
          ?.editor?.workspace?.getBlockById(id)
          ?.getFieldValue(name) === value,
      [id, name, value],
      { timeout: DEADLINE },
    );
  }

  /** Types `text` into the `index`th field of block `id`, as a child does. */
  async function type(on: Page, id: string, index: number, text: string): Promise<void> {
    await on.locator(`[data-id="${id}"] > .blocklyEditableField`).nth(index).click();
    const editor = on.locator('.blocklyWidgetDiv input');
    await editor.waitFor({ timeout: DEADLINE });
    await editor.fill(text);
    await editor.press('Enter');
  }

  /** What a tab's read-only banner says, once it shows. */
  async function banner(on: Page): Promise<string> {
    const shown = on.locator('[data-read-only-banner] > span');
    await shown.waitFor({ timeout: DEADLINE });
    return shown.innerText();
  }

  /** The project's saved versions in this browser, newest first, as text. */
  function versions(on: Page): Promise<string[]> {
    return on.evaluate(() => {
      const id = document.querySelector('iot-studio')!.projectId;
      return Object.keys(localStorage)
        .filter((key) => key.startsWith(`iot-blocks:project:${id}:`))
        .sort((a, b) => Number(b.split(':').at(-1)) - Number(a.split(':').at(-1)))
        .map((key) => localStorage.getItem(key)!);
    });
  }

  /** Tries every way a child edits: a field, a drag, Delete, Undo, rename. None may work. */
  async function tryToEdit(on: Page): Promise<void> {
    // Its fields look fixed, and clicking one opens no editor.
    assert.equal(await on.locator('[data-id="wifi"] > .blocklyEditableField').count(), 0);
    await on.locator('[data-id="wifi"] > .blocklyNonEditableField').first().click({ force: true });
    await on.waitForTimeout(300);
    assert.equal(await on.locator('.blocklyWidgetDiv input').count(), 0, 'no field editor');

    // Dragging it may pan the view (that is no edit); the block stays where it is in the program.
    const where = () =>
      on.evaluate(() => {
        const block = document
          .querySelector('iot-studio')!
          .editor!.workspace!.getBlockById('wifi')!;
        const { x, y } = block.getRelativeToSurfaceXY();
        return [x, y];
      });
    const before = await where();
    const box = (await on.locator('[data-id="wifi"] > path.blocklyPath').first().boundingBox())!;
    await on.mouse.move(box.x + 10, box.y + 10);
    await on.mouse.down();
    await on.mouse.move(box.x + 160, box.y + 120, { steps: 8 });
    await on.mouse.up();
    assert.deepEqual(await where(), before, 'the block did not move');

    await on.keyboard.press('Delete');
    assert.equal(
      await on.evaluate(
        () => !!document.querySelector('iot-studio')!.editor!.workspace!.getBlockById('wifi'),
      ),
      true,
      'the block is still there',
    );
    assert.equal(await on.locator('[data-action="undo"]').isDisabled(), true);
    assert.equal(await on.locator('[data-action="rename"]').isDisabled(), true);
    assert.equal(await on.locator('select[data-setting="browser-broker"]').isDisabled(), true);
  }

  it(
    'the second tab is told and only shows; taking over makes the first only show; nothing is lost',
    LIMIT,
    async () => {
      const first = await context.newPage();
      await first.goto(`${studio.url}?example=onenet-rgb`);
      await saved(first);
      await type(first, 'wifi', 0, 'From the first tab');
      await fieldShows(first, 'wifi', 'SSID', 'From the first tab');
      await saved(first);
      const id = await first.evaluate(() => document.querySelector('iot-studio')!.projectId);

      // The same studio in a second tab opens the project open last: the same one.
      const second = await context.newPage();
      await second.goto(studio.url);
      await waitForStudio(second);
      assert.equal(
        await second.evaluate(() => document.querySelector('iot-studio')!.projectId),
        id,
      );
      assert.match(await banner(second), /open in another tab/);
      assert.equal(await second.locator('iot-studio').getAttribute('data-read-only'), 'elsewhere');
      assert.equal(await first.locator('iot-studio').getAttribute('data-read-only'), null);
      assert.equal(await field(second, 'wifi', 'SSID'), 'From the first tab');

      const stored = await versions(second);
      await tryToEdit(second);
      assert.equal(await field(second, 'wifi', 'SSID'), 'From the first tab');
      await second.waitForTimeout(300);
      assert.deepEqual(await versions(second), stored, 'the showing tab saved nothing');

      // The first tab goes on editing; the second follows.
      await type(first, 'wifi', 0, 'Still the first tab');
      await saved(first);
      await fieldShows(second, 'wifi', 'SSID', 'Still the first tab');

      // The second takes over: the first only shows now, and says so.
      await second.locator('[data-action="edit-here"]').click();
      await second
        .locator('iot-studio:not([data-read-only])')
        .waitFor({ state: 'attached', timeout: DEADLINE });
      assert.match(await banner(first), /another tab/);
      assert.equal(await first.locator('iot-studio').getAttribute('data-read-only'), 'taken');
      await type(second, 'connect', 0, 'broker.from.second');
      await fieldShows(second, 'connect', 'SERVER', 'broker.from.second');
      await saved(second);
      await tryToEdit(first);
      await fieldShows(first, 'connect', 'SERVER', 'broker.from.second');

      // Both tabs' work is in the saved project, and nothing after it came from the first.
      const newest = JSON.parse((await versions(second))[0]);
      const text = JSON.stringify(newest.workspace);
      assert.ok(text.includes('Still the first tab'), 'the first tab’s work');
      assert.ok(text.includes('broker.from.second'), 'the second tab’s work');

      // Reloading the first: it opens the project, shows both tabs' work, and is told again.
      await first.reload();
      await waitForStudio(first);
      assert.match(await banner(first), /open in another tab/);
      assert.equal(await field(first, 'wifi', 'SSID'), 'Still the first tab');
      assert.equal(await field(first, 'connect', 'SERVER'), 'broker.from.second');
    },
  );

  it(
    'Help goes back to the studio it was opened from, without a second studio',
    LIMIT,
    async () => {
      const page = await context.newPage();
      await page.goto(`${studio.url}?example=onenet-rgb`);
      await saved(page);
      const block = page.locator(
        'block-editor .blocklyBlockCanvas g.mqtt_connect > path.blocklyPath',
      );
      await block.first().click({ button: 'right', position: { x: 20, y: 10 }, force: true });
      // Blockly 13 writes an item's keyboard shortcut after its label: blank for Help.
      const help = page.locator('.blocklyContextMenu .blocklyMenuItem', { hasText: /^Help\s*$/ });
      const [popup] = await Promise.all([context.waitForEvent('page'), help.click()]);
      await popup.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
      assert.equal(context.pages().length, 2);

      const closed = popup.waitForEvent('close', { timeout: DEADLINE });
      await popup.locator('a.back').click();
      await closed;
      await page.waitForTimeout(500);
      assert.deepEqual(
        context.pages().map((open) => open.url()),
        [page.url()],
        'only the studio it came from is open',
      );
      assert.equal(await page.locator('iot-studio').getAttribute('data-read-only'), null);
    },
  );
});
