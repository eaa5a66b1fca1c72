// `npm run bench`: what a child feels, measured against the production build served by the
// studio's own server, in headless Chromium with a fresh (cold) profile for every run.
//   - Run-click to online: the first Run after the page has been idle for 2 s.
//   - Message to LED: a message published in the page until the LED's `data-rgb` changes
//     (sender and MutationObserver in one page, so one clock).
//   - Raw mqtt.js round trip on the same broker, in the same page: the cost of our path is the
//     difference.
// Figures go to the console as a table and to .bench/results.json. This is a script, not a
// test: timings never decide whether `npm test` passes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT, launchChromium, startTestStudio, waitForOnline } from '../e2e/studio.ts';

const RUNS = 5;
const MESSAGES = 300;
const IDLE_BEFORE_RUN_MS = 2000;

interface Figure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  note?: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const summary = (name: string, unit: string, values: number[], note?: string): Figure => ({
  name,
  unit,
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  note,
});

/** Clicks Run and resolves with the milliseconds until the board's indicator says online. */
function runClickToOnline(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const studio = document.querySelector('iot-studio')!;
        const board = studio.shadowRoot!.querySelector('virtual-board')!;
        const status = board.shadowRoot!.querySelector('[data-online]')!;
        const run = studio.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="run"]')!;
        const start = performance.now();
        new MutationObserver(() => {
          if (status.getAttribute('data-online') === 'true') resolve(performance.now() - start);
        }).observe(status, { attributes: true });
        run.click();
      }),
  );
}

/**
 * Publishes `count` messages from a mqtt.js client inside the page, alternating `on`/`off` to
 * `cmd/deviceID`, each after the previous one reached the LED; returns each latency in ms.
 * Then measures the raw round trip of the same client publishing to itself.
 */
function messageLatencies(page: Page, brokerUrl: string, count: number) {
  return page.evaluate(
    async ({ brokerUrl, count }) => {
      const mqttLib = (globalThis as unknown as { mqtt: typeof import('mqtt').default }).mqtt;
      const client = await mqttLib.connectAsync(brokerUrl, { clientId: 'bench-sender' });
      const studio = document.querySelector('iot-studio')!;
      const led = studio
        .shadowRoot!.querySelector('virtual-board')!
        .shadowRoot!.querySelector('[data-led="0"]')!;
      const toLed: number[] = [];
      for (let i = 0; i < count; i++) {
        const on = led.getAttribute('data-rgb') !== '50,0,0';
        const changed = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            observer.disconnect();
            resolve(performance.now());
          });
          observer.observe(led, { attributes: true, attributeFilter: ['data-rgb'] });
        });
        const start = performance.now();
        client.publish('cmd/deviceID', on ? 'on' : 'off');
        toLed.push((await changed) - start);
      }
      const raw: number[] = [];
      await client.subscribeAsync('bench/echo');
      for (let i = 0; i < count; i++) {
        const back = new Promise<number>((resolve) =>
          client.once('message', () => resolve(performance.now())),
        );
        const start = performance.now();
        client.publish('bench/echo', String(i));
        raw.push((await back) - start);
      }
      await client.endAsync();
      return { toLed, raw };
    },
    { brokerUrl, count },
  );
}

async function main(): Promise<void> {
  const { studio } = await startTestStudio();
  const browser = await launchChromium();
  const online: number[] = [];
  let latencies: { toLed: number[]; raw: number[] } | undefined;
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`${studio.url}?example=onenet-rgb`);
      await page.locator('virtual-board').waitFor();
      await page.waitForTimeout(IDLE_BEFORE_RUN_MS); // the scenario: a child reads, then clicks
      online.push(await runClickToOnline(page));
      if (run === RUNS - 1) {
        await waitForOnline(page);
        await page.addScriptTag({ path: join(ROOT, 'node_modules/mqtt/dist/mqtt.min.js') });
        latencies = await messageLatencies(
          page,
          studio.url.replace(/^http/, 'ws') + 'mqtt',
          MESSAGES,
        );
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await studio.close();
  }
  const { toLed, raw } = latencies!;
  const figures: Figure[] = [
    summary('Run-click to online (first Run after 2 s idle)', 'ms', online, `${RUNS} cold runs`),
    {
      name: `Message to LED, p50 (${MESSAGES} messages)`,
      unit: 'ms',
      median: percentile(toLed, 50),
      min: Math.min(...toLed),
      max: Math.max(...toLed),
    },
    { ...summary('Message to LED, p95', 'ms', toLed), median: percentile(toLed, 95) },
    {
      name: `Raw mqtt.js round trip, p50 (${MESSAGES} messages)`,
      unit: 'ms',
      median: percentile(raw, 50),
      min: Math.min(...raw),
      max: Math.max(...raw),
    },
    { ...summary('Raw mqtt.js round trip, p95', 'ms', raw), median: percentile(raw, 95) },
  ];
  const ratio = percentile(toLed, 50) / percentile(raw, 50);
  console.log('\nIoT Blocks benchmark (production build, headless Chromium, loopback)\n');
  console.log('| figure | median | min–max |');
  console.log('| --- | --- | --- |');
  for (const f of figures) {
    console.log(
      `| ${f.name} | ${f.median.toFixed(1)} ${f.unit} | ${f.min.toFixed(1)}–${f.max.toFixed(1)} ${f.unit} |`,
    );
  }
  console.log(`\nMessage to LED costs ${ratio.toFixed(1)}× a raw mqtt.js round trip (p50).`);
  await mkdir(join(ROOT, '.bench'), { recursive: true });
  await writeFile(
    join(ROOT, '.bench', 'results.json'),
    JSON.stringify({ date: new Date().toISOString(), figures, ratio }, null, 2) + '\n',
  );
  console.log('Written to .bench/results.json');
}

await main();
