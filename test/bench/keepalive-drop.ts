// The broker's keepalive on the real clock, as a child meets it: how long after Run the virtual
// board shows offline for a program with keepalive 10 and a keep-alive block of 30000 ms (the
// broker closes a client silent for 1.5 × keepalive, so ≈ 15 s), and whether a program with
// keepalive 10 and no keep-alive block (the connect block keeps itself alive) is still online
// 45 s after Run. A one-off measurement, not a test: it waits the real time it measures.
//
//   node --import tsx test/bench/keepalive-drop.ts [--url http://127.0.0.1:PORT/]
//
// With --url it measures the studio already serving there (`PORT=… MQTT_PORT=0 npm start`);
// without, it serves one itself with `npm start`'s code.
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium, openProjectFile, projectWith, startTestStudio } from '../e2e/studio.ts';

const KEEPALIVE = 10;
const STILL_ONLINE_AFTER_MS = 45_000;

function program(clientId: string, keepAliveMs?: number) {
  const listen = { type: 'mqtt_listen_forever', id: 'listen' };
  const ping = { type: 'mqtt_keep_alive', id: 'ping', fields: { PERIOD: keepAliveMs } };
  return projectWith([
    {
      type: 'mqtt_connect',
      id: 'connect',
      fields: {
        SERVER: '192.168.1.10',
        PORT: 1883,
        CLIENT_ID: clientId,
        USERNAME: '',
        PASSWORD: '',
        KEEPALIVE,
      },
      next: { block: keepAliveMs ? { ...ping, next: { block: listen } } : listen },
    },
  ]);
}

/**
 * Clicks Run and watches the board's indicator in the page (one clock): resolves with the ms from
 * the click to online, to the first offline after that (null if none came), and whether it shows
 * online `afterMs` after the click.
 */
function runAndWatch(page: Page, afterMs: number) {
  return page.evaluate(
    (afterMs) =>
      new Promise<{ online: number; offline: number | null; onlineAtEnd: boolean }>((resolve) => {
        const studio = document.querySelector('iot-studio')!.shadowRoot!;
        const status = studio.querySelector('virtual-board')!.shadowRoot!.querySelector('.status')!;
        const run = studio.querySelector<HTMLButtonElement>('[data-action="run"]')!;
        const seen = { online: NaN, offline: null as number | null };
        const start = performance.now();
        const observer = new MutationObserver(() => {
          const now = performance.now() - start;
          const online = status.getAttribute('data-online') === 'true';
          if (online && Number.isNaN(seen.online)) seen.online = now;
          if (!online && !Number.isNaN(seen.online) && seen.offline === null) seen.offline = now;
        });
        observer.observe(status, { attributes: true });
        run.click();
        setTimeout(() => {
          observer.disconnect();
          resolve({ ...seen, onlineAtEnd: status.getAttribute('data-online') === 'true' });
        }, afterMs);
      }),
    afterMs,
  );
}

const { values } = parseArgs({ options: { url: { type: 'string' } } });
const served = values.url ? null : await startTestStudio();
const url = values.url ?? served!.studio.url;
const browser = await launchChromium();
try {
  for (const [label, keepAliveMs] of [
    ['keepalive 10, keep-alive block 30000 ms', 30_000],
    ['keepalive 10, no keep-alive block', undefined],
  ] as const) {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(url);
    const clientId = keepAliveMs ? 'drop-slow' : 'drop-none';
    await openProjectFile(page, program(clientId, keepAliveMs), {
      id: 'connect',
      field: 'CLIENT_ID',
      value: clientId,
    });
    // The slow one is watched until well after the broker's 15 s; both for 45 s.
    const seen = await runAndWatch(page, STILL_ONLINE_AFTER_MS);
    const s = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`);
    console.log(
      `${label}: online ${s(seen.online)} after Run, offline ${s(seen.offline)} after Run, ` +
        `${seen.onlineAtEnd ? 'online' : 'offline'} ${STILL_ONLINE_AFTER_MS / 1000} s after Run`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await served?.studio.close();
}
