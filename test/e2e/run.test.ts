// A child's Run, end to end: the real server (`npm start`'s code) with its aedes broker, the
// built studio in headless Chromium, the generated program in its Worker, the virtual board.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  eventually,
  launchChromium,
  openProject,
  projectWith,
  startTestStudio,
  waitForLeds,
  waitForOnline,
} from './studio.ts';

describe('Run against the studio’s own broker', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('the seed’s program lights the LEDs on `on` and turns them off on `off`', async () => {
    // A watcher on cmd/# sees what the console sends.
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${studio.mqttPort}`);
    const seen: string[] = [];
    watcher.on('message', (topic, payload) => seen.push(`${topic} ${payload}`));
    await watcher.subscribeAsync('cmd/#');
    try {
      await page.goto(`${studio.url}?example=onenet-rgb`);
      // The studio opens the example, then takes the parameter out of the address.
      await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);

      // Once from the console panel, as a child does…
      await page.locator('[data-tab="messages"]').click();
      await page.locator('[data-action="send-on"]').click();
      await waitForLeds(page, '50,0,0');
      await page.locator('[data-action="send-off"]').click();
      await waitForLeds(page, '0,0,0');
      await eventually(
        () => seen.includes('cmd/deviceID on') && seen.includes('cmd/deviceID off'),
        'the console’s messages on the broker',
      );

      // …and once from a separate MQTT client over TCP, as OneNET's page or a board would.
      const sender = await mqtt.connectAsync(`mqtt://127.0.0.1:${studio.mqttPort}`);
      await sender.publishAsync('cmd/deviceID', 'on');
      await waitForLeds(page, '50,0,0');
      await sender.publishAsync('cmd/deviceID', 'off');
      await waitForLeds(page, '0,0,0');
      await sender.endAsync();
    } finally {
      await watcher.endAsync();
    }
  });

  it('Messages: one line per send; a client ID changed while running is told, and run again', async () => {
    await page.goto(`${studio.url}?example=onenet-rgb`);
    await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await page.locator('[data-tab="messages"]').click();
    const on = page.locator('[data-action="send-on"]');
    await on.click();
    await waitForLeds(page, '50,0,0');
    // The broker's direct delivery is inside the send's line, not a second line.
    const sent = page.locator('message-console .entry[data-kind="message"]');
    await sent.locator('.delivered').waitFor({ timeout: DEADLINE });
    assert.deepEqual(await sent.locator('.topic').allTextContents(), ['cmd/deviceID']);
    assert.equal(
      (await sent.locator('.delivered').textContent())?.trim(),
      'delivered directly to deviceID',
    );

    // The child edits the client ID while the program runs.
    await page.evaluate(() =>
      document
        .querySelector('iot-studio')!
        .editor!.program!.getBlocksByType('mqtt_connect', false)[0]
        .setFieldValue('board-7', 'CLIENT_ID'),
    );
    const note = page.locator('message-console [data-note="id-changed"]');
    await note.waitFor({ timeout: DEADLINE });
    assert.match((await note.textContent()) ?? '', /still connected as “deviceID”/);
    // on still reaches the running program.
    await page.locator('[data-action="send-off"]').click();
    await waitForLeds(page, '0,0,0');

    // Stop and Run: the program is board-7, the notice goes, on reaches it.
    await page.locator('[data-action="stop"]').click();
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await note.waitFor({ state: 'detached', timeout: DEADLINE });
    await page.locator('[data-action="send-on"]:not([disabled])').click({ timeout: DEADLINE });
    await waitForLeds(page, '50,0,0');
    await page.locator('[data-action="stop"]').click();
  });

  it('an error names its block in Messages and selects that block', async () => {
    await page.goto(studio.url);
    const project = projectWith([
      {
        type: 'text_print',
        id: 'broken-print',
        inputs: {
          TEXT: {
            block: {
              type: 'text_length',
              inputs: { VALUE: { block: { type: 'variables_get', fields: { VAR: { id: 'x' } } } } },
            },
          },
        },
      },
    ]);
    (project.workspace as Record<string, unknown>).variables = [{ name: 'x', id: 'x' }];
    await openProject(page, project);
    await page.locator('[data-action="run"]').click();
    const error = page.locator('message-console .entry[data-kind="error"]');
    await error.waitFor({ timeout: DEADLINE });
    assert.equal(
      await error.locator('[data-action="show-block"]').getAttribute('data-block-id'),
      'broken-print',
    );
    // Blockly marks the selected block's SVG group.
    await page.locator('g.blocklySelected[data-id="broken-print"]').waitFor({ timeout: DEADLINE });
  });

  it('Stop ends an endless loop and the page answers', async () => {
    await page.goto(studio.url);
    await openProject(
      page,
      projectWith([
        {
          type: 'controls_whileUntil',
          fields: { MODE: 'WHILE' },
          inputs: { BOOL: { block: { type: 'logic_boolean', fields: { BOOL: 'TRUE' } } } },
        },
      ]),
    );
    await page.locator('[data-action="run"]').click();
    await page.locator('[data-action="stop"]:not([disabled])').waitFor({ timeout: DEADLINE });
    await page.locator('[data-action="stop"]').click();
    await page.locator('[data-action="stop"][disabled]').waitFor({ timeout: DEADLINE });
    assert.equal(await page.evaluate(() => 6 * 7), 42, 'the page still runs scripts');
  });

  it('twenty Run/Stop cycles leave no client of ours connected', async () => {
    await page.goto(`${studio.url}?example=onenet-rgb`);
    for (let i = 0; i < 20; i++) {
      await page.locator('[data-action="run"]').click();
      if (i % 4 === 0) await waitForOnline(page);
      await page.locator('[data-action="stop"]').click();
    }
    await eventually(() => studio.broker.online().length === 0, 'every client to disconnect');
    assert.deepEqual(studio.broker.online(), []);
  });
});
