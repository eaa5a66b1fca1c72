// Chinese on a machine without a Chinese font (issue 18, item 9), as a child sees it: the built
// studio from the real server in headless Chromium on this machine, whose fonts have no Chinese
// (`fc-list :lang=zh` is empty). Before the studio's font, every Chinese label was empty boxes.
// Chromium's own report of the fonts it drew a node with (CDP `CSS.getPlatformFontsForNode`)
// must name the web font for Chinese in shadow roots (lit elements), in Blockly's toolbox, on
// blocks in the workspace and in the flyout; the font comes from the studio itself.
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForStudio } from './studio.ts';

/** The Chinese fonts this machine has, as fontconfig lists them (none on these machines). */
function systemChineseFonts(): string {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const chineseFonts = systemChineseFonts();

/** One font Chromium drew a node's text with. */
interface PlatformFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/** The fonts Chromium drew the node `expression` (page JavaScript) gives with. */
async function platformFonts(cdp: CDPSession, expression: string): Promise<PlatformFont[]> {
  await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const { result } = await cdp.send('Runtime.evaluate', { expression });
  if (!result.objectId) return [];
  const { nodeId } = await cdp.send('DOM.requestNode', { objectId: result.objectId });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts;
}

/** Chinese characters (those the web font's faces cover) in `text`. */
function chineseIn(text: string): number {
  return (text.match(/[\u2e80-\u9fff\uf900-\ufaff\ufe10-\ufe4f\uff00-\uffef]/gu) ?? []).length;
}

/**
 * Whether the web font (Noto Sans SC, a custom font) drew all `chinese` Chinese characters of a
 * node (its other characters may come from the system's fonts), and at least one.
 */
function webFontDrewChinese(fonts: PlatformFont[], chinese: number): boolean {
  const web = fonts.filter((f) => f.isCustomFont && f.familyName.startsWith('Noto Sans SC'));
  return chinese > 0 && web.reduce((sum, f) => sum + f.glyphCount, 0) >= chinese;
}

/**
 * Waits until the web font drew every Chinese character of the node `expression` gives; fails
 * with what drew it instead.
 */
async function waitForWebFont(cdp: CDPSession, what: string, expression: string): Promise<void> {
  const end = Date.now() + DEADLINE;
  let fonts: PlatformFont[] = [];
  let chinese = 0;
  while (Date.now() < end) {
    const { result } = await cdp.send('Runtime.evaluate', {
      expression: `(${expression})?.textContent ?? ''`,
      returnByValue: true,
    });
    chinese = chineseIn(String(result.value));
    fonts = await platformFonts(cdp, expression);
    if (webFontDrewChinese(fonts, chinese)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what} (${chinese} Chinese characters): drawn with ${JSON.stringify(fonts)}`);
}

/** Page JavaScript: the first element under `root` (shadow roots included) whose text is `text`. */
function byText(text: string): string {
  return `(() => {
    const find = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if ([...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() === ${JSON.stringify(text)})) return el;
        const inner = el.shadowRoot && find(el.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    return find(document);
  })()`;
}

describe(
  'Chinese on a machine without a Chinese font',
  {
    skip: chineseFonts ? `this machine has Chinese fonts (${chineseFonts.split('\n')[0]})` : false,
  },
  () => {
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

    it('draws the 中文 button, then every Chinese label, with the web font from the studio', async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 720 },
        locale: 'en-US',
      });
      const page: Page = await context.newPage();
      const fontRequests: string[] = [];
      page.on('request', (request) => {
        if (/\.woff2?$/.test(new URL(request.url()).pathname)) fontRequests.push(request.url());
      });
      await page.goto(`${studio.url}?example=onenet-rgb`);
      await waitForStudio(page);
      await page
        .locator('html[data-chinese-font="web"]')
        .waitFor({ state: 'attached', timeout: DEADLINE });
      const cdp = await context.newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');

      // In English, the one Chinese word: the button a child clicks for Chinese.
      await waitForWebFont(cdp, 'the 中文 button', byText('中文'));

      await page.locator('language-switch button', { hasText: '中文' }).click();
      // A bold (600) toolbar button in <iot-studio>'s shadow root, a label in <virtual-board>'s.
      await waitForWebFont(cdp, 'the 运行 button', byText('运行'));
      await waitForWebFont(cdp, "the board's 光线 label", byText('光线'));
      // Blockly's toolbox, a block in the workspace, a block in the flyout (SVG text).
      await waitForWebFont(cdp, 'the toolbox label 掌控板', byText('掌控板'));
      await waitForWebFont(cdp, 'the block 当收到消息时', byText('当收到消息时'));
      // Blockly measured the blocks' Chinese labels again in the web font: no text runs over.
      const mismatches = () =>
        page.evaluate(() => {
          const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
          const wrong: string[] = [];
          for (const block of workspace.getAllBlocks(false)) {
            for (const input of block.inputList) {
              for (const field of input.fieldRow) {
                const text = (field as unknown as { textElement_?: SVGTextElement }).textElement_;
                if (!text || !/[\u4e00-\u9fff]/.test(field.getText())) continue;
                const drawn = text.getComputedTextLength();
                const measured = field.getSize().width;
                if (Math.abs(drawn - measured) > 2)
                  wrong.push(`${field.getText()} ${measured}/${drawn}`);
              }
            }
          }
          return wrong;
        });
      const end = Date.now() + DEADLINE;
      let wrong = await mismatches();
      while (wrong.length && Date.now() < end) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        wrong = await mismatches();
      }
      assert.deepEqual(wrong, [], 'labels measured (first) and drawn (second) at other widths');

      await page.locator('.blocklyToolboxCategory', { hasText: '掌控板' }).click();
      await waitForWebFont(
        cdp,
        'a flyout block',
        `[...document.querySelectorAll('.blocklyFlyout .blocklyText')].find((t) => /^[\\u4e00-\\u9fff]+$/.test(t.textContent.trim()))`,
      );

      assert.ok(fontRequests.length > 0, 'no font file was fetched');
      for (const url of fontRequests) assert.equal(new URL(url).origin, new URL(studio.url).origin);
      await context.close();
    });

    it('opens a flyout beside the toolbox, also when the font made the labels wider', async () => {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 720 },
        locale: 'zh-CN',
      });
      const page = await context.newPage();
      await page.goto(studio.url);
      await waitForStudio(page);
      // At once, as a child who knows where to go: most often before the font is there.
      await page.locator('.blocklyToolboxCategory', { hasText: 'WiFi' }).click();
      await page
        .locator('html[data-chinese-font="web"]')
        .waitFor({ state: 'attached', timeout: DEADLINE });
      await page.waitForFunction(() => document.fonts.status === 'loaded', null, {
        timeout: DEADLINE,
      });
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
      );
      const toolbox = (await page.locator('block-editor .blocklyToolbox').boundingBox())!;
      const flyout = (await page.locator('block-editor .blocklyFlyout').first().boundingBox())!;
      assert.ok(
        flyout.x >= toolbox.x + toolbox.width - 1,
        `flyout at x=${flyout.x}, toolbox ends at ${toolbox.x + toolbox.width}`,
      );
      await context.close();
    });

    it('the help page: its words and block pictures in the web font, no picture cut', async () => {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      await page.goto(`${studio.url}src/help/index.html?lang=zh-hans#rgb_fill`);
      await page.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
      await page
        .locator('html[data-chinese-font="web"]')
        .waitFor({ state: 'attached', timeout: DEADLINE });
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const section = `document.querySelector('help-page').renderRoot.querySelector('section#rgb_fill')`;
      await waitForWebFont(cdp, 'the rgb_fill heading', `${section}.querySelector('h3')`);
      await waitForWebFont(
        cdp,
        'the rgb_fill picture',
        `[...${section}.querySelectorAll('block-picture svg text')].find((t) => /^[\u4e00-\u9fff ]+$/.test(t.textContent.trim()))`,
      );
      await page.waitForFunction(() => document.fonts.status === 'loaded', null, {
        timeout: DEADLINE,
      });
      // Drawn again in the font that came: every picture's text ends inside its picture.
      const cut = await page.evaluate(() =>
        [...document.querySelector('help-page')!.renderRoot.querySelectorAll('block-picture svg')]
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .flatMap((svg) => {
            const right = svg.getBoundingClientRect().right;
            return [...svg.querySelectorAll('text')]
              .filter((text) => text.getBoundingClientRect().right > right + 0.5)
              .map((text) => text.textContent);
          }),
      );
      assert.deepEqual(cut, [], 'texts running out of their picture');
      await page.close();
    });
  },
);
