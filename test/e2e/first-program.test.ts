// A child's first program with a mouse, in Chinese, at 1280×720: the tutorial's lamp (WiFi,
// connect, listen forever, "when a message arrives" with "if the message is on / off") built from
// an empty workspace with real drags out of the WiFi, MQTT and RGB categories only, two numbers
// and one word typed, then Run, `on` and `off` from Messages. It counts the drags (the target is
// 8 or fewer) and checks the program is the tutorial's: its MicroPython answers as the example's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { LANGUAGE_STORAGE_KEY } from '../../src/i18n/language.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  launchChromium,
  startTestStudio,
  waitForLeds,
  waitForOnline,
  waitForStudio,
} from './studio.ts';
import { Child, connectionOf, idsOf, inWorkspace, shape } from './mouse-child.ts';

describe("a child's first program, with a mouse", () => {
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

  it('the tutorial’s lamp from WiFi, MQTT and RGB in 8 drags; on turns it red, off dark', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(
      ([key, value]) => localStorage.setItem(key, value),
      [LANGUAGE_STORAGE_KEY, 'zh-hans'],
    );
    const page = await context.newPage();
    try {
      await page.goto(studio.url);
      await waitForStudio(page);
      assert.deepEqual(await shape(page), [], 'an empty workspace');
      const child = new Child(page);
      const canvas = (await page.locator('block-editor .blocklyMainBackground').boundingBox())!;
      const toolbox = (await page.locator('block-editor .blocklyToolbox').boundingBox())!;
      const left = toolbox.x + toolbox.width + 60;

      await child.open('WiFi 网络');
      await child.drag('wifi_connect', { x: left, y: canvas.y + 30 });
      const [wifi] = await idsOf(page, 'wifi_connect');

      await child.open('MQTT 消息');
      await child.drag('mqtt_connect', await connectionOf(page, wifi));
      const [connect] = await idsOf(page, 'mqtt_connect');
      await child.open('MQTT 消息');
      await child.drag('mqtt_listen_forever', await connectionOf(page, connect));

      const bottom = await inWorkspace<number>(
        page,
        `return screen(0, ws.getBlocksBoundingBox().bottom).y;`,
      );
      await child.open('MQTT 消息');
      await child.drag('mqtt_on_message', { x: left, y: bottom + 40 });
      const [handler] = await idsOf(page, 'mqtt_on_message');
      await child.open('MQTT 消息');
      await child.drag('mqtt_if_message', await connectionOf(page, handler, 'DO'));
      const [ifOn] = await idsOf(page, 'mqtt_if_message');

      await child.open('RGB 灯');
      await child.drag('rgb_fill', await connectionOf(page, ifOn, 'DO'));
      await child.open('MQTT 消息');
      await child.drag('mqtt_if_message', await connectionOf(page, ifOn));
      const ifOff = (await idsOf(page, 'mqtt_if_message')).find((id) => id !== ifOn)!;
      await child.open('RGB 灯');
      await child.drag('rgb_off', await connectionOf(page, ifOff, 'DO'));

      const [fill] = await idsOf(page, 'rgb_fill');
      const red = await inWorkspace<string>(
        page,
        `return ws.getBlockById(arg).getInputTargetBlock('RED').id;`,
        fill,
      );
      await child.type(red, 'NUM', '50');
      await child.type(ifOff, 'TEXT', 'off');

      assert.deepEqual(await shape(page), [
        'mqtt_connect in wifi_connect.next',
        'mqtt_if_message=off in mqtt_if_message.next',
        'mqtt_if_message=on in mqtt_on_message.DO',
        'mqtt_listen_forever in mqtt_connect.next',
        'mqtt_on_message in top',
        'rgb_fill in mqtt_if_message.DO',
        'rgb_off in mqtt_if_message.DO',
        'wifi_connect in top',
      ]);
      console.log(`# the tutorial's program with the mouse: ${child.drags} drags`);
      assert.ok(child.drags <= 8, `${child.drags} drags`);

      // The code the studio shows under Code → MicroPython (read, not changed), once it has
      // caught up with the last drop (Blockly reports a change after the task that made it);
      // if it never does, the assertions below show what it shows.
      const on = /if msg == b"on":\n\s+rgb\.fill\(\(50, 0, 0\)\)/;
      const off = /if msg == b"off":\n\s+rgb\.fill\(\(0, 0, 0\)\)/;
      await page
        .waitForFunction(
          ([on, off]) => {
            const panel = document
              .querySelector('iot-studio')!
              .shadowRoot!.querySelector('code-panel');
            const code = panel?.micropython?.code ?? '';
            return new RegExp(on).test(code) && new RegExp(off).test(code);
          },
          [on.source, off.source] as const,
          { timeout: DEADLINE },
        )
        .catch(() => {});
      const code = await page.evaluate(
        () =>
          document.querySelector('iot-studio')!.shadowRoot!.querySelector('code-panel')!.micropython
            ?.code ?? '',
      );
      assert.match(code, on);
      assert.match(code, off);

      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);
      await page.locator('[data-tab="messages"]').click();
      await page.locator('[data-action="send-on"]').click();
      await waitForLeds(page, '50,0,0');
      await page.locator('[data-action="send-off"]').click();
      await waitForLeds(page, '0,0,0');
    } finally {
      await context.close();
    }
  });
});
