// Accessibility of the studio, checked by axe-core in headless Chromium against the real
// `npm start` server: the OneNET example open and running, its LEDs lit from Messages, in Chinese
// and in English. Our own controls and elements must have no finding; Blockly's injected
// workspace is left out (its findings are printed, for the record) and the board's live region
// must have said what changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGE_STORAGE_KEY, type Language } from '../../src/i18n/language.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForLeds, waitForOnline } from './studio.ts';

/** What Blockly injects: its workspace, toolbox, flyout and the divs it floats over the page. */
const BLOCKLY = [
  '.blocklySvg',
  '.blocklyToolboxDiv',
  '.blocklyToolbox',
  '.blocklyFlyout',
  '.blocklyWidgetDiv',
  '.blocklyDropDownDiv',
  '.blocklyTooltipDiv',
  // Blockly measures text on a canvas it appends to <body>.
  '.blocklyComputeCanvas',
];

/** What the board's live region has said, newest last. */
function boardSaid(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const board = document.querySelector('iot-studio')?.shadowRoot?.querySelector('virtual-board');
    const region = board?.shadowRoot?.querySelector('[aria-live="polite"]');
    return [...(region?.children ?? [])].map((p) => p.textContent ?? '');
  });
}

/** The element keyboard focus is on, through open shadow roots: a name for it and its focus ring. */
function focused(page: Page): Promise<{ name: string; ring: string } | null> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element || element === document.body) return null;
    const data = (element as HTMLElement | SVGElement).dataset ?? {};
    const name =
      Object.entries(data)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ') ||
      element.getAttribute('aria-label') ||
      element.getAttribute('class') ||
      element.localName;
    // An SVG control shows focus with its own ring; anything else with an outline.
    const ring = element.querySelector(':scope > .focus-ring');
    const style = getComputedStyle(ring ?? element);
    const shown = ring
      ? style.stroke !== 'none' && parseFloat(style.strokeWidth) >= 2
      : style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return { name, ring: shown ? 'visible' : `none (${style.outline})` };
  });
}

/** One line per finding: rule, impact and the elements it names. */
function describeFindings(results: Result[]): string[] {
  return results.map(
    (result) =>
      `${result.id} (${result.impact}): ${result.help} — ` +
      result.nodes.map((node) => JSON.stringify(node.target)).join(', '),
  );
}

const CASES: { lang: Language; leds: string; online: string }[] = [
  { lang: 'zh-hans', leds: 'RGB 灯全部：红（50, 0, 0）', online: '在线' },
  { lang: 'en', leds: 'LEDs red (50, 0, 0)', online: 'online' },
];

describe('accessibility (axe-core) with the OneNET example running', () => {
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

  for (const { lang, leds, online } of CASES) {
    it(`no finding on our own controls, in ${lang}; the board says what changed`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(
        ([key, value]) => localStorage.setItem(key, value),
        [LANGUAGE_STORAGE_KEY, lang],
      );
      const page = await context.newPage();
      try {
        await page.goto(`${studio.url}?example=onenet-rgb`);
        await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
        await page.locator('[data-action="run"]').click();
        await waitForOnline(page);
        await page.locator('[data-tab="messages"]').click();
        await page.locator('[data-action="send-on"]').click();
        await waitForLeds(page, '50,0,0');
        // The live region speaks a moment after each change (it waits for a burst to settle).
        await page.waitForFunction(
          (wanted) => {
            const board = document
              .querySelector('iot-studio')
              ?.shadowRoot?.querySelector('virtual-board');
            const region = board?.shadowRoot?.querySelector('[aria-live="polite"]');
            const said = [...(region?.children ?? [])].map((p) => p.textContent);
            return wanted.every((sentence) => said.includes(sentence));
          },
          [leds, online],
          { timeout: DEADLINE },
        );
        const said = await boardSaid(page);
        assert.ok(said.includes(leds) && said.includes(online), JSON.stringify(said));
        assert.equal(
          await page.evaluate(() => document.documentElement.lang),
          lang === 'en' ? 'en' : 'zh-Hans',
        );

        let ours = new AxeBuilder({ page });
        for (const selector of BLOCKLY) ours = ours.exclude(selector);
        const results = await ours.analyze();
        assert.deepEqual(describeFindings(results.violations), [], 'findings on our own elements');
        assert.ok(results.passes.length > 0, 'axe checked something');

        // Shift+Tab back from Messages' "off" through the side panel and the board: each of our
        // controls is reached and shows where focus is (test/e2e/keyboard.test.ts goes on through
        // Blockly's workspace and the toolbar).
        const reached = new Map<string, string>();
        // From the box after "off", so that Shift+Tab meets "off" and "on" first.
        await page.locator('[data-action="send-off"]').focus();
        await page.keyboard.press('Tab');
        for (let i = 0; i < 40; i++) {
          await page.keyboard.press('Shift+Tab');
          const now = await focused(page);
          if (now) reached.set(now.name, now.ring);
        }
        const wanted = [
          'action=run',
          'button=a',
          'button=b',
          ...['P', 'Y', 'T', 'H', 'O', 'N'].map((pad) => `pad=${pad}`),
          'sensor=light',
          'sensor=sound',
          'setting=announce',
          'setting=browser-broker',
          'tab=messages',
          'action=send-on',
          'action=send-off',
          'action=clear',
        ];
        for (const name of wanted) {
          assert.equal(
            reached.get(name),
            'visible',
            `${name} reached and focus shown (${lang}): ${JSON.stringify([...reached])}`,
          );
        }

        let blockly = new AxeBuilder({ page });
        for (const selector of BLOCKLY) blockly = blockly.include(selector);
        const theirs = await blockly.analyze();
        for (const line of describeFindings(theirs.violations)) {
          console.log(`Blockly's own (${lang}): ${line}`);
        }
      } finally {
        await context.close();
      }
    });
  }
});
