// Run: Run-click to online for the first Run after the page has been idle for 2 s, and
// message-to-LED latency (sender and a MutationObserver on `data-rgb` in one page, so one
// clock), beside the raw mqtt.js round trip on the same broker from the same page.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT, waitForOnline } from '../e2e/studio.ts';
import { percentile, summary, type Figure } from './figures.ts';
import { coldContext, readiness } from './page-load.ts';

const IDLE_BEFORE_RUN_MS = 2000;

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
export function messageLatencies(page: Page, brokerUrl: string, count: number) {
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
        const end = await changed;
        toLed.push(end - start);
        // A mark in the page's timeline, so a trace or profile shows which tasks each one waited on.
        performance.measure('message to LED', { start, end });
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

/** Options of measureRun. */
export interface RunOptions {
  runs: number;
  /** Run-click to online. */
  online: boolean;
  /** Messages to the LED, sent in the last run's page (0: none). */
  messages: number;
  /** Called with the page of the LED run, once online, before the messages (for profiling). */
  onLedPage?: (page: Page) => Promise<() => Promise<void>>;
}

/** Runs the OneNET example in `runs` cold pages; messages go to the last one. */
export async function measureRun(
  browser: Browser,
  baseUrl: string,
  { runs, online, messages, onLedPage }: RunOptions,
): Promise<Figure[]> {
  const onlineMs: number[] = [];
  let latencies: { toLed: number[]; raw: number[] } | undefined;
  const pages = online ? runs : 1;
  for (let run = 0; run < pages; run++) {
    // The LED run's page gets mqtt.js as a measuring client: an inline script the studio's own
    // policy (script-src 'self') refuses, so that one context leaves the policy out.
    const ledRun = messages > 0 && run === pages - 1;
    const context = await coldContext(browser, { bypassCSP: ledRun });
    const page = await context.newPage();
    await page.goto(`${baseUrl}?example=onenet-rgb`);
    await readiness(page);
    await page.waitForTimeout(IDLE_BEFORE_RUN_MS); // the scenario: a child reads, then clicks
    onlineMs.push(await runClickToOnline(page));
    if (ledRun) {
      await waitForOnline(page);
      await page.addScriptTag({ path: join(ROOT, 'node_modules/mqtt/dist/mqtt.min.js') });
      const stop = await onLedPage?.(page);
      latencies = await messageLatencies(page, baseUrl.replace(/^http/, 'ws') + 'mqtt', messages);
      await stop?.();
    }
    await context.close();
  }
  const figures: Figure[] = [];
  if (online) {
    figures.push(
      summary('run', 'Run-click to online (first Run after 2 s idle)', 'ms', onlineMs, {
        max: 300,
      }),
    );
  }
  if (latencies) {
    const { toLed, raw } = latencies;
    const of = (values: number[], p: number) => ({
      median: percentile(values, p),
      samples: values.length,
    });
    figures.push(
      {
        ...summary('leds', `Message to LED, p50 (${messages} messages)`, 'ms', toLed),
        ...of(toLed, 50),
      },
      {
        ...summary('leds', 'Message to LED, p95', 'ms', toLed, { max: 16 }),
        ...of(toLed, 95),
      },
      {
        ...summary('leds', 'Raw mqtt.js round trip in the page, p50', 'ms', raw),
        ...of(raw, 50),
      },
      { ...summary('leds', 'Raw mqtt.js round trip in the page, p95', 'ms', raw), ...of(raw, 95) },
    );
  }
  return figures;
}
