// OneNET today, practised without an account: the real server and its broker, the built studio
// in headless Chromium. The example's program logs in with its token; a command sent from the
// Messages panel reaches it on OneNET's request topic with a fresh command ID, lights the LEDs,
// and the answer goes back on the response topic with the same ID, where the broker accepts it
// as OneNET does; the panel shows both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  eventually,
  launchChromium,
  startTestStudio,
  waitForLeds,
  waitForOnline,
} from './studio.ts';

const DEVICE = '$sys/productID/lamp';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('the OneNET example against the studio’s broker', () => {
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

  it('a command from the Messages panel lights the LEDs and is answered with its own ID', async () => {
    // A watcher over TCP sees the platform's topics, as a OneNET application would.
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${studio.mqttPort}`);
    const seen: { topic: string; text: string }[] = [];
    watcher.on('message', (topic, payload) => seen.push({ topic, text: payload.toString() }));
    await watcher.subscribeAsync(`${DEVICE}/#`);
    try {
      await page.goto(`${studio.url}?example=onenet-rgb-today`);
      await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);

      // The device logs in as "lamp"; a child picks it under Messages and presses "on".
      await page.locator('[data-tab="messages"]').click();
      await page.locator('message-console [data-device="lamp"]').click({ timeout: DEADLINE });
      await page.locator('[data-action="send-on"]').click();
      await waitForLeds(page, '50,0,0');

      const request = new RegExp(`^\\${DEVICE}/cmd/request/(${UUID.source})$`);
      let id = '';
      await eventually(() => {
        id = seen.map((m) => request.exec(m.topic)?.[1]).find(Boolean) ?? '';
        return id !== '';
      }, 'the command on its request topic');
      const response = `${DEVICE}/cmd/response/${id}`;
      await eventually(
        () => seen.some((m) => m.topic === response && m.text === 'ok'),
        'the answer on the response topic, with the same ID',
      );
      await eventually(
        () => seen.some((m) => m.topic === `${response}/accepted`),
        'the broker accepting the answer, as OneNET does',
      );
      // The panel shows the command and the answer.
      const topics = page.locator('message-console .entry[data-kind="message"] .topic');
      await topics
        .filter({ hasText: `${DEVICE}/cmd/response/${id}` })
        .first()
        .waitFor({ timeout: DEADLINE });
      await topics
        .filter({ hasText: `${DEVICE}/cmd/request/${id}` })
        .first()
        .waitFor({ timeout: DEADLINE });

      await page.locator('[data-action="send-off"]').click();
      await waitForLeds(page, '0,0,0');
      await eventually(
        () => seen.filter((m) => m.topic.startsWith(`${DEVICE}/cmd/response/`)).length >= 2,
        'the second answer',
      );
      // Two commands, two command IDs.
      const ids = new Set(seen.map((m) => request.exec(m.topic)?.[1]).filter(Boolean));
      assert.equal(ids.size, 2);
    } finally {
      await watcher.endAsync();
    }
  });
});
