// A program's life in the browser is its life on the board (DESIGN.md, boundary 7), end to end:
// the real server (`npm start`'s code) and its aedes broker, the built studio in headless
// Chromium, projects opened through Project → Open as a child opens them. What the broker does to
// a silent client (closes it after 1.5 × its keepalive) is watched on the broker itself: a test
// waits for the pings that prove a program kept itself alive past the moment it would have been
// dropped, or for the drop, never for a fixed time.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Client } from 'aedes';
import { runtimeStringMaps } from '../../src/runtime/strings.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  eventually,
  launchChromium,
  ledColour,
  openProjectFile,
  projectWith,
  startTestStudio,
  waitForLeds,
  waitForOnline,
  waitForStudio,
} from './studio.ts';

/** Where the pictures a person looks at go (`life-dropped-silent.png`, `life-not-listening.png`). */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? tmpdir();

/** A test that hangs fails on its own instead of holding up the whole run. */
const LIMIT = { timeout: 120_000 };

/** The keepalive (seconds) of every program here: short, so the broker's verdict comes soon. */
const KEEPALIVE = 2;
/** How long a client may be silent before aedes closes it: 1.5 × keepalive. */
const BROKER_PATIENCE_MS = 1.5 * KEEPALIVE * 1000;
/** Alive this long after connecting, a program outlived three of the broker's deadlines. */
const OUTLIVED_MS = 3 * BROKER_PATIENCE_MS;
/** Deadline for the waits that must outlast OUTLIVED_MS on a slow, busy machine. */
const LONG_DEADLINE = OUTLIVED_MS + 4 * DEADLINE;

const en = runtimeStringMaps.en;

/** What the studio's broker saw, client by client, with the time it saw it. */
interface Seen {
  kind: 'connect' | 'ping' | 'disconnect' | 'keepalive-timeout' | 'direct';
  clientId: string;
  time: number;
  /** For a direct delivery (`cmd/<id>`): its payload as text. */
  text?: string;
  /** For a connect: how long aedes lets this client be silent (ms), from its CONNECT's keepalive. */
  patience?: number;
}

/** What aedes keeps on a client but leaves out of its typings (lib/handlers/connect.js). */
interface KeepaliveInternals {
  /** keepalive × 1500 + 1 ms: the silence after which aedes closes the client. */
  _keepaliveInterval?: number;
}

/** Records connects, PINGREQs, drops and direct deliveries on `studio`'s broker. */
function watchBroker(studio: Studio): Seen[] {
  const seen: Seen[] = [];
  const note = (kind: Seen['kind'], clientId: string, more: Partial<Seen> = {}) =>
    seen.push({ kind, clientId, time: Date.now(), ...more });
  studio.broker.aedes.on('client', (client: Client) =>
    note('connect', client.id, {
      patience: (client as unknown as KeepaliveInternals)._keepaliveInterval,
    }),
  );
  studio.broker.on('disconnect', (clientId) => note('disconnect', clientId));
  studio.broker.on('message', (message) => {
    if (message.direct && message.to) {
      note('direct', message.to, { text: message.payload.toString() });
    }
  });
  studio.broker.aedes.on('ping', (_packet, client: Client) => note('ping', client.id));
  studio.broker.aedes.on('keepaliveTimeout', (client: Client) =>
    note('keepalive-timeout', client.id),
  );
  return seen;
}

const number = (value: number) => ({ shadow: { type: 'math_number', fields: { NUM: value } } });
const fill = (id: string, [r, g, b]: [number, number, number]) => ({
  type: 'rgb_fill',
  id,
  inputs: { RED: number(r), GREEN: number(g), BLUE: number(b) },
});
const print = (id: string, value: object) => ({
  type: 'text_print',
  id,
  inputs: { TEXT: { block: value } },
});

/** Statement blocks chained one under the other. */
function stack(blocks: object[]): object {
  const [first, ...rest] = blocks;
  return rest.length ? { ...first, next: { block: stack(rest) } } : first;
}

/**
 * A program as a child builds it: connect as `clientId` with keepalive KEEPALIVE, then maybe a
 * keep-alive block of `keepAliveMs`, then maybe "keep listening for messages forever". On a
 * message it prints it, then `on` fills the LEDs red and `off` dark. With `button`, pressing A
 * prints "A pressed".
 */
function lifeProject(options: {
  clientId: string;
  keepAliveMs?: number;
  listen: boolean;
  button?: boolean;
}) {
  const main = [
    {
      type: 'mqtt_connect',
      id: 'connect',
      x: 20,
      y: 20,
      fields: {
        SERVER: '192.168.1.10',
        PORT: 1883,
        CLIENT_ID: options.clientId,
        USERNAME: '',
        PASSWORD: '',
        KEEPALIVE,
      },
    },
    ...(options.keepAliveMs
      ? [{ type: 'mqtt_keep_alive', id: 'ping', fields: { PERIOD: options.keepAliveMs } }]
      : []),
    ...(options.listen ? [{ type: 'mqtt_listen_forever', id: 'listen' }] : []),
  ];
  const handler = {
    type: 'mqtt_on_message',
    id: 'on-message',
    x: 20,
    y: 260,
    inputs: {
      DO: {
        block: stack([
          print('print-message', { type: 'mqtt_message' }),
          {
            type: 'controls_if',
            id: 'if',
            extraState: { elseIfCount: 1 },
            inputs: {
              IF0: { block: { type: 'mqtt_message_is', fields: { TEXT: 'on' } } },
              DO0: { block: fill('red', [50, 0, 0]) },
              IF1: { block: { type: 'mqtt_message_is', fields: { TEXT: 'off' } } },
              DO1: { block: fill('dark', [0, 0, 0]) },
            },
          },
        ]),
      },
    },
  };
  const button = {
    type: 'board_on_button',
    id: 'button-a',
    x: 420,
    y: 260,
    fields: { BUTTON: 'a' },
    inputs: {
      DO: { block: print('print-button', { type: 'text', fields: { TEXT: 'A pressed' } }) },
    },
  };
  return projectWith([stack(main), handler, ...(options.button ? [button] : [])]);
}

/** The warning sign's sentence on block `id` (whitespace as one space), or null when it has none. */
function warningAt(page: Page, id: string): Promise<{ text: string; open: boolean } | null> {
  return page.evaluate((id) => {
    const block = document.querySelector('iot-studio')!.editor!.workspace!.getBlockById(id)!;
    const icon = block.getIcons().find((i) => String(i.getType()) === 'warning') as
      { getText(): string; bubbleIsVisible(): boolean } | undefined;
    return icon
      ? { text: icon.getText().replace(/\s+/g, ' '), open: icon.bubbleIsVisible() }
      : null;
  }, id);
}

/**
 * The Messages panel's program lines of `kind` (`print`, `error`), as their text, once the line
 * `last` is drawn (the log draws a few times a second); the runtime's own `MQTT: …` line about
 * where it connects is left out.
 */
async function programLines(page: Page, kind: 'print' | 'error', last?: string): Promise<string[]> {
  const lines = page.locator(`message-console .entry[data-kind="${kind}"] .payload`);
  if (last !== undefined) {
    await lines.filter({ hasText: new RegExp(`^${last}$`) }).waitFor({ timeout: DEADLINE });
  }
  const texts = await lines.evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
  return texts.filter((text) => !text.startsWith('MQTT: '));
}

describe('a program lives in the browser as it lives on the board', () => {
  let studio: Studio;
  let seen: Seen[];
  let browser: Browser;

  before(async () => {
    ({ studio } = await startTestStudio());
    seen = watchBroker(studio);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** Runs `test` on a fresh English page, closes it, and fails if the page threw anything. */
  async function withPage(test: (page: Page) => Promise<void>): Promise<void> {
    const context: BrowserContext = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(studio.url);
      await waitForStudio(page);
      await test(page);
    } finally {
      await context.close();
    }
    assert.deepEqual(errors, [], 'the page threw nothing');
  }

  /** What the broker saw of `clientId` since `since`, of `kind`. */
  const of = (clientId: string, kind: Seen['kind'], since: number) =>
    seen.filter((s) => s.clientId === clientId && s.kind === kind && s.time >= since);

  /** Presses Run and waits until the board is online and the broker has `clientId`. */
  async function run(page: Page, clientId: string): Promise<number> {
    const pressed = Date.now();
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await eventually(() => of(clientId, 'connect', pressed).length > 0, `${clientId} to connect`);
    const [connect] = of(clientId, 'connect', pressed);
    assert.equal(connect.patience, BROKER_PATIENCE_MS + 1, 'the broker got keepalive 2');
    return connect.time;
  }

  /**
   * Waits until the broker, which closes a client silent for BROKER_PATIENCE_MS, has taken a
   * PINGREQ from `clientId` more than OUTLIVED_MS after it connected, then checks that it was
   * never dropped meanwhile and that the page still shows it online.
   */
  async function outlivesTheBroker(page: Page, clientId: string, connected: number) {
    await eventually(
      () => of(clientId, 'ping', connected).some((ping) => ping.time - connected > OUTLIVED_MS),
      `a ping from ${clientId} more than ${OUTLIVED_MS} ms after it connected`,
      LONG_DEADLINE,
    );
    assert.deepEqual(of(clientId, 'keepalive-timeout', connected), [], 'never dropped as silent');
    assert.deepEqual(of(clientId, 'disconnect', connected), [], 'never disconnected');
    assert.equal(of(clientId, 'connect', connected).length, 1, 'connected once');
    assert.deepEqual(studio.broker.online(), [clientId]);
    assert.equal(await page.locator('virtual-board [data-online="true"]').count(), 1);
  }

  /** Sends `on`, then `off`, from the Messages panel and waits for the LEDs each time. */
  async function answersOnAndOff(page: Page): Promise<void> {
    await page.locator('[data-tab="messages"]').click();
    await page.locator('[data-action="send-on"]:not([disabled])').click({ timeout: DEADLINE });
    await waitForLeds(page, '50,0,0');
    await page.locator('[data-action="send-off"]').click();
    await waitForLeds(page, '0,0,0');
  }

  it(
    'keepalive 2 with no keep-alive block: the connect block keeps it online, and it answers',
    LIMIT,
    () =>
      withPage(async (page) => {
        await openProjectFile(page, lifeProject({ clientId: 'life-a', listen: true }), {
          id: 'connect',
          field: 'CLIENT_ID',
          value: 'life-a',
        });
        assert.equal(await warningAt(page, 'connect'), null, 'the editor has nothing to warn of');
        const connected = await run(page, 'life-a');
        await outlivesTheBroker(page, 'life-a', connected);
        await answersOnAndOff(page);
        assert.deepEqual(await programLines(page, 'print', 'off'), ['on', 'off']);
        assert.deepEqual(await programLines(page, 'error'), []);
      }),
  );

  it(
    'keepalive 2 with a keep-alive block of 10000 ms: the broker drops it, and the page says why at the listen block',
    LIMIT,
    () =>
      withPage(async (page) => {
        await openProjectFile(
          page,
          lifeProject({ clientId: 'life-b', keepAliveMs: 10_000, listen: true }),
          { id: 'connect', field: 'CLIENT_ID', value: 'life-b' },
        );
        // The editor warns first.
        const slow = await warningAt(page, 'ping');
        assert.ok(slow, 'the keep-alive block has a warning sign');
        assert.match(slow.text, /^Too slow: the connect block's keep alive is 2 seconds/);

        const connected = await run(page, 'life-b');
        await eventually(
          () => of('life-b', 'keepalive-timeout', connected).length > 0,
          'the broker to drop the silent client',
        );
        await waitForOnline(page, false);

        // In Messages, in words, with the button that shows the listen block.
        const error = page.locator('message-console .entry[data-kind="error"]').last();
        await error.waitFor({ timeout: DEADLINE });
        const sentence = (await error.locator('.payload').textContent()) ?? '';
        const silent = Number(/sent nothing for (\d+) seconds/.exec(sentence)?.[1]);
        assert.equal(sentence, en.droppedSilent(silent, KEEPALIVE));
        assert.ok(silent >= KEEPALIVE, `silent for ${silent} s`);
        assert.equal(
          await error.locator('[data-action="show-block"]').getAttribute('data-block-id'),
          'listen',
        );
        // The listen block carries it: a warning sign with the same sentence, open, selected.
        assert.deepEqual(await warningAt(page, 'listen'), { text: sentence, open: true });
        await page.locator('g.blocklySelected[data-id="listen"]').waitFor({ timeout: DEADLINE });
        // And the program has ended, as main.py ends on the board.
        await page
          .locator('message-console .entry[data-kind="info"]', {
            hasText: 'The program has finished.',
          })
          .waitFor({ timeout: DEADLINE });
        assert.deepEqual(studio.broker.online(), []);
        await page.screenshot({ path: join(SCREENSHOTS, 'life-dropped-silent.png') });
      }),
  );

  it(
    'a message handler with nothing listening: `on` from Messages is not handled, and the page says why',
    LIMIT,
    () =>
      withPage(async (page) => {
        await openProjectFile(
          page,
          lifeProject({ clientId: 'life-c', listen: false, button: true }),
          { id: 'connect', field: 'CLIENT_ID', value: 'life-c' },
        );
        // The editor warns first.
        const warning = await warningAt(page, 'on-message');
        assert.ok(warning, 'the message handler has a warning sign');
        assert.match(warning.text, /^Nothing listens for messages/);

        const connected = await run(page, 'life-c');
        const notice = page.locator('message-console .entry .payload', {
          hasText: en.notListening,
        });
        await notice.waitFor({ timeout: DEADLINE });
        assert.equal(await notice.textContent(), en.notListening);

        await page.locator('[data-action="send-on"]:not([disabled])').click({ timeout: DEADLINE });
        // The broker wrote it to the program's connection…
        await eventually(
          () => of('life-c', 'direct', connected).some((s) => s.text === 'on'),
          'the broker to deliver `on` to life-c',
        );
        // …and the program, still running (its button handler answers after that), did not
        // handle it: no print, LEDs off, as on the board where nothing calls wait_msg().
        await page.locator('virtual-board [data-button="a"]').click();
        assert.deepEqual(await programLines(page, 'print', 'A pressed'), ['A pressed']);
        for (const led of [0, 1, 2]) assert.equal(await ledColour(page, led), '0,0,0');
        // The keep-alive goes on: it is still online.
        assert.equal(await page.locator('virtual-board [data-online="true"]').count(), 1);
        assert.deepEqual(of('life-c', 'disconnect', connected), []);
        await notice.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, 'life-not-listening.png') });
      }),
  );

  it(
    'the OneNET RGB example with keepalive 2 stays online past three of the broker’s deadlines and answers on and off',
    LIMIT,
    () =>
      withPage(async (page) => {
        await page.goto(`${studio.url}?example=onenet-rgb`);
        await waitForStudio(page);
        await page.waitForFunction(
          () =>
            document.querySelector('iot-studio')?.editor?.workspace?.getBlockById('connect') !=
            null,
          null,
          { timeout: DEADLINE },
        );
        // The child types 2 into the connect block's keep alive.
        await page.evaluate((keepalive) => {
          const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
          workspace.getBlockById('connect')!.setFieldValue(keepalive, 'KEEPALIVE');
        }, KEEPALIVE);
        assert.equal(await warningAt(page, 'ping'), null, 'its keep-alive of 2000 ms is enough');

        const connected = await run(page, 'deviceID');
        await outlivesTheBroker(page, 'deviceID', connected);
        await answersOnAndOff(page);
      }),
  );
});
