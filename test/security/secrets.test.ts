// Issue 14, row "Secrets in shared files", against the real `npm start` server in Chromium:
// Project → "Save a copy to share" writes a file without the WiFi password, the MQTT password, the
// OneNET device key or a password in the custom broker address, and lists what it left out; the
// file opened elsewhere warns on exactly those blocks until a value is typed in; a new OneNET
// connect block's login works for ONENET_EXPIRY_DAYS from today, not until 2030.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  launchChromium,
  openProjectFile,
  projectWith,
  startTestStudio,
  waitForStudio,
} from '../e2e/studio.ts';

const LIMIT = { timeout: 120_000 };
/** How long a new OneNET login works: `ONENET_EXPIRY_DAYS` in src/onenet/device.ts. */
const EXPIRY_DAYS = 90;

const SECRETS = ['wifi-secret-1', 'mqtt-secret-2', 'b25lbmV0LWtleS0z', 'broker-secret-4'];
const LEFT_OUT = /left out of this shared copy/;

/** A project holding every kind of secret, and an open WiFi whose empty password is no secret. */
const PROJECT = projectWith(
  [
    {
      type: 'wifi_connect',
      id: 'wifi',
      x: 20,
      y: 20,
      fields: { SSID: 'school', PASSWORD: 'wifi-secret-1' },
      next: {
        block: {
          type: 'mqtt_connect',
          id: 'mqtt',
          fields: {
            SERVER: 'broker.local',
            PORT: 1883,
            CLIENT_ID: 'board-1',
            USERNAME: 'class-user',
            PASSWORD: 'mqtt-secret-2',
            KEEPALIVE: 60,
          },
          next: { block: { type: 'mqtt_listen_forever', id: 'listen' } },
        },
      },
    },
    {
      type: 'wifi_connect',
      id: 'open-wifi',
      x: 20,
      y: 320,
      fields: { SSID: 'cafe', PASSWORD: '' },
      next: {
        block: {
          type: 'onenet_connect',
          id: 'onenet',
          fields: {
            PRODUCT_ID: 'prod1',
            DEVICE_NAME: 'lamp',
            KEY: 'b25lbmV0LWtleS0z',
            METHOD: 'sha256',
            EXPIRES: '2035-12-31',
          },
        },
      },
    },
  ],
  { kind: 'custom', url: 'ws://teacher:broker-secret-4@127.0.0.1:9/mqtt' },
);

describe('Secrets in shared files', () => {
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

  /** Chooses a Project menu item. */
  async function projectMenu(on: Page, action: string): Promise<void> {
    await on.locator('toolbar-menu[data-menu="project"]').click();
    await on.locator(`[data-action="${action}"]`).click();
  }

  /** The file a Project menu item downloads: its name and text. */
  async function download(on: Page, action: string): Promise<{ name: string; text: string }> {
    const downloading = on.waitForEvent('download', { timeout: DEADLINE });
    await projectMenu(on, action);
    const file = await downloading;
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  }

  /** Block id → the warning it shows now, for every block that shows one. */
  function warnings(on: Page): Promise<Record<string, string>> {
    return on.evaluate(() => {
      const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
      const shown: Record<string, string> = {};
      for (const block of workspace.getAllBlocks(false)) {
        const icon = block.getIcon('warning') as { getText?: () => string } | undefined;
        const text = icon?.getText?.();
        if (text) shown[block.id] = text;
      }
      return shown;
    });
  }

  /** The ids of the blocks whose warning says a value was left out, once there are `count`. */
  async function leftOut(on: Page, count: number): Promise<string[]> {
    await on.waitForFunction(
      (count) => {
        const workspace = document.querySelector('iot-studio')?.editor?.workspace;
        const shown = (workspace?.getAllBlocks(false) ?? []).filter((block) =>
          /left out of this shared copy/.test(
            (block.getIcon('warning') as { getText?: () => string } | undefined)?.getText?.() ?? '',
          ),
        );
        return shown.length === count;
      },
      count,
      { timeout: DEADLINE },
    );
    const shown = await warnings(on);
    return Object.keys(shown)
      .filter((id) => LEFT_OUT.test(shown[id]))
      .sort();
  }

  it(
    'a copy to share has no password or key, lists what it left out, and only those blocks warn',
    LIMIT,
    async () => {
      await page.goto(studio.url);
      await openProjectFile(page, PROJECT, { id: 'onenet', field: 'KEY', value: SECRETS[2] });

      // Save to a file stays as it was: the whole project, secrets and all.
      const full = await download(page, 'save');
      for (const secret of SECRETS) assert.ok(full.text.includes(secret), secret);
      assert.equal(JSON.parse(full.text).blanked, undefined);

      const shared = await download(page, 'save-shared');
      assert.match(shared.name, /^Test.*\.json$/);
      assert.notEqual(shared.name, full.name);
      for (const secret of SECRETS) assert.ok(!shared.text.includes(secret), secret);
      const file = JSON.parse(shared.text);
      assert.equal(file.format, 'iot-blocks-project');
      assert.equal(file.version, 1);
      const byKey = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
      assert.deepEqual([...file.blanked].sort(byKey), [
        { block: 'mqtt', field: 'PASSWORD' },
        { block: 'onenet', field: 'KEY' },
        { block: 'wifi', field: 'PASSWORD' },
        { field: 'password', setting: 'browserBroker' },
      ]);
      // The username is no secret and stays, in the block and in the broker address.
      assert.ok(shared.text.includes('class-user'));
      assert.equal(file.settings.browserBroker.url, 'ws://teacher@127.0.0.1:9/mqtt');
      // The open project itself keeps its secrets.
      assert.equal(
        await page.evaluate(() =>
          document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlockById('wifi')!
            .getFieldValue('PASSWORD'),
        ),
        'wifi-secret-1',
      );
      assert.deepEqual(await leftOut(page, 0), []);

      // A classmate opens the copy in their own browser.
      const other = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      try {
        const classmate = await other.newPage();
        await classmate.goto(studio.url);
        await openProjectFile(classmate, file, { id: 'onenet', field: 'KEY', value: '' });
        assert.deepEqual(await leftOut(classmate, 3), ['mqtt', 'onenet', 'wifi']);
        const shown = await warnings(classmate);
        assert.equal(
          shown.wifi,
          'The password was left out of this shared copy: type it in.',
          'the WiFi block says what to do',
        );
        // The open WiFi's empty password was never a secret: no warning about it.
        assert.doesNotMatch(shown['open-wifi'] ?? '', LEFT_OUT);
        assert.match(
          await classmate.locator('.notice > span').innerText(),
          /password in the broker address was left out/,
        );

        // Typing the password in takes that block's warning away, and it stays away.
        await classmate.locator('[data-id="wifi"] > .blocklyEditableField').nth(1).click();
        const editor = classmate.locator('.blocklyWidgetDiv input');
        await editor.waitFor({ timeout: DEADLINE });
        await editor.fill('my-own-wifi-password');
        await editor.press('Enter');
        assert.deepEqual(await leftOut(classmate, 2), ['mqtt', 'onenet']);
        await classmate
          .locator('iot-studio[data-save-state="saved"]')
          .waitFor({ state: 'attached', timeout: DEADLINE });
        await classmate.reload();
        await waitForStudio(classmate);
        assert.deepEqual(await leftOut(classmate, 2), ['mqtt', 'onenet']);
      } finally {
        await other.close();
      }
    },
  );

  it(
    'a new OneNET connect block’s login works until today + the default, not 2030',
    LIMIT,
    async () => {
      await page.goto(`${studio.url}?example=onenet-rgb-today`);
      await page.waitForFunction(
        () =>
          document
            .querySelector('iot-studio')
            ?.editor?.workspace?.getBlocksByType('onenet_connect', false).length,
        null,
        { timeout: DEADLINE },
      );
      const dates = await page.evaluate((days) => {
        const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
        // The example's own block keeps the date it was saved with.
        const example = workspace.getBlocksByType('onenet_connect', false)[0];
        // The toolbox's OneNET category: the block a child drags out.
        const toolbox = workspace.getToolbox() as unknown as {
          getToolboxItems(): { getName?: () => string }[];
          setSelectedItem(item: unknown): void;
        };
        const category = toolbox
          .getToolboxItems()
          .find((item) => /OneNET/.test(item.getName?.() ?? ''));
        toolbox.setSelectedItem(category);
        const offered = workspace
          .getFlyout()!
          .getWorkspace()
          .getBlocksByType('onenet_connect', false)[0]
          .getFieldValue('EXPIRES');
        const made = workspace.newBlock('onenet_connect');
        const result = {
          offered,
          made: made.getFieldValue('EXPIRES'),
          example: example.getFieldValue('EXPIRES'),
          // Made a moment ago: just before midnight it may be one day earlier.
          today: [-1, 0]
            .map((early) => new Date(Date.now() + (days + early) * 86_400_000))
            .map((date) =>
              [date.getFullYear(), date.getMonth() + 1, date.getDate()]
                .map((n) => String(n).padStart(2, '0'))
                .join('-'),
            ),
        };
        made.dispose();
        return result;
      }, EXPIRY_DAYS);
      assert.equal(dates.example, '2035-12-31');
      assert.ok(dates.today.includes(dates.made), `${dates.made} is not in ${dates.today}`);
      assert.ok(dates.today.includes(dates.offered), `${dates.offered} is not in ${dates.today}`);
    },
  );
});
