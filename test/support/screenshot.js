/**
 * Screenshots of the studio with the OneNET example open, as a person sees it, at 1280×720 and
 * 1024×768: `studio-1280.png` and `studio-1024.png`.
 *
 *   node test/support/screenshot.js [--url http://host:port/] [--out /tmp]
 *   node test/support/screenshot.js --readme
 *
 * `--readme` refreshes the README's picture instead, `src/help/images/studio.png`: the example
 * running at 1280×720 in English, its LEDs lit by "on" from the Messages panel.
 *
 * Without --url it builds the app and serves the build on a free port (the production build, as
 * classrooms get it, with its broker), and stops that server at the end.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The README's picture, under src/ because the top-level layout is fixed. */
const readmePicture = join(root, 'src', 'help', 'images', 'studio.png');
/** Past this the README's picture is too heavy for a repository that is cloned in classrooms. */
const README_PICTURE_LIMIT = 200 * 1024;
const sizes = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
];

/** Chromium flags needed as root on these machines, and to keep it off the internet. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds the app and serves it on a free loopback port. */
async function serveBuild() {
  await build({ root, logLevel: 'warn' });
  const server = await preview({
    root,
    logLevel: 'warn',
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const { port } = server.httpServer.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/**
 * The README's picture: a fresh English studio (no saved work) running the OneNET example, and
 * "on" sent from the Messages panel, so the board on the page shows its LEDs lit.
 */
async function readmeScreenshot(browser, base) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    locale: 'en-US',
  });
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(new URL('/?example=onenet-rgb', base).href);
    await page.locator('block-editor .blocklyBlockCanvas .blocklyDraggable').first().waitFor();
    await page.locator('[data-action="run"]').click();
    await page.locator('virtual-board [data-online="true"]').waitFor({ timeout: 20000 });
    await page.locator('[data-tab="messages"]').click();
    await page.locator('[data-action="send-on"]').click();
    await page.locator('virtual-board [data-led="0"][data-rgb="50,0,0"]').waitFor();
    await page.mouse.move(0, 719);
    mkdirSync(dirname(readmePicture), { recursive: true });
    await page.screenshot({ path: readmePicture });
    const size = statSync(readmePicture).size;
    console.log(`${readmePicture} (${Math.round(size / 1024)} kB)`);
    if (size > README_PICTURE_LIMIT) {
      console.error(
        `The picture is over ${README_PICTURE_LIMIT / 1024} kB: keep the README light.`,
      );
      process.exitCode = 1;
    }
  } finally {
    await context.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      out: { type: 'string', default: '/tmp' },
      readme: { type: 'boolean', default: false },
    },
  });
  const server = values.url ? null : await serveBuild();
  const base = values.url ?? server.url;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
    if (values.readme) return await readmeScreenshot(browser, base);
    for (const viewport of sizes) {
      const page = await browser.newPage({ viewport });
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await page.goto(new URL('/?example=onenet-rgb', base).href);
      // Playwright's CSS locators pierce open shadow roots.
      await page.locator('code-panel pre').filter({ hasText: 'MQTTClient(' }).waitFor();
      await page.locator('block-editor .blocklyBlockCanvas .blocklyDraggable').first().waitFor();
      const file = join(values.out, `studio-${viewport.width}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await page.close();
    }
  } finally {
    await browser.close();
    await server?.close();
  }
}

await main();
