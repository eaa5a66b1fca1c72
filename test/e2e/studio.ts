// End-to-end set-up shared by the e2e tests: the real `npm start` server (built if stale) and a
// headless Chromium driven by playwright-core.
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildIfStale } from '../../src/server/build.ts';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';
import WebSocket from 'ws';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Generous deadline for outcomes on a slow, noisy machine. */
export const DEADLINE = 20_000;

/** Builds the studio if needed and serves it on free ports, with the lines it printed. */
export async function startTestStudio(): Promise<{ studio: Studio; lines: string[] }> {
  const lines: string[] = [];
  await buildIfStale(ROOT, (line) => lines.push(line));
  const studio = await startStudio({
    root: ROOT,
    port: 0,
    mqttPort: 0,
    host: '127.0.0.1',
    log: (line) => lines.push(line),
  });
  return { studio, lines };
}

/** Headless Chromium from Debian's package, kept off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-setuid-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The colour LED `index` shows now, as its `data-rgb`. */
export function ledColour(page: Page, index: number): Promise<string | null> {
  return page.locator(`virtual-board [data-led="${index}"]`).getAttribute('data-rgb');
}

/** Waits until all three LEDs show `rgb` (e.g. `50,0,0`). */
export async function waitForLeds(page: Page, rgb: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const board = document
        .querySelector('iot-studio')
        ?.shadowRoot?.querySelector('virtual-board');
      const leds = board?.shadowRoot?.querySelectorAll('[data-led]') ?? [];
      return (
        leds.length === 3 && [...leds].every((led) => led.getAttribute('data-rgb') === expected)
      );
    },
    rgb,
    { timeout: DEADLINE },
  );
}

/** Waits until the board's indicator says online (or offline). */
export async function waitForOnline(page: Page, online = true): Promise<void> {
  await page
    .locator(`virtual-board [data-online="${online}"]`)
    .waitFor({ state: 'attached', timeout: DEADLINE });
}

/** Waits until `check()` is true, polling; fails with `what` after `deadline` ms. */
export async function eventually(
  check: () => boolean,
  what: string,
  deadline = DEADLINE,
): Promise<void> {
  const end = Date.now() + deadline;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the studio on `page` has its block editor (its module loads after the page). */
export async function waitForStudio(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('iot-studio')?.editor?.workspace, null, {
    timeout: DEADLINE,
  });
}

/** Opens a project (its JSON text) in the studio on `page`; fails if the studio refuses it. */
export async function openProject(page: Page, project: object): Promise<void> {
  await waitForStudio(page);
  const problem = await page.evaluate(
    (text) => document.querySelector('iot-studio')!.openProject(text),
    JSON.stringify(project),
  );
  if (problem) throw new Error(problem);
}

/**
 * Opens a project as a child does, through Project → Open's file input
 * (`input[data-input="open"]`), and waits until its blocks are in the editor: `marker` is the id
 * of one of its blocks, and `field` a field of it with the value this project gives it.
 */
export async function openProjectFile(
  page: Page,
  project: object,
  marker: { id: string; field: string; value: string | number },
): Promise<void> {
  await waitForStudio(page);
  await page.locator('input[data-input="open"]').setInputFiles({
    name: 'project.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(project)),
  });
  await page.waitForFunction(
    ({ id, field, value }) =>
      document
        .querySelector('iot-studio')
        ?.editor?.workspace?.getBlockById(id)
        ?.getFieldValue(field) === value,
    marker,
    { timeout: DEADLINE },
  );
}

/** A project file holding `blocks` (Blockly JSON) and a browser-broker setting. */
export function projectWith(blocks: object[], browserBroker: object = { kind: 'embedded' }) {
  return {
    format: 'iot-blocks-project',
    version: 1,
    settings: { name: 'Test', browserBroker },
    workspace: { blocks: { languageVersion: 0, blocks } },
  };
}

/** Opens a WebSocket with exactly these headers; resolves with the status that answered it. */
export function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: DEADLINE });
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', (error) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}
