// Lines already in Messages follow a language switch (issue 18, item 4): the studio's own lines
// ("Program started.") and the runtime's sentences (an error from the Worker) are kept as what to
// say, not as text of the moment, and are worded again in the new language; what the child's
// program printed stays exactly as printed. The real server and the built studio in Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Language } from '../../src/i18n/language.ts';
import { en as appEn, zhHans as appZh } from '../../src/app/strings.ts';
import { en as consoleEn, zhHans as consoleZh } from '../../src/console/strings.ts';
import { runtimeStringMaps } from '../../src/runtime/strings.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  launchChromium,
  openProjectFile,
  projectWith,
  startTestStudio,
} from './studio.ts';

const LIMIT = { timeout: 120_000 };

/** The child's own text: printed as it is in every language. */
const PRINTED = 'hello 你好 "on"';

/** The WiFi the program joins: the runtime's own line says the browser needs none. */
const SSID = 'school';

/**
 * Joins WiFi (a line of the runtime's), prints PRINTED, then publishes without connecting first:
 * an error from the runtime.
 */
const project = projectWith([
  {
    type: 'wifi_connect',
    id: 'wifi',
    x: 20,
    y: 20,
    fields: { SSID, PASSWORD: 'secret' },
    next: {
      block: {
        type: 'text_print',
        id: 'say',
        inputs: { TEXT: { block: { type: 'text', id: 'words', fields: { TEXT: PRINTED } } } },
        next: {
          block: {
            type: 'mqtt_publish',
            id: 'publish',
            inputs: {
              MESSAGE: { shadow: { type: 'text', fields: { TEXT: 'hi' } } },
              TOPIC: { shadow: { type: 'text', fields: { TEXT: 'room' } } },
            },
          },
        },
      },
    },
  },
]);

/** What Messages should show, line by line (kind badge and text), in `language`. */
function expected(language: Language): string[] {
  const app = language === 'en' ? appEn : appZh;
  const kinds = language === 'en' ? consoleEn : consoleZh;
  const runtime = runtimeStringMaps[language];
  return [
    `${kinds.kindInfo} ${app.programStarted}`,
    `${kinds.kindPrint} ${runtime.wifiAlreadyOnline(SSID)}`,
    `${kinds.kindPrint} ${PRINTED}`,
    `${kinds.kindError} ${runtime.connectFirst(runtime.actionPublish)} ${kinds.showBlock}`,
    `${kinds.kindInfo} ${app.programEnded}`,
  ];
}

/** The program's lines in Messages as a person reads them: badge, text, button. */
function shownLines(page: Page): Promise<string[]> {
  return page
    .locator('message-console .entry[data-kind]:not([data-kind="message"]) .content')
    .evaluateAll((lines) =>
      lines.map((line) => (line.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
}

/** Waits until Messages shows exactly `lines`. */
async function waitForLines(page: Page, lines: string[]): Promise<void> {
  const end = Date.now() + DEADLINE;
  let shown: string[] = [];
  while (Date.now() < end) {
    shown = await shownLines(page);
    if (JSON.stringify(shown) === JSON.stringify(lines)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(shown, lines);
}

/** Clicks the language switch's button for `language`. */
async function switchTo(page: Page, language: Language): Promise<void> {
  await page.locator(`iot-studio language-switch [data-language="${language}"]`).first().click();
  await page
    .locator(`html[lang="${language === 'en' ? 'en' : 'zh-Hans'}"]`)
    .waitFor({ state: 'attached', timeout: DEADLINE });
}

describe('Messages after a language switch', () => {
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

  it('words the studio’s and the runtime’s lines again; printed text stays', LIMIT, async () => {
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    await page.goto(studio.url);
    await openProjectFile(page, project, { id: 'words', field: 'TEXT', value: PRINTED });
    await page.locator('[data-action="run"]').click();
    await waitForLines(page, expected('zh-hans'));

    await switchTo(page, 'en');
    await waitForLines(page, expected('en'));

    await switchTo(page, 'zh-hans');
    await waitForLines(page, expected('zh-hans'));
    await context.close();
  });
});
