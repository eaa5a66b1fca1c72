// The teacher's classroom wall, end to end: the real server and broker, PAGES studio pages in
// headless Chromium running the OneNET RGB example (virtual boards) under their own client IDs,
// two real-board stand-ins over TCP (Node MQTT clients that behave as the generated MicroPython
// does: they get their commands on `$creq/…` and answer on `$crsp/…`), and the wall at
// /class?token=… . Set CLASS_SCREENSHOTS=<folder> to also save the wall's screenshots there
// (and CLASS_CJK_FONT=<a .woff2 with Chinese> on a machine without a Chinese font).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  ROOT,
  eventually,
  handshake,
  launchChromium,
  openProject,
  startTestStudio,
  waitForLeds,
  waitForOnline,
} from './studio.ts';

/** How many studio pages run a program: 6 as the issue asks (a constant for a lighter machine). */
const PAGES = 6;
/** The virtual boards' client IDs: two groups; the last one's program waits for `ON!`, not `on`. */
const VIRTUAL = Array.from({ length: PAGES }, (_, i) =>
  i < PAGES / 2 ? `g1-${i + 1}` : `g2-${i + 1 - PAGES / 2}`,
);
const STUBBORN = VIRTUAL.at(-1)!;
const REAL = ['tcp-1', 'tcp-2'];
/** The check's window: long enough for a loaded 2-core machine. */
const CHECK_WINDOW_S = 15;
/** Generous: eight boards, seven Chromium pages, on two shared cores. */
const SLOW = 3 * DEADLINE;

/** The OneNET RGB example under client ID `clientId`, its `on` test changed for STUBBORN. */
function exampleFor(clientId: string): object {
  const text = readFileSync(join(ROOT, 'src/examples/onenet-rgb.json'), 'utf8');
  const project = JSON.parse(text) as { settings: { name: string } };
  project.settings.name = `Lamp of ${clientId}`;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const block = value as { id?: string; fields?: Record<string, unknown> };
    if (block.id === 'connect' && block.fields) block.fields.CLIENT_ID = clientId;
    if (block.id === 'is-on' && block.fields && clientId === STUBBORN) block.fields.TEXT = 'ON!';
    Object.values(value).forEach(walk);
  };
  walk(project);
  return project;
}

/** A real board's stand-in: its commands arrive on `$creq/<id>`; `reply` answers on `$crsp/<id>`. */
async function realBoard(studio: Studio, clientId: string, reply: boolean) {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${studio.mqttPort}`, {
    clientId,
    keepalive: 60,
    reconnectPeriod: 0,
  });
  const got: string[] = [];
  client.on('message', (topic, payload) => {
    got.push(payload.toString());
    if (reply && topic.startsWith('$creq/')) {
      client.publish(`$crsp/${topic.slice('$creq/'.length)}`, `done ${payload}`);
    }
  });
  return { client, got };
}

/** The mirrored LEDs of `clientId`'s tile, as `r,g,b r,g,b r,g,b` (null: no board shown). */
function tileLeds(wall: Page, clientId: string): Promise<string | null> {
  return wall.evaluate((id) => {
    const root = document.querySelector('classroom-wall')?.shadowRoot;
    const tile = root?.querySelector(`article[data-client-id="${id}"]`);
    const leds = [...(tile?.querySelectorAll('[data-led]') ?? [])];
    return leds.length === 3 ? leds.map((led) => led.getAttribute('data-rgb')).join(' ') : null;
  }, clientId);
}

async function waitForTileLeds(wall: Page, clientId: string, rgb: string): Promise<void> {
  const expected = `${rgb} ${rgb} ${rgb}`;
  const end = Date.now() + SLOW;
  let seen: string | null;
  while ((seen = await tileLeds(wall, clientId)) !== expected) {
    if (Date.now() > end) throw new Error(`${clientId}'s tile shows ${seen}, not ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the classroom wall', { timeout: 10 * 60_000 }, () => {
  let studio: Studio;
  let lines: string[];
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pages = new Map<string, Page>();
  const boards = new Map<string, { client: MqttClient; got: string[] }>();
  let wall: Page;
  let wallUrl: string;

  before(async () => {
    ({ studio, lines } = await startTestStudio());
    browser = await launchChromium();
  });

  after(async () => {
    for (const { client } of boards.values()) client.end(true);
    await browser?.close();
    await studio?.close();
  });

  it('prints the teacher’s link, and refuses the page and its WebSocket without its token', async () => {
    const line = lines.find((text) => text.startsWith('Classroom wall'));
    assert.ok(line, lines.join('\n'));
    wallUrl = line.slice(line.indexOf('http'));
    assert.equal(new URL(wallUrl).searchParams.get('token'), studio.wall.token);
    assert.ok(studio.wall.token.length >= 24);
    const base = studio.url.replace(/\/$/, '');
    for (const path of ['/class', '/class?token=guess', '/src/class/index.html']) {
      assert.equal((await fetch(`${base}${path}`)).status, 403, path);
    }
    const page = await fetch(wallUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /classroom-wall/);
    const ws = base.replace('http', 'ws');
    assert.equal(await handshake(`${ws}/classroom`, {}), 403);
    assert.equal(await handshake(`${ws}/classroom?token=${studio.wall.token}x`, {}), 403);
    assert.equal(await handshake(`${ws}/classroom?token=${studio.wall.token}`, {}), 101);
  });

  it(`shows ${PAGES} virtual boards and ${REAL.length} real boards on tiles`, async () => {
    for (const clientId of VIRTUAL) {
      // A browser each: one child per computer.
      const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(studio.url);
      await openProject(page, exampleFor(clientId));
      await page.locator('[data-action="run"]').click();
      pages.set(clientId, page);
    }
    for (const page of pages.values()) await waitForOnline(page);
    boards.set('tcp-1', await realBoard(studio, 'tcp-1', true));
    boards.set('tcp-2', await realBoard(studio, 'tcp-2', false));

    wall = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await wall.goto(wallUrl);
    for (const clientId of [...VIRTUAL, ...REAL]) {
      await wall
        .locator(`classroom-wall article[data-client-id="${clientId}"][data-online="true"]`)
        .waitFor({ timeout: SLOW });
    }
    assert.equal(await wall.locator('classroom-wall article').count(), PAGES + REAL.length);
    for (const clientId of VIRTUAL) {
      await waitForTileLeds(wall, clientId, '0,0,0');
      await wall
        .locator(`classroom-wall article[data-client-id="${clientId}"] .meta`)
        .filter({ hasText: `Lamp of ${clientId}` })
        .waitFor({ timeout: SLOW });
    }
    // Real boards show their traffic, no mirrored board.
    for (const clientId of REAL) assert.equal(await tileLeds(wall, clientId), null);
  });

  it('sends to one group only (by prefix, or picked), and the mirrored LEDs follow each board', async () => {
    await wall.locator('classroom-wall [data-setting="target"]').selectOption('group:g1');
    await wall.locator('classroom-wall [data-input="message"]').fill('on');
    await wall.locator('classroom-wall [data-action="send"]').click();
    const g1 = VIRTUAL.filter((id) => id.startsWith('g1-'));
    for (const clientId of g1) {
      await waitForLeds(pages.get(clientId)!, '50,0,0');
      await waitForTileLeds(wall, clientId, '50,0,0');
    }
    // A marker to one real board: it comes after the group's message, so had `on` reached the
    // others, it would be there by now.
    await wall.locator('classroom-wall [data-setting="target"]').selectOption('device:tcp-1');
    await wall.locator('classroom-wall [data-input="message"]').fill('marker');
    await wall.locator('classroom-wall [data-action="send"]').click();
    await eventually(() => boards.get('tcp-1')!.got.includes('marker'), 'the marker', SLOW);
    assert.deepEqual(boards.get('tcp-1')!.got, ['marker']);
    assert.deepEqual(boards.get('tcp-2')!.got, []);
    for (const clientId of VIRTUAL.filter((id) => !g1.includes(id))) {
      assert.equal(await tileLeds(wall, clientId), '0,0,0 0,0,0 0,0,0');
      const lastIn = wall.locator(
        `classroom-wall article[data-client-id="${clientId}"] [data-last="in"]`,
      );
      assert.doesNotMatch((await lastIn.textContent()) ?? '', /on/);
    }
    // Everyone dark again.
    await wall.locator('classroom-wall [data-setting="target"]').selectOption('all');
    await wall.locator('classroom-wall [data-input="message"]').fill('off');
    await wall.locator('classroom-wall [data-action="send"]').click();
    for (const clientId of VIRTUAL) await waitForTileLeds(wall, clientId, '0,0,0');

    // A group of the teacher's own: the tiles they picked.
    for (const clientId of ['g1-1', 'g2-2']) {
      await wall.locator(`classroom-wall [data-pick="${clientId}"]`).check();
    }
    await wall.locator('classroom-wall [data-setting="target"]').selectOption('picked');
    await wall.locator('classroom-wall [data-input="message"]').fill('on');
    await wall.locator('classroom-wall [data-action="send"]').click();
    await waitForTileLeds(wall, 'g1-1', '50,0,0');
    await waitForTileLeds(wall, 'g2-2', '50,0,0');
    await waitForLeds(pages.get('g2-2')!, '50,0,0');
    // The server published the send's messages together: by now the others' would be there.
    for (const clientId of VIRTUAL.filter((id) => id !== 'g1-1' && id !== 'g2-2')) {
      assert.equal(await tileLeds(wall, clientId), '0,0,0 0,0,0 0,0,0', clientId);
      const lastIn = wall.locator(
        `classroom-wall article[data-client-id="${clientId}"] [data-last="in"]`,
      );
      assert.match((await lastIn.textContent()) ?? '', /off/, clientId);
    }
    await wall.locator('classroom-wall [data-setting="target"]').selectOption('all');
    await wall.locator('classroom-wall [data-input="message"]').fill('off');
    await wall.locator('classroom-wall [data-action="send"]').click();
    for (const clientId of VIRTUAL) await waitForTileLeds(wall, clientId, '0,0,0');
  });

  it('checks the class: a tick for the boards that turned red or replied, a cross for the rest, as CSV', async () => {
    await wall.locator('classroom-wall [data-check-input="payload"]').fill('on');
    await wall.locator('classroom-wall [data-check-input="expect"]').selectOption('red');
    await wall.locator('classroom-wall [data-check-input="window"]').fill(String(CHECK_WINDOW_S));
    await wall.locator('classroom-wall [data-action="run-check"]').click();
    await wall
      .locator('classroom-wall [data-check-state="done"]')
      .waitFor({ timeout: CHECK_WINDOW_S * 1000 + SLOW });
    const results = await wall.evaluate(() =>
      Object.fromEntries(
        [
          ...(document
            .querySelector('classroom-wall')
            ?.shadowRoot?.querySelectorAll('article[data-client-id]') ?? []),
        ].map((tile) => [tile.getAttribute('data-client-id'), tile.getAttribute('data-check')]),
      ),
    );
    const expected = Object.fromEntries([
      ...VIRTUAL.map((id) => [id, id === STUBBORN ? 'fail' : 'pass']),
      ['tcp-1', 'pass'],
      ['tcp-2', 'fail'],
    ]);
    assert.deepEqual(results, expected);

    const [download] = await Promise.all([
      wall.waitForEvent('download', { timeout: DEADLINE }),
      wall.locator('classroom-wall [data-action="save-csv"]').click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const rows = csv.trim().split('\r\n');
    assert.equal(rows.length, 1 + PAGES + REAL.length);
    assert.match(rows[0], /client ID/);
    assert.ok(rows.some((row) => row.startsWith(`"${STUBBORN}"`) && row.includes('did not pass')));
    assert.ok(rows.some((row) => row.startsWith('"g1-1"') && row.includes('"passed"')));

    const folder = process.env.CLASS_SCREENSHOTS;
    if (folder) {
      mkdirSync(folder, { recursive: true });
      // This machine has no CJK font (a teacher's computer has): CLASS_CJK_FONT names one
      // (a .woff2, e.g. Noto Sans SC's) for the screenshots.
      const font = process.env.CLASS_CJK_FONT;
      if (font) {
        const data = readFileSync(font).toString('base64');
        await wall.addStyleTag({
          content:
            `@font-face { font-family: 'Screenshot CJK'; src: url(data:font/woff2;base64,${data}); }` +
            "body { font-family: system-ui, sans-serif, 'Screenshot CJK'; }",
        });
        // Loaded before any Chinese is shown: text laid out while it loads keeps its boxes.
        await wall.evaluate(() =>
          document.fonts.load("16px 'Screenshot CJK'", '班').then(() => undefined),
        );
      }
      for (const [width, height] of [
        [1920, 1080],
        [1024, 768],
      ]) {
        await wall.setViewportSize({ width, height });
        for (const language of ['en', 'zh-hans'] as const) {
          const button = wall.locator(
            `classroom-wall language-switch button[lang="${language === 'en' ? 'en' : 'zh-Hans'}"]`,
          );
          await button.click();
          await wall.locator(`html[lang="${language === 'en' ? 'en' : 'zh-Hans'}"]`).waitFor();
          await wall.evaluate(() => document.fonts.ready.then(() => undefined));
          await wall.screenshot({ path: join(folder, `class-${width}x${height}-${language}.png`) });
        }
      }
      await wall.setViewportSize({ width: 1920, height: 1080 });
    }
  });

  it('lets a board show only its own state: another client’s state topic is refused', async () => {
    const forger = boards.get('tcp-2')!.client;
    const closed = new Promise<void>((resolve) => forger.once('close', () => resolve()));
    forger.publish(
      '$iot/state/g1-1',
      JSON.stringify({
        leds: [
          [0, 99, 0],
          [0, 99, 0],
          [0, 99, 0],
        ],
        oled: ['', '', '', ''],
      }),
    );
    await closed;
    // A page that does not hold g1-1's run secret cannot paint its tile either.
    const base = studio.url.replace(/\/$/, '').replace('http', 'ws');
    const fake = new WebSocket(`${base}/board`);
    await new Promise((resolve) => fake.once('open', resolve));
    fake.send(
      JSON.stringify({
        type: 'state',
        run: '0123456789abcdef0123456789abcdef',
        project: 'forged',
        leds: [
          [0, 99, 0],
          [0, 99, 0],
          [0, 99, 0],
        ],
        oled: ['', '', '', ''],
      }),
    );
    fake.close();
    // A real board's own state is shown.
    boards.get('tcp-1')!.client.publish(
      '$iot/state/tcp-1',
      JSON.stringify({
        leds: [
          [0, 0, 80],
          [0, 0, 80],
          [0, 0, 80],
        ],
        oled: ['hi', '', '', ''],
      }),
    );
    await waitForTileLeds(wall, 'tcp-1', '0,0,80');
    await wall
      .locator('classroom-wall article[data-client-id="tcp-2"][data-online="false"]')
      .waitFor({ timeout: SLOW });
    for (const clientId of VIRTUAL) {
      const red = clientId !== STUBBORN;
      assert.equal(
        await tileLeds(wall, clientId),
        red ? '50,0,0 50,0,0 50,0,0' : '0,0,0 0,0,0 0,0,0',
      );
    }
  });

  it('stops every program: the virtual boards’ Runs end, real boards stay', async () => {
    await wall.locator('classroom-wall [data-action="stop-all"]').click();
    for (const [clientId, page] of pages) {
      await page.locator('[data-action="stop"][disabled]').waitFor({ timeout: SLOW });
      await wall
        .locator(`classroom-wall article[data-client-id="${clientId}"][data-online="false"]`)
        .waitFor({ timeout: SLOW });
    }
    assert.equal(boards.get('tcp-1')!.client.connected, true);
    await wall
      .locator('classroom-wall article[data-client-id="tcp-1"][data-online="true"]')
      .waitFor({ timeout: DEADLINE });
  });
});
