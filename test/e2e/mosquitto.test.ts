// Interoperability: the browser program against Mosquitto (apt's binary, WebSocket listener),
// lit by a message from `mosquitto_pub`. Mosquitto has no OneNET-style direct delivery, so the
// program subscribes to its topic.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  launchChromium,
  openProject,
  projectWith,
  startTestStudio,
  waitForLeds,
  waitForOnline,
} from './studio.ts';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];

/** A port that was free a moment ago (Mosquitto cannot be told to pick one itself). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Tries to connect until Mosquitto answers. */
async function waitForBroker(url: string): Promise<void> {
  const end = Date.now() + DEADLINE;
  for (;;) {
    try {
      const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 2000 });
      await client.endAsync();
      return;
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('Run against Mosquitto', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  let mosquitto: ChildProcess;
  let dir: string;
  let tcpPort: number;
  let wsPort: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iot-blocks-mosquitto-'));
    [tcpPort, wsPort] = [await freePort(), await freePort()];
    const config = join(dir, 'mosquitto.conf');
    await writeFile(
      config,
      [
        'allow_anonymous true',
        `listener ${tcpPort} 127.0.0.1`,
        `listener ${wsPort} 127.0.0.1`,
        'protocol websockets',
        '',
      ].join('\n'),
    );
    const binary = MOSQUITTO.find((path) => existsSync(path));
    assert.ok(binary, 'Mosquitto is installed (apt-get install mosquitto)');
    mosquitto = spawn(binary, ['-c', config], { stdio: 'ignore' });
    await waitForBroker(`mqtt://127.0.0.1:${tcpPort}`);
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    mosquitto?.kill();
    await rm(dir, { recursive: true, force: true });
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
