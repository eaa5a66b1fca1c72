// Never losing work, end to end: the built studio from the real server in headless Chromium, a
// child's clicks and keys, real reloads, a closed tab, a crashed page, the real file picker,
// a dropped file, a real download. Each test has its own browser context: its own storage.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio } from './studio.ts';

/** Where the toolbar screenshots go (`/tmp/persist-1280.png`, `/tmp/persist-1024.png`). */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? tmpdir();

/** A test that hangs fails on its own instead of holding up the whole run. */
const LIMIT = { timeout: 90_000 };

describe('never losing work', () => {
  let studio: Studio;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

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
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
  });

  /** Opens the studio at `search` and waits until its project is open and saved. */
  async function visit(search = ''): Promise<void> {
    await page.goto(`${studio.url}${search}`);
    await saved();
  }

  /** Waits until the studio says everything is saved. */
  async function saved(on: Page = page): Promise<void> {
    await on
      .locator('iot-studio[data-save-state="saved"]')
      .waitFor({ state: 'attached', timeout: DEADLINE });
  }

  function projectName(on: Page = page): Promise<string> {
    return on.locator('.project-name').innerText();
  }

  /** The example's WiFi name, as its block holds it now. */
  function ssid(on: Page = page): Promise<string> {
    return on.evaluate(() =>
      document
        .querySelector('iot-studio')!
        .editor!.workspace!.getBlockById('wifi')!
        .getFieldValue('SSID'),
    );
  }

  /** Every block: its id, type, parent and field values, and where the top ones are. */
  function blocks(on: Page = page): Promise<string> {
    return on.evaluate(() => {
      const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
      return JSON.stringify(
        workspace.getAllBlocks(true).map((block) => ({
          id: block.id,
          type: block.type,
          parent: block.getParent()?.id ?? block.getRelativeToSurfaceXY(),
          fields: block.inputList.flatMap((input) =>
            input.fieldRow.map((field) => [field.name, field.getValue()]),
          ),
        })),
      );
    });
  }

  /** Types `text` into the example's WiFi name field, as a child does: click, type, Enter. */
  async function typeWifiName(text: string): Promise<void> {
    // The block's own fields are its group's children; its next blocks' fields are deeper.
    await page.locator('[data-id="wifi"] > .blocklyEditableField').first().click();
    const editor = page.locator('.blocklyWidgetDiv input');
    await editor.waitFor({ timeout: DEADLINE });
    await editor.fill(text);
    await editor.press('Enter');
    await page.locator('code-panel pre', { hasText: `"${text}"` }).waitFor({ timeout: DEADLINE });
    await saved();
  }

  async function renameProject(name: string): Promise<void> {
    await page.locator('[data-action="rename"]').click();
    await page.locator('input[data-setting="project-name"]').fill(name);
    await page.locator('input[data-setting="project-name"]').press('Enter');
    await page.locator('.project-name', { hasText: name }).waitFor({ timeout: DEADLINE });
    await saved();
  }

  async function projectMenu(action: 'new' | 'open' | 'save'): Promise<void> {
    await page.locator('toolbar-menu[data-menu="project"]').click();
    await page.locator(`[data-action="${action}"]`).click();
  }

  /** Opens the Recent menu and reads its entries: name, and whether it is the open one. */
  async function recent(): Promise<string[]> {
    await page.locator('toolbar-menu[data-action="recent"]').click();
    const entries = page.locator('recent-projects button');
    await entries.first().waitFor({ timeout: DEADLINE });
    return Promise.all(
      (await entries.all()).map(async (entry) => {
        const name = await entry.locator('.name').innerText();
        return (await entry.getAttribute('aria-current')) === 'true' ? `${name} (open)` : name;
      }),
    );
  }

  async function notice(): Promise<string> {
    const shown = page.locator('.notice > span');
    await shown.waitFor({ timeout: DEADLINE });
    return shown.innerText();
  }

  /** Chooses a file in the Open file picker, through the browser's real file chooser. */
  async function chooseFile(name: string, text: string): Promise<void> {
    const chooser = page.waitForEvent('filechooser', { timeout: DEADLINE });
    await projectMenu('open');
    await (
      await chooser
    ).setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  }

  /** Drags a file over the studio (its hint shows) and drops it on the workspace. */
  async function dropFile(name: string, text: string): Promise<void> {
    const transfer = await page.evaluateHandle(
      ([name, text]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type: 'application/json' }));
        return transfer;
      },
      [name, text],
    );
    await page.locator('block-editor').dispatchEvent('dragenter', { dataTransfer: transfer });
    await page.locator('[data-drop-hint]').waitFor({ timeout: DEADLINE });
    assert.match(await page.locator('[data-drop-hint]').innerText(), /Drop a project file/);
    await page.locator('[data-drop-hint]').dispatchEvent('drop', { dataTransfer: transfer });
    await page.locator('[data-drop-hint]').waitFor({ state: 'detached', timeout: DEADLINE });
  }

  it('a change is there after a reload, a closed tab and a crash', LIMIT, async () => {
    await visit('?example=onenet-rgb');
    await typeWifiName('Garden');
    await renameProject('My lamp');
    await page.reload();
    await saved();
    assert.equal(await ssid(), 'Garden');
    assert.equal(await projectName(), 'My lamp');

    // Closed at once after a change: whatever saved it (its frame or pagehide), it is saved.
    await page.evaluate(() =>
      document
        .querySelector('iot-studio')!
        .editor!.workspace!.getBlockById('wifi')!
        .setFieldValue('Closing', 'SSID'),
    );
    // With unload handlers run, close() returns before the page has gone: wait until it has.
    const closed = page.waitForEvent('close', { timeout: DEADLINE });
    await page.close({ runBeforeUnload: true });
    await closed;
    page = await context.newPage();
    await visit();
    assert.equal(await ssid(), 'Closing');

    // A crashed page says goodbye to no one: what was saved before is all there is.
    await typeWifiName('Before the crash');
    const crashed = page.waitForEvent('crash', { timeout: DEADLINE });
    const cdp = await context.newCDPSession(page);
    // The page dies before it can answer, so this is not awaited.
    cdp.send('Page.crash').catch(() => {});
    await crashed;
    page = await context.newPage();
    await visit();
    assert.equal(await ssid(), 'Before the crash');
    assert.equal(await projectName(), 'My lamp');
  });

  it(
    'a corrupt file, chosen or dropped, is refused and the work is left as it was',
    LIMIT,
    async () => {
      await visit('?example=onenet-rgb');
      await typeWifiName('Untouched');
      const before = await blocks();
      const storedBefore = await page.evaluate(() => JSON.stringify(localStorage));

      await chooseFile('broken.json', '{"format": "iot-blocks-project", "vers');
      assert.equal(
        await notice(),
        '“broken.json” could not be opened: This file is not a project: its text is not JSON. Your work has not been changed.',
      );
      await page.locator('.notice button').click();

      await dropFile(
        'scratch.json',
        JSON.stringify({ targets: [], monitors: [], meta: { semver: '3.0.0' } }),
      );
      assert.equal(
        await notice(),
        '“scratch.json” could not be opened: This file is not an IoT Blocks project. Your work has not been changed.',
      );
      await page.locator('.notice button').click();

      await chooseFile(
        'future.json',
        JSON.stringify({ format: 'iot-blocks-project', version: 9, workspace: {} }),
      );
      assert.match(await notice(), /made by a newer IoT Blocks \(format 9\)/);

      assert.equal(await blocks(), before);
      assert.equal(await projectName(), 'OneNET RGB remote control');
      await saved();
      assert.equal(await page.evaluate(() => JSON.stringify(localStorage)), storedBefore);
      await page.reload();
      await saved();
      assert.equal(await ssid(), 'Untouched');
    },
  );

  it('a damaged newest save falls back to the last good version, and says so', LIMIT, async () => {
    await visit('?example=onenet-rgb');
    await typeWifiName('Good');
    await typeWifiName('Newest');
    // Garbage where the newest save was, as a half-written disk or a stray edit leaves it.
    const damaged = await page.evaluate(() => {
      const id = document.querySelector('iot-studio')!.projectId;
      const newest = Object.keys(localStorage)
        .filter((key) => key.startsWith(`iot-blocks:project:${id}:`))
        .sort((a, b) => Number(b.split(':').at(-1)) - Number(a.split(':').at(-1)))[0];
      localStorage.setItem(newest, '\u0000\u0000{"format": "iot');
      return newest;
    });
    assert.ok(damaged);
    // Nothing changed since the last save, so leaving the page writes nothing over it.
    await page.reload();
    await saved();
    assert.equal(await ssid(), 'Good');
    assert.match(
      await notice(),
      /^The newest save of “OneNET RGB remote control” was damaged, so the version saved at .+ was opened\.$/,
    );
    await page.reload();
    await saved();
    assert.equal(await page.locator('.notice').count(), 0, 'the next visit opens quietly');
    assert.equal(await ssid(), 'Good');
  });

  it('?example= opens a new project; the child’s own stays under Recent', LIMIT, async () => {
    await visit();
    assert.equal(await projectName(), 'My first project');
    await renameProject('Alice’s lamp');
    await visit('?example=onenet-rgb');
    assert.equal(await projectName(), 'OneNET RGB remote control');
    assert.deepEqual(await recent(), ['OneNET RGB remote control (open)', 'Alice’s lamp']);
    await page.locator('recent-projects button', { hasText: 'Alice’s lamp' }).click();
    await page.locator('.project-name', { hasText: 'Alice’s lamp' }).waitFor({ timeout: DEADLINE });
    await page.reload();
    await saved();
    assert.equal(await projectName(), 'Alice’s lamp', 'the project open last opens again');
  });

  it('New starts an empty project and Recent switches back', LIMIT, async () => {
    await visit('?example=onenet-rgb');
    await typeWifiName('Mine');
    await projectMenu('new');
    await page.locator('.project-name', { hasText: 'My project 2' }).waitFor({ timeout: DEADLINE });
    assert.equal(
      await page.evaluate(
        () => document.querySelector('iot-studio')!.editor!.workspace!.getAllBlocks(false).length,
      ),
      0,
    );
    assert.deepEqual(await recent(), ['My project 2 (open)', 'OneNET RGB remote control']);
    await page.locator('recent-projects button', { hasText: 'OneNET RGB' }).click();
    await page.locator('.project-name', { hasText: 'OneNET RGB' }).waitFor({ timeout: DEADLINE });
    assert.equal(await ssid(), 'Mine');
  });

  it('Save downloads <name>.json, which opens again to the same blocks', LIMIT, async () => {
    await visit('?example=onenet-rgb');
    await typeWifiName('Saved away');
    await renameProject('Lamp: v2/final');
    const before = await blocks();
    const downloading = page.waitForEvent('download', { timeout: DEADLINE });
    await projectMenu('save');
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'Lamp- v2-final.json');
    const text = await readFile(await download.path(), 'utf8');
    const saved = JSON.parse(text);
    assert.equal(saved.format, 'iot-blocks-project');
    assert.equal(saved.settings.name, 'Lamp: v2/final');

    await projectMenu('new');
    await page.locator('.project-name', { hasText: 'My project 2' }).waitFor({ timeout: DEADLINE });
    await chooseFile(download.suggestedFilename(), text);
    await page
      .locator('.project-name', { hasText: 'Lamp: v2/final' })
      .waitFor({ timeout: DEADLINE });
    assert.equal(await blocks(), before);
    assert.equal(await ssid(), 'Saved away');
  });

  it(
    'Undo and Redo undo and redo a change, and are disabled when there is nothing to do',
    LIMIT,
    async () => {
      await visit('?example=onenet-rgb');
      const undo = page.locator('[data-action="undo"]');
      const redo = page.locator('[data-action="redo"]');
      assert.deepEqual([await undo.isDisabled(), await redo.isDisabled()], [true, true]);
      await typeWifiName('Oops');
      await undo.click();
      await page.locator('code-panel pre', { hasText: '"ssid"' }).waitFor({ timeout: DEADLINE });
      assert.equal(await ssid(), 'ssid');
      await redo.waitFor({ state: 'visible' });
      assert.equal(await redo.isDisabled(), false);
      await redo.click();
      await page.locator('code-panel pre', { hasText: '"Oops"' }).waitFor({ timeout: DEADLINE });
      // The keyboard, with the focus on the page rather than in the workspace.
      await page.locator('h1.brand').click();
      await page.keyboard.press('Control+z');
      await page.locator('code-panel pre', { hasText: '"ssid"' }).waitFor({ timeout: DEADLINE });
      await page.keyboard.press('Control+y');
      await page.locator('code-panel pre', { hasText: '"Oops"' }).waitFor({ timeout: DEADLINE });
      await saved();
      await page.reload();
      await saved();
      assert.equal(await ssid(), 'Oops');
    },
  );

  for (const [width, height] of [
    [1280, 720],
    [1024, 768],
  ]) {
    it(`the toolbar fits at ${width}×${height}, with the Recent menu open`, LIMIT, async () => {
      await page.setViewportSize({ width, height });
      await visit();
      await renameProject('Alice’s lamp');
      await visit('?example=onenet-rgb');
      await recent();
      const header = await page.evaluate(() => {
        const header = document.querySelector('iot-studio')!.shadowRoot!.querySelector('header')!;
        const items = [
          ...header.querySelectorAll(':scope > toolbar-menu, .project > *, .group > button'),
        ];
        return {
          overflow: header.scrollWidth - header.clientWidth,
          outside: items
            .map((item) => item.getBoundingClientRect())
            .filter((box) => box.left < 0 || box.right > innerWidth || box.width === 0).length,
        };
      });
      assert.deepEqual(header, { overflow: 0, outside: 0 });
      for (const action of ['undo', 'redo', 'run', 'stop']) {
        assert.ok(await page.locator(`[data-action="${action}"]`).isVisible(), action);
      }
      await page.screenshot({ path: join(SCREENSHOTS, `persist-${width}.png`) });
    });
  }
});
