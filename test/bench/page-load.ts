// Page: how long a child waits after navigating until the workspace and its toolbox are ready,
// and what the browser fetched until then (compressed, as served). Each run is a fresh browser
// context, so nothing is cached.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { summary, type Figure } from './figures.ts';

/** What the page had at the frame that first showed the workspace and toolbox. */
export interface Readiness {
  /** Milliseconds from navigation start to that frame. */
  ms: number;
  /** Bytes transferred until then (headers and compressed bodies), the document included. */
  bytes: number;
  /** Requests made until then, the document included. */
  requests: number;
  /** Their addresses, for seeing what the page needs to start. */
  urls: string[];
}

/**
 * Files only Run needs: mqtt.js and sucrase (in the program Worker's chunk), MicroPython's
 * interpreter. Not the MicroPython *generator's* chunk (`micropython-<hash>.js`): the code
 * panel shows its MicroPython as the studio opens.
 */
const RUN_ONLY = /program-worker|mqtt|sucrase|micropython\.mjs|\.wasm/;

/**
 * Added to every page of a context: on each animation frame until the studio's workspace, its
 * toolbox and the first project are there, then notes the frame's time and the resources
 * fetched so far on `window.__benchReady`.
 */
function watchForReady(): void {
  const w = window as unknown as { __benchReady?: Readiness };
  const ready = () => {
    const studio = document.querySelector('iot-studio');
    return Boolean(
      studio?.projectId &&
      document.querySelector('block-editor .blocklyMainBackground') &&
      document.querySelector('block-editor .blocklyToolboxCategory'),
    );
  };
  const onFrame = (time: number) => {
    if (!ready()) {
      requestAnimationFrame(onFrame);
      return;
    }
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = (
      performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    ).filter((entry) => entry.startTime <= time);
    w.__benchReady = {
      ms: time,
      bytes: navigation.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
      requests: 1 + resources.length,
      urls: [navigation.name, ...resources.map((r) => r.name)],
    };
  };
  requestAnimationFrame(onFrame);
}

/** Font files: the Chinese web font's slices (`src/app/cjk-font.ts`). */
const FONT = /\.woff2?(?:$|\?)/;

/**
 * A fresh (cold) context whose pages note when the studio is ready; `locale` is the browser's
 * language (the studio's first language follows it).
 */
export async function coldContext(
  browser: Browser,
  { bypassCSP = false, locale }: { bypassCSP?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    bypassCSP,
    locale,
  });
  // tsx keeps function names by wrapping them in `__name(…)`; functions sent to the page (this
  // one, and those given to page.evaluate) need it there too.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await context.addInitScript(watchForReady);
  return context;
}

/** Waits until the page's studio is ready and returns what `watchForReady` noted. */
export async function readiness(page: Page): Promise<Readiness> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __benchReady?: Readiness }).__benchReady,
    null,
    { timeout: 30_000 },
  );
  return (await handle.jsonValue()) as Readiness;
}

/**
 * Loads `url` cold `runs` times; figures for the first visit (`/`), with an example, and the
 * first visit in Chinese. This machine has no Chinese font, so the studio brings its own after
 * ready: its bytes within 3 s are a figure of their own.
 */
export async function measurePageLoad(
  browser: Browser,
  baseUrl: string,
  runs: number,
): Promise<{ figures: Figure[]; details: object }> {
  const figures: Figure[] = [];
  const details: Record<string, object> = {};
  for (const [label, path, locale] of [
    ['first visit', '', 'en-US'],
    ['example', '?example=onenet-rgb', 'en-US'],
    ['first visit in Chinese', '', 'zh-CN'],
  ] as const) {
    const samples: Readiness[] = [];
    const later: { bytes: number; requests: number; fontBytes: number; fonts: number }[] = [];
    for (let run = 0; run < runs; run++) {
      const context = await coldContext(browser, { locale });
      const page = await context.newPage();
      // Every response, the Worker's script included (it is not in the page's resource timing).
      const responses: { url: string; bytes: number }[] = [];
      page.on('requestfinished', (request) => {
        void request.sizes().then(
          (sizes) =>
            responses.push({
              url: request.url(),
              bytes: sizes.responseBodySize + sizes.responseHeadersSize,
            }),
          () => {},
        );
      });
      await page.goto(baseUrl + path);
      samples.push(await readiness(page));
      // What the studio fetches while idle afterwards (the program Worker, mqtt.js, sucrase).
      await page.waitForTimeout(3000);
      const fonts = responses.filter((r) => FONT.test(r.url));
      later.push({
        bytes: responses.reduce((sum, r) => sum + r.bytes, 0),
        requests: responses.length,
        fontBytes: fonts.reduce((sum, r) => sum + r.bytes, 0),
        fonts: fonts.length,
      });
      await context.close();
    }
    const name = (what: string) => `Page (${label}): ${what}`;
    figures.push(
      summary(
        'page',
        name('workspace and toolbox ready'),
        'ms',
        samples.map((s) => s.ms),
        {
          max: 550,
        },
      ),
      summary(
        'page',
        name('transferred until ready'),
        'kB',
        samples.map((s) => s.bytes / 1000),
        { max: 350 },
      ),
      summary(
        'page',
        name('requests until ready'),
        '',
        samples.map((s) => s.requests),
        {
          max: 20,
        },
      ),
      summary(
        'page',
        name('mqtt.js, sucrase or MicroPython fetched until ready'),
        '',
        samples.map((s) => s.urls.filter((url) => RUN_ONLY.test(url)).length),
        { max: 0, exact: true },
      ),
      summary(
        'page',
        name('transferred within 3 s (idle fetches too)'),
        'kB',
        later.map((l) => l.bytes / 1000),
        undefined,
        `${later[0].requests} requests`,
      ),
      summary(
        'page',
        name('font files fetched until ready'),
        '',
        samples.map((s) => s.urls.filter((url) => FONT.test(url)).length),
        { max: 0, exact: true },
      ),
      summary(
        'page',
        name('CJK font bytes fetched within 3 s (no CJK font on this machine)'),
        'kB',
        later.map((l) => l.fontBytes / 1000),
        undefined,
        `${later[0].fonts} files`,
      ),
    );
    details[label] = { urls: samples[0].urls };
  }
  return { figures, details };
}
