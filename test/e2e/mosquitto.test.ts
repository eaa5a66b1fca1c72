// Interoperability: the browser program against Mosquitto (apt's binary, WebSocket listener),
// lit by a message from `mosquitto_pub`. Mosquitto has no OneNET-style direct delivery, so the
// program subscribes to its topic.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  launchChromium,
  openProject,
  projectWith,
  startTestStudio,
  waitForLeds,
  waitForOnline,
} from './studio.ts';
import { startMosquitto, type Mosquitto } from '../support/mosquitto.ts';

describe('Run against Mosquitto', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  let mosquitto: Mosquitto;
  let tcpPort: number;
  let wsPort: number;

  before(async () => {
    mosquitto = await startMosquitto();
    ({ tcpPort, wsPort } = mosquitto);
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await mosquitto?.stop();
  });

  it('a program that subscribes lights the LEDs on a message from mosquitto_pub', async () => {
    await page.goto(studio.url);
    const fill = (red: number) => ({
      type: 'rgb_fill',
      inputs: {
        RED: { shadow: { type: 'math_number', fields: { NUM: red } } },
        GREEN: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
        BLUE: { shadow: { type: 'math_number', fields: { NUM: 0 } } },
      },
    });
    await openProject(
      page,
      projectWith(
        [
          {
            type: 'mqtt_connect',
            fields: { SERVER: '127.0.0.1', PORT: 1883, CLIENT_ID: 'lamp-1', KEEPALIVE: 60 },
            next: {
              block: {
                type: 'mqtt_subscribe',
                inputs: { TOPIC: { shadow: { type: 'text', fields: { TEXT: 'class/lamp' } } } },
                next: { block: { type: 'mqtt_listen_forever' } },
              },
            },
          },
          {
            type: 'mqtt_on_message',
            inputs: {
              DO: {
                block: {
                  type: 'controls_if',
                  inputs: {
                    IF0: { block: { type: 'mqtt_message_is', fields: { TEXT: '开灯' } } },
                    DO0: { block: fill(50) },
                  },
                },
              },
            },
          },
        ],
        { kind: 'custom', url: `ws://127.0.0.1:${wsPort}/mqtt` },
      ),
    );
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await promisify(execFile)('mosquitto_pub', [
      ...['-h', '127.0.0.1', '-p', String(tcpPort), '-t', 'class/lamp', '-m', '开灯'],
    ]);
    await waitForLeds(page, '50,0,0');
    assert.equal(studio.broker.online().length, 0, 'the studio’s own broker was not used');
  });
});
