// Faults, end to end: the real server (`npm start`'s code) and its aedes broker, the built studio
// in headless Chromium, a child's program in its Worker. Each test breaks something a classroom
// breaks — the broker goes away, a board sends a megabyte or bytes that are not text or HTML, a
// handler throws, Run and Stop are hammered, the autosave is damaged, the port is taken — and
// waits on what the child sees (the board's online indicator, the OLED, the Messages panel, the
// block) or on the broker's client count, never on a fixed sleep.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runtimeStringMaps } from '../../src/runtime/strings.ts';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  ROOT,
  eventually,
  launchChromium,
  openProject,
  projectWith,
  startTestStudio,
  waitForOnline,
  waitForStudio,
} from './studio.ts';

/** Where the pictures a person looks at go (`faults-error-at-block.png`, `faults-html.png`). */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? tmpdir();

/** A test that hangs fails on its own instead of holding up the whole run. */
const LIMIT = { timeout: 90_000 };

/** The client ID of the test program. */
const CLIENT_ID = 'faults-board';

const text = (value: string) => ({ block: { type: 'text', fields: { TEXT: value } } });
const message = () => ({ block: { type: 'mqtt_message' } });

/**
 * The test program: connect, subscribe to `faults/#`, listen; on every message print it and show
 * it on OLED line 1, and on `boom` print the length of a variable that was never set (a
 * TypeError, the kind of mistake a child makes) from the block `boom`.
 */
function faultsProject() {
  const project = projectWith([
    {
      type: 'mqtt_connect',
      id: 'connect',
      fields: {
        SERVER: '192.168.1.10',
        PORT: 1883,
        CLIENT_ID,
        USERNAME: '',
        PASSWORD: '',
        KEEPALIVE: 10,
      },
      next: {
        block: {
          type: 'mqtt_subscribe',
          id: 'subscribe',
          inputs: { TOPIC: text('faults/#') },
          next: { block: { type: 'mqtt_listen_forever', id: 'listen' } },
        },
      },
    },
    {
      type: 'mqtt_on_message',
      id: 'handler',
      x: 20,
      y: 220,
      inputs: {
        DO: {
          block: {
            type: 'text_print',
            id: 'print',
            inputs: { TEXT: message() },
            next: {
              block: {
                type: 'oled_show_text',
                id: 'oled',
                fields: { LINE: '1' },
                inputs: { TEXT: message() },
                next: {
                  block: {
                    type: 'controls_if',
                    id: 'if-boom',
                    inputs: {
                      IF0: { block: { type: 'mqtt_message_is', fields: { TEXT: 'boom' } } },
                      DO0: {
                        block: {
                          type: 'text_print',
                          id: 'boom',
                          inputs: {
                            TEXT: {
                              block: {
                                type: 'text_length',
                                inputs: {
                                  VALUE: {
                                    block: { type: 'variables_get', fields: { VAR: { id: 'x' } } },
                                  },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  ]);
  (project.workspace as Record<string, unknown>).variables = [{ name: 'x', id: 'x' }];
  return project;
}

/** Records which client subscribed to which filter on `studio`'s broker. */
function watchSubscriptions(studio: Studio): Set<string> {
  const seen = new Set<string>();
  studio.broker.aedes.on('subscribe', (subscriptions, client) => {
    for (const { topic } of subscriptions) seen.add(`${client.id} ${topic}`);
  });
  return seen;
}

/** What OLED line `line` shows, exactly. */
function oledLine(page: Page, line = 1): Promise<string | null> {
  return page.locator(`virtual-board [data-line="${line}"]`).textContent();
}

/** Waits until OLED line 1 shows exactly `expected`. */
async function waitForOled(page: Page, expected: string): Promise<void> {
  const exactly = new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await page
    .locator('virtual-board [data-line="1"]', { hasText: exactly })
    .waitFor({ state: 'attached', timeout: DEADLINE });
}

/** The Messages panel's entry for the message on `topic` (the newest, once it is there). */
function messageEntry(page: Page, topic: string) {
  return page
    .locator('message-console .entry[data-kind="message"]')
    .filter({ has: page.locator('.topic', { hasText: topic }) })
    .last();
}

/** The page answers: an animation frame comes and a click on a tab is rendered. */
async function pageAnswers(page: Page, tab: 'code' | 'messages'): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  await page.locator(`[data-tab="${tab}"]`).click({ timeout: DEADLINE });
  await page
    .locator(`[data-tab="${tab}"][aria-selected="true"]`)
    .waitFor({ state: 'attached', timeout: DEADLINE });
}

/** A TCP port that something else listens on, on every interface. */
function occupyPort(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

/** `promise`, or an error naming `what` after DEADLINE: a hung process fails the test saying so. */
function settled<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), DEADLINE);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * What `npm start` runs (`main` in src/server/main.ts, through tsx) in its own process with
 * `env`, serving the studio built in `root`; its output lines as they come.
 */
function startProcess(root: string, env: Record<string, string>) {
  const script = [
    "const { main } = await import('./src/server/main.ts');",
    'process.exitCode = await main(process.env, process.argv[1]);',
    // As src/server/start.js does: a stray handle must not keep the process alive.
    'setTimeout(() => process.exit(), 3000).unref();',
  ].join('\n');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, root],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out: string[] = [];
  const err: string[] = [];
  const collect = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      into.push(...lines);
    };
  };
  child.stdout.on('data', collect(out));
  child.stderr.on('data', collect(err));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve((exitCode = code))),
  );
  return { child, out, err, exited, ended: () => exitCode !== undefined };
}

describe('faults', () => {
  let studio: Studio;
  let subscriptions: Set<string>;
  let browser: Browser;

  before(async () => {
    ({ studio } = await startTestStudio());
    subscriptions = watchSubscriptions(studio);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** A page in a fresh browser context (its own storage), and the errors it throws uncaught. */
  async function openPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { context, page, errors };
  }

  /** Runs `test` on a fresh page, closes it, and fails if the page threw anything. */
  async function withPage(test: (page: Page) => Promise<void>): Promise<void> {
    const { context, page, errors } = await openPage();
    try {
      await test(page);
    } finally {
      await context.close();
    }
    assert.deepEqual(errors, [], 'the page threw nothing');
  }

  /** Opens the test program on `page`, presses Run and waits until it is online and subscribed. */
  async function runFaultsProgram(page: Page): Promise<void> {
    await page.goto(studio.url);
    await openProject(page, faultsProject());
    subscriptions.clear();
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await eventually(() => subscriptions.has(`${CLIENT_ID} faults/#`), 'the subscription');
  }

  it(
    'a taken port at start-up is one line: the next port is used, or none is near',
    LIMIT,
    async () => {
      // A copy of the built studio with no sources beside it: never stale, so the processes start
      // without building even while the sources are being edited (a build would replace the
      // files the studio of this test file serves).
      const built = await mkdtemp(join(tmpdir(), 'iot-blocks-faults-'));
      const busy: Server[] = [];
      try {
        await cp(join(ROOT, 'dist'), join(built, 'dist'), { recursive: true });
        busy.push(await occupyPort(), await occupyPort());
        const [http, mqtt] = busy.map(portOf);
        // And a port with the 19 after it busy, as many as the fallback tries (one that someone
        // else already holds counts too).
        const crowded = await occupyPort();
        busy.push(crowded);
        const port = portOf(crowded);
        for (let next = port + 1; next < port + 20; next++) {
          busy.push(await occupyPort(next).catch(() => createServer()));
        }
        const fallback = startProcess(built, {
          PORT: String(http),
          MQTT_PORT: String(mqtt),
          HOST: '127.0.0.1',
        });
        const refused = startProcess(built, {
          PORT: String(port),
          MQTT_PORT: '0',
          HOST: '127.0.0.1',
        });

        try {
          await eventually(
            () => fallback.out.some((line) => line.startsWith('MQTT TCP:')) || fallback.ended(),
            'the studio to start',
          );
          assert.ok(!fallback.ended(), `it ended: ${fallback.err.join('\n')}`);
          const studioLine = fallback.out.find((line) => line.startsWith('Studio: '))!;
          const mqttLine = fallback.out.find((line) => line.startsWith('MQTT TCP: '))!;
          const realHttp = Number(/:(\d+)\/$/.exec(studioLine)![1]);
          const realMqtt = Number(/:(\d+)$/.exec(mqttLine)![1]);
          // Every line that speaks of the busy ports, wherever it went (a build may print first).
          const aboutBusy = [...fallback.out, ...fallback.err].filter((line) =>
            new RegExp(`busy|in use|EADDRINUSE|\\b(${http}|${mqtt})\\b`, 'i').test(line),
          );
          assert.deepEqual(aboutBusy, [
            `Port ${http} is busy; using ${realHttp} instead.`,
            `MQTT port ${mqtt} is busy; using ${realMqtt} instead.`,
          ]);
          // The studio works at the address it printed.
          await withPage(async (page) => {
            await page.goto(`http://127.0.0.1:${realHttp}/`);
            await waitForStudio(page);
          });
        } finally {
          fallback.child.kill('SIGINT');
        }
        assert.equal(
          await settled(fallback.exited, 'the studio to end after Ctrl+C'),
          0,
          'Ctrl+C ends it cleanly',
        );

        assert.equal(await settled(refused.exited, 'the refused studio to end'), 1);
        // One sentence, and no stack trace (a build may print before it).
        assert.deepEqual(
          [...refused.out, ...refused.err].filter((line) =>
            /iot-blocks:|busy|EADDRINUSE|^\s+at /.test(line),
          ),
          [
            `iot-blocks: cannot start: Port ${port} and the 19 ports after it are busy; choose another port`,
          ],
        );
      } finally {
        for (const server of busy) server.close();
        await rm(built, { recursive: true, force: true });
      }
    },
  );

  it(
    'the broker stops mid-run: offline for good, the listen block says why, Run works once it is back',
    LIMIT,
    () =>
      withPage(async (page) => {
        await runFaultsProgram(page);
        await studio.broker.publish('faults/restart', 'before');
        await waitForOled(page, 'before');

        // The teacher's laptop stops the studio (Ctrl+C). umqtt.simple never reconnects: the
        // board's wait_msg() raises and main.py ends, and so does the program in the browser.
        const { httpPort, mqttPort } = studio;
        await studio.close();
        await waitForOnline(page, false);
        const error = page.locator('message-console .entry[data-kind="error"]').last();
        await error.waitFor({ timeout: DEADLINE });
        assert.equal(
          await error.locator('.payload').textContent(),
          runtimeStringMaps.en.droppedOther,
        );
        assert.equal(
          await error.locator('[data-action="show-block"]').getAttribute('data-block-id'),
          'listen',
        );
        await page
          .locator('message-console .entry[data-kind="info"]', {
            hasText: 'The program has finished.',
          })
          .waitFor({ timeout: DEADLINE });

        // It starts again on the same ports.
        studio = await startStudio({
          root: ROOT,
          port: httpPort,
          mqttPort,
          host: '127.0.0.1',
          log() {},
        });
        subscriptions = watchSubscriptions(studio);
        assert.equal(studio.httpPort, httpPort, 'the same port again');
        // The Messages panel is back on the server (it reconnects, being no board): the broker
        // is there, and the ended program did not come back to it.
        await page
          .locator('message-console .state[data-state="open"]')
          .waitFor({ state: 'attached', timeout: DEADLINE });
        assert.deepEqual(studio.broker.online(), []);
        assert.equal(await page.locator('virtual-board [data-online="false"]').count(), 1);

        // Run again, as the explanation says: online, subscribed, handling.
        await page.locator('[data-action="run"]').click();
        await waitForOnline(page, true);
        await eventually(() => subscriptions.has(`${CLIENT_ID} faults/#`), 'the subscription');
        await studio.broker.publish('faults/restart', 'after');
        await waitForOled(page, 'after');
        assert.deepEqual(studio.broker.online(), [CLIENT_ID]);
      }),
  );

  // One running program receives every message of these tests, in turn.
  describe('what a running program receives', () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    before(async () => {
      ({ context, page, errors } = await openPage());
      await runFaultsProgram(page);
    });

    after(async () => {
      await context?.close();
      assert.deepEqual(errors, [], 'the page threw nothing');
    });

    it('a message of 1 MB leaves the page answering, shown cut short', LIMIT, async () => {
      const big = Buffer.alloc(1024 * 1024, 'a');
      big.write('<END>', big.length - 5);
      await studio.broker.publish('faults/big', big);

      const entry = messageEntry(page, 'faults/big');
      await entry.waitFor({ timeout: DEADLINE });
      await pageAnswers(page, 'code');
      await pageAnswers(page, 'messages');
      // The Messages panel shows the start of it and says how much is left out.
      const shown = (await entry.locator('.payload').textContent()) ?? '';
      assert.ok(shown.length > 0 && shown.length <= 4096, `shows ${shown.length} characters`);
      assert.match((await entry.locator('.more').textContent()) ?? '', /^… \d+ more bytes$/);
      // What the program printed is cut short the same way, and so is the screen.
      const printed = page.locator('message-console .entry[data-kind="print"]').last();
      await printed.locator('.more').waitFor({ timeout: DEADLINE });
      assert.ok(((await printed.locator('.payload').textContent()) ?? '').length <= 4096);
      assert.ok(((await oledLine(page)) ?? '').length <= 64, 'the screen shows what fits');
      // And the program is there for the next message.
      await studio.broker.publish('faults/next', 'after the megabyte');
      await waitForOled(page, 'after the megabyte');
    });

    it('bytes that are not text show as escapes, tagged binary', LIMIT, async () => {
      // Not UTF-8, and a NUL.
      await studio.broker.publish('faults/bytes', Uint8Array.from([0xff, 0xfe, 0x00, 0x41, 0x80]));
      const entry = messageEntry(page, 'faults/bytes');
      await entry.waitFor({ timeout: DEADLINE });
      assert.equal(await entry.locator('.payload').textContent(), '\\xFF\\xFE\\x00A\\x80');
      assert.equal(await entry.locator('.tag').textContent(), 'binary');
      await pageAnswers(page, 'code');
      await studio.broker.publish('faults/next', 'after the bytes');
      await waitForOled(page, 'after the bytes');
    });

    it(
      'a payload with HTML shows as text in Messages and on the screen, never as markup',
      LIMIT,
      async () => {
        const markup = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
        await studio.broker.publish('faults/<i>topic</i>', markup);
        await waitForOled(page, markup);
        await pageAnswers(page, 'messages');
        const entry = messageEntry(page, 'faults/<i>topic</i>');
        await entry.waitFor({ timeout: DEADLINE });
        assert.equal(await entry.locator('.payload').textContent(), markup);
        assert.equal(await entry.locator('.topic').textContent(), 'faults/<i>topic</i>');
        const printed = page.locator('message-console .entry[data-kind="print"]').last();
        assert.equal(await printed.locator('.payload').textContent(), markup);
        // No element was made from it anywhere, and nothing in it ran.
        assert.equal(await page.locator('message-console :is(img, b, i)').count(), 0);
        assert.equal(await page.locator('virtual-board :is(img, b, i)').count(), 0);
        assert.equal(
          await page.evaluate(() => (window as { __pwned?: number }).__pwned),
          undefined,
        );
        await entry.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, 'faults-html.png') });
      },
    );

    it(
      'a handler that throws shows the error at its block, and the program keeps receiving',
      LIMIT,
      async () => {
        await studio.broker.publish('faults/x', 'boom');
        const error = page.locator('message-console .entry[data-kind="error"]').last();
        await error.waitFor({ timeout: DEADLINE });
        assert.equal(
          await error.locator('[data-action="show-block"]').getAttribute('data-block-id'),
          'boom',
        );
        // A sentence a child can read, naming where it happened and that the program goes on.
        const sentence = (await error.locator('.payload').textContent()) ?? '';
        assert.match(
          sentence,
          /^A “when a message arrives” block went wrong: .+\. The program keeps going with the next message\.$/,
        );
        // The block itself carries the error: a warning sign with the same sentence, open.
        const atBlock = await page.evaluate(() => {
          const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
          const icon = workspace
            .getBlockById('boom')!
            .getIcons()
            .find((i) => String(i.getType()) === 'warning') as
            { getText(): string; bubbleIsVisible(): boolean } | undefined;
          return icon ? { text: icon.getText(), open: icon.bubbleIsVisible() } : null;
        });
        assert.ok(atBlock, 'the block has a warning sign');
        // The same sentence, in lines that fit a bubble.
        assert.equal(atBlock.text.replace(/\s+/g, ' '), sentence);
        assert.equal(atBlock.open, true);
        await page.locator('g.blocklySelected[data-id="boom"]').waitFor({ timeout: DEADLINE });
        await page.screenshot({ path: join(SCREENSHOTS, 'faults-error-at-block.png') });

        await studio.broker.publish('faults/x', 'after the error');
        await waitForOled(page, 'after the error');
        await studio.broker.publish('faults/x', 'boom');
        await studio.broker.publish('faults/x', 'and after another');
        await waitForOled(page, 'and after another');
        const errors = page.locator('message-console .entry[data-kind="error"]');
        await errors.nth(1).waitFor({ timeout: DEADLINE });
        assert.equal(await errors.count(), 2);

        // Run again: the old error leaves the block.
        await page.locator('[data-action="run"]').click();
        await waitForOnline(page);
        const icons = await page.evaluate(
          () =>
            document
              .querySelector('iot-studio')!
              .editor!.workspace!.getBlockById('boom')!
              .getIcons().length,
        );
        assert.equal(icons, 0);
      },
    );
  });

  it('fifty quick Run/Stop cycles leave no Worker and no broker connection behind', LIMIT, () =>
    withPage(async (page) => {
      await page.goto(studio.url);
      await openProject(page, faultsProject());
      const baseline = studio.broker.online().length;
      // Clicked in the page, a frame apart, as quick hands do (a driven click takes several
      // round trips to the browser); twice the program gets as far as its broker before Stop.
      // (No named functions in here: the test's compiler would wrap them in a helper the page
      // does not have.)
      await page.evaluate(async (deadline) => {
        const studio = document.querySelector('iot-studio')!.shadowRoot!;
        const run = studio.querySelector<HTMLButtonElement>('[data-action="run"]')!;
        const stop = studio.querySelector<HTMLButtonElement>('[data-action="stop"]')!;
        const board = studio.querySelector('virtual-board')!.shadowRoot!;
        for (let cycle = 0; cycle < 50; cycle++) {
          run.click();
          await new Promise(requestAnimationFrame);
          if (cycle % 25 === 0) {
            const end = performance.now() + deadline;
            while (!board.querySelector('[data-online="true"]')) {
              if (performance.now() > end) throw new Error(`cycle ${cycle}: never online`);
              await new Promise(requestAnimationFrame);
            }
          }
          if (stop.disabled) throw new Error(`cycle ${cycle}: Stop is not enabled`);
          stop.click();
          await new Promise(requestAnimationFrame);
        }
      }, DEADLINE);
      await page
        .locator('[data-action="stop"][disabled]')
        .waitFor({ state: 'attached', timeout: DEADLINE });
      // At most the one idle Worker kept ready for the next Run.
      await eventually(() => page.workers().length <= 1, 'the program Workers to end');
      await eventually(
        () => studio.broker.online().length === baseline,
        'the broker to be back to its clients before',
      );
      assert.equal(await page.locator('virtual-board [data-online="false"]').count(), 1);
    }),
  );

  it('a damaged newest autosave falls back to the last good version, with a notice', LIMIT, () =>
    withPage(async (page) => {
      await page.goto(studio.url);
      await openProject(
        page,
        projectWith([{ type: 'text', id: 'marker', fields: { TEXT: 'Start' } }]),
      );
      /** Sets the marker block's text and waits until that is the newest saved version. */
      const setMarker = async (value: string) => {
        await page.evaluate((value) => {
          const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
          workspace.getBlockById('marker')!.setFieldValue(value, 'TEXT');
        }, value);
        await page.waitForFunction(
          (value) => {
            const id = document.querySelector('iot-studio')!.projectId;
            const newest = Object.keys(localStorage)
              .filter((key) => key.startsWith(`iot-blocks:project:${id}:`))
              .sort((a, b) => Number(b.split(':').at(-1)) - Number(a.split(':').at(-1)))[0];
            return localStorage.getItem(newest)?.includes(`"TEXT":"${value}"`);
          },
          value,
          { timeout: DEADLINE },
        );
      };
      const damage = [
        // Half written.
        '\u0000\u0000{"format": "iot',
        // Not a project at all.
        'null',
        // A project whose blocks cannot be loaded (a value block where a statement goes).
        JSON.stringify(projectWith([{ type: 'text_print', next: { block: { type: 'text' } } }])),
        // Blocks this studio does not know.
        JSON.stringify(projectWith([{ type: 'no_such_block' }])),
      ];
      for (const [n, damaged] of damage.entries()) {
        await setMarker(`Good ${n}`);
        await setMarker(`Newest ${n}`);
        // Where the newest save was, as a half-written disk or a stray edit leaves it.
        await page.evaluate((damaged) => {
          const id = document.querySelector('iot-studio')!.projectId;
          const newest = Object.keys(localStorage)
            .filter((key) => key.startsWith(`iot-blocks:project:${id}:`))
            .sort((a, b) => Number(b.split(':').at(-1)) - Number(a.split(':').at(-1)))[0];
          localStorage.setItem(newest, damaged);
        }, damaged);
        await page.reload();
        await waitForStudio(page);
        await page
          .locator('iot-studio[data-save-state="saved"]')
          .waitFor({ state: 'attached', timeout: DEADLINE });
        const marker = await page.evaluate(() =>
          document
            .querySelector('iot-studio')!
            .editor!.workspace!.getBlockById('marker')
            ?.getFieldValue('TEXT'),
        );
        assert.equal(marker, `Good ${n}`, `damage ${n}: the last good version opened`);
        assert.match(
          (await page.locator('.notice').textContent()) ?? '',
          /The newest save of “Test” was damaged, so the version saved at .+ was opened\./,
        );
      }
    }),
  );
});
