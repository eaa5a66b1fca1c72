// MicroPython to blocks in the studio, end to end: the built page from the real server in headless
// Chromium. Project → Open takes a `.py` file (the seed tutorial, verbatim, when it is beside the
// repository), a dropped `.py` opens the same way, and "Paste MicroPython" takes text; each opens
// as a new project (the one before stays under Recent). A syntax error names its line and column
// and changes nothing; a project with hand-written MicroPython says so, and its code block warns.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, ROOT, launchChromium, projectWith, startTestStudio } from './studio.ts';
import { noSeed, seedProgram } from '../support/seed-tutorial.ts';

const LIMIT = { timeout: 90_000 };
/** Where the picture of the imported tutorial goes, to be looked at. */
const SCREENSHOT = join(process.env.SCREENSHOT_DIR ?? tmpdir(), 'import-tutorial.png');

/** The tutorial when it is there, else the generated example (the test says which it used). */
const program = noSeed
  ? readFileSync(join(ROOT, 'test', 'golden', 'onenet-rgb.py'), 'utf8')
  : seedProgram();

describe('MicroPython to blocks in the studio', () => {
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(studio.url);
    await saved();
  });
  afterEach(async () => {
    await context?.close();
  });

  async function saved(): Promise<void> {
    await page
      .locator('iot-studio[data-save-state="saved"]')
      .waitFor({ state: 'attached', timeout: DEADLINE });
  }

  /** The types of the open project's blocks, top to bottom. */
  function blockTypes(): Promise<string[]> {
    return page.evaluate(() =>
      document
        .querySelector('iot-studio')!
        .editor!.workspace!.getAllBlocks(true)
        .map((b) => b.type),
    );
  }

  async function waitForBlock(type: string): Promise<void> {
    await page.waitForFunction(
      (type) =>
        (document.querySelector('iot-studio')?.editor?.workspace?.getBlocksByType(type).length ??
          0) > 0,
      type,
      { timeout: DEADLINE },
    );
  }

  /** How many projects the Recent menu lists (the menu is opened, read and closed again). */
  async function recentCount(): Promise<number> {
    const menu = page.locator('toolbar-menu[data-action="recent"]');
    const entries = page.locator('recent-projects button');
    await menu.click();
    await entries.first().waitFor({ timeout: DEADLINE });
    const count = await entries.count();
    await menu.click();
    await entries.first().waitFor({ state: 'hidden', timeout: DEADLINE });
    return count;
  }

  async function notice(): Promise<string> {
    const shown = page.locator('.notice > span');
    await shown.waitFor({ timeout: DEADLINE });
    return shown.innerText();
  }

  it(
    `opens ${noSeed ? 'the generated example' : 'the seed tutorial'} (.py) from Project → Open as blocks`,
    LIMIT,
    async () => {
      const before = await recentCount();
      await page.locator('input[data-input="open"]').setInputFiles({
        name: 'main.py',
        mimeType: 'text/x-python',
        buffer: Buffer.from(program),
      });
      await waitForBlock('mqtt_connect');
      await saved();
      const types = await blockTypes();
      for (const type of [
        'wifi_connect',
        'mqtt_keep_alive',
        'mqtt_listen_forever',
        'mqtt_on_message',
      ]) {
        assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
      }
      assert.ok(!types.includes('micropython_code'), 'no MicroPython code block');
      // The new project's first save can land just after "saved" (the old project's) was read.
      const end = Date.now() + DEADLINE;
      let count = await recentCount();
      while (count !== before + 1 && Date.now() < end) count = await recentCount();
      assert.equal(count, before + 1, 'the project before stays under Recent');
      await page.screenshot({ path: SCREENSHOT });
    },
  );

  it('opens a dropped .py file', LIMIT, async () => {
    const transfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'lamp.py', { type: 'text/x-python' }));
      return transfer;
    }, 'rgb.fill((0, 50, 0))\nrgb.write()\n');
    await page.locator('block-editor').dispatchEvent('dragenter', { dataTransfer: transfer });
    await page.locator('[data-drop-hint]').waitFor({ timeout: DEADLINE });
    await page.locator('[data-drop-hint]').dispatchEvent('drop', { dataTransfer: transfer });
    await waitForBlock('rgb_fill');
    assert.match(await page.locator('.project-name').innerText(), /lamp/);
  });

  it(
    'pastes MicroPython: an error names its line and column and changes nothing',
    LIMIT,
    async () => {
      const before = await blockTypes();
      await page.locator('toolbar-menu[data-menu="project"]').click();
      await page.locator('button[data-action="paste-micropython"]').click();
      const area = page.locator('textarea[data-input="paste-python"]');
      await area.fill('print("hi")\nif x ==:\n    pass\n');
      await page.locator('button[data-action="open-pasted-python"]').click();
      const error = page.locator('[data-paste-error]');
      await error.waitFor({ timeout: DEADLINE });
      assert.match(await error.innerText(), /line 2, column \d+/);
      assert.deepEqual(await blockTypes(), before, 'the blocks are as they were');

      await area.fill('import network\nnetwork.WLAN(network.STA_IF).active(True)\nprint("hi")\n');
      await page.locator('button[data-action="open-pasted-python"]').click();
      await waitForBlock('micropython_code');
      assert.match(await notice(), /1 part\(s\) of this program could not become blocks/);
      const warning = await page.evaluate(() => {
        const block = document
          .querySelector('iot-studio')!
          .editor!.workspace!.getBlocksByType('micropython_code')[0];
        return (
          block.getIcon('warning') as unknown as { getText(): string } | undefined
        )?.getText();
      });
      assert.match(String(warning), /runs only on the real board/);
      // Run does not pretend: the program stops at the block and says why.
      await page.locator('button[data-action="run"]').click();
      await page
        .locator('message-console')
        .getByText(/runs only on the real board/)
        .first()
        .waitFor({ timeout: DEADLINE });
    },
  );

  it('says so when a project file holds hand-written MicroPython', LIMIT, async () => {
    await page.locator('input[data-input="open"]').setInputFiles({
      name: 'shared.json',
      mimeType: 'application/json',
      buffer: Buffer.from(
        JSON.stringify(
          projectWith([
            { type: 'micropython_code', id: 'code', extraState: { code: 'machine.reset()' } },
          ]),
        ),
      ),
    });
    await waitForBlock('micropython_code');
    assert.match(await notice(), /contains hand-written MicroPython/);
  });

  it(
    'edits the MicroPython tab: text that parses becomes the blocks, Undo brings them back, an error shows its line',
    LIMIT,
    async () => {
      await page.goto(`${studio.url}?example=onenet-rgb`);
      await waitForBlock('mqtt_connect');
      await saved();
      /** The first "set all LEDs" block's colour. */
      const colour = () =>
        page.evaluate(() => {
          const block = document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlocksByType('rgb_fill')[0];
          return ['RED', 'GREEN', 'BLUE'].map((n) =>
            block.getInputTargetBlock(n)?.getFieldValue('NUM'),
          );
        });
      assert.deepEqual(await colour(), [50, 0, 0]);
      const panel = page.locator('code-panel');
      await panel.locator('button[data-action="edit-micropython"]').click();
      const area = panel.locator('textarea[data-input="micropython-edit"]');
      const text = await area.inputValue();
      assert.ok(text.includes('rgb.fill((50, 0, 0))'));
      await area.fill(text.replace('rgb.fill((50, 0, 0))', 'rgb.fill((0, 50, 0))'));
      await panel.locator('button[data-action="apply-micropython"]').click();
      await page.waitForFunction(
        () =>
          document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlocksByType('rgb_fill')[0]
            ?.getInputTargetBlock('GREEN')
            ?.getFieldValue('NUM') === 50,
        undefined,
        { timeout: DEADLINE },
      );
      assert.deepEqual(await colour(), [0, 50, 0]);
      await page.locator('button[data-action="undo"]').click();
      await page.waitForFunction(
        () =>
          document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlocksByType('rgb_fill')[0]
            ?.getInputTargetBlock('RED')
            ?.getFieldValue('NUM') === 50,
        undefined,
        { timeout: DEADLINE },
      );
      assert.deepEqual(await colour(), [50, 0, 0], 'Undo brings the blocks before the edit back');

      const before = await blockTypes();
      await panel.locator('button[data-action="edit-micropython"]').click();
      await area.fill('print(1)\nif msg ==:\n    pass\n');
      await panel.locator('button[data-action="apply-micropython"]').click();
      const error = panel.locator('[data-edit-error="2"]');
      await error.waitFor({ timeout: DEADLINE });
      assert.match(await error.innerText(), /Line 2, column \d+/);
      assert.deepEqual(await blockTypes(), before, 'the blocks are as they were');
    },
  );
});
