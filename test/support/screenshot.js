/**
 * Screenshots of the studio with the OneNET example open, as a person sees it, at 1280×720 and
 * 1024×768: `studio-1280.png` and `studio-1024.png`.
 *
 *   node test/support/screenshot.js [--url http://host:port/] [--out /tmp]
 *
 * Without --url it builds the app and serves the build on a free port (the production build, as
 * classrooms get it), and stops that server at the end.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
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

async function main() {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, out: { type: 'string', default: '/tmp' } },
  });
  const server = values.url ? null : await serveBuild();
  const base = values.url ?? server.url;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
  });
  try {
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
