// The buzzer (src/parts/buzzer/): one table of cases holding what each block makes in both
// languages and what the board does with it; the MicroPython run on the real interpreter with the
// board's `music` stand-in and the TypeScript on the real browser runtime, showing the same; the
// runtime piece waiting as the firmware does; and the studio in Chromium, where a tune started
// by a message sent from Messages makes the virtual board show that it sounds, and then stops.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import type { Browser, Page } from 'playwright-core';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { createBrowserRuntime } from '../../src/runtime/browser-runtime.ts';
import { RUNTIME_MODULE } from '../../src/runtime/contract.ts';
import { AsyncFunction } from '../../src/run/program-line.ts';
import type { FromWorker } from '../../src/run/protocol.ts';
import type { BoardState } from '../../src/board/board-state.ts';
import { PARTS } from '../../src/parts/index.ts';
import {
  runtime as buzzerRuntime,
  TUNES,
  tuneTones,
  type Buzzer,
} from '../../src/parts/buzzer/runtime.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { message, runOnBoard } from '../support/micropython-board.ts';
import { patchEffects, type Effect } from '../parity/trace.ts';
import { startParityBroker, type ParityBroker } from '../parity/browser-board.ts';
import { exampleCode, exampleDoes } from '../examples/scenario.ts';
import { transform } from 'sucrase';
import {
  DEADLINE,
  launchChromium,
  startTestStudio,
  waitForOnline,
  waitForStudio,
} from '../e2e/studio.ts';

registerBlocks();

const num = (n: number) => ({ shadow: { type: 'math_number', fields: { NUM: n } } });

/** One block (or a few) and what it makes: code in both languages, calls on the board. */
interface Case {
  name: string;
  /** The program's blocks, one stack. */
  blocks: object[];
  /** Lines the MicroPython holds, besides `import music` at the top. */
  micropython: string[];
  /** Lines the TypeScript holds. */
  typescript: (string | RegExp)[];
  /** The `music` calls the board sees, in order (`music idle`: the call has returned). */
  board: [call: string, args: unknown[]][];
}

const CASES: Case[] = [
  {
    name: 'a note for half a second',
    blocks: [{ type: 'buzzer_play_note', fields: { NOTE: '262' }, inputs: { MS: num(500) } }],
    micropython: ['music.pitch(262, 500)'],
    typescript: ['await buzzer.pitch(262, 500);'],
    board: [
      ['music.pitch', [262, 500]],
      ['music idle', []],
    ],
  },
  {
    name: 'a note for a time worked out by the program, made whole as the board needs',
    blocks: [
      {
        type: 'buzzer_play_note',
        fields: { NOTE: '440' },
        inputs: {
          MS: {
            block: {
              type: 'math_arithmetic',
              fields: { OP: 'DIVIDE' },
              inputs: { A: num(501), B: num(2) },
            },
          },
        },
      },
    ],
    micropython: ['music.pitch(440, int(501 / 2))'],
    typescript: [/await buzzer\.pitch\(440, pythonInt\(501 \/ 2\)\);/],
    board: [
      ['music.pitch', [440, 250]],
      ['music idle', []],
    ],
  },
  {
    name: 'a built-in tune',
    blocks: [{ type: 'buzzer_play_tune', fields: { TUNE: 'BA_DING' } }],
    micropython: ['music.play(music.BA_DING)'],
    typescript: ['await buzzer.play("BA_DING");'],
    board: [
      ['music.play', [[...TUNES.BA_DING]]],
      ['music idle', []],
    ],
  },
  {
    name: 'another tune, then stop',
    blocks: [{ type: 'buzzer_play_tune', fields: { TUNE: 'JUMP_UP' } }, { type: 'buzzer_stop' }],
    micropython: ['music.play(music.JUMP_UP)', 'music.stop()'],
    typescript: ['await buzzer.play("JUMP_UP");', 'buzzer.stop();'],
    board: [
      ['music.play', [[...TUNES.JUMP_UP]]],
      ['music idle', []],
      ['music.stop', []],
    ],
  },
];

/** A workspace holding `blocks` as one stack, and its code in both languages. */
function generate(blocks: object[]): { python: string; typescript: string } {
  const [first, ...rest] = blocks.map((block) => ({ ...block }) as Record<string, unknown>);
  rest.reduce((above, block) => {
    above.next = { block };
    return block;
  }, first);
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(
      { blocks: { languageVersion: 0, blocks: [first] } },
      workspace,
    );
    return {
      python: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
    };
  } finally {
    workspace.dispose();
  }
}

/** The board-state effects of running `code` on the real browser runtime (no waiting). */
async function runInBrowser(code: string): Promise<Effect[]> {
  const effects: Effect[] = [];
  const port = {
    post(message: FromWorker) {
      if (message.type === 'board') effects.push(...patchEffects(message.patch));
      if (message.type === 'error') throw new Error(message.message);
    },
  };
  const browser = createBrowserRuntime(
    port,
    { url: 'ws://127.0.0.1:9/mqtt', sendCredentials: false },
    { parts: PARTS.map((part) => part.runtime), partTimeScale: 0 },
  );
  const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  const require = (name: string) => {
    assert.equal(name, RUNTIME_MODULE);
    return browser.runtime;
  };
  await new AsyncFunction('require', 'exports', js)(require, {});
  await browser.stop();
  return effects;
}

describe('buzzer: every case in both languages, on the board and in the browser', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { python, typescript } = generate(c.blocks);
      assert.match(python, /^import music$/m);
      for (const line of c.micropython) assert.ok(python.includes(`${line}\n`), python);
      for (const line of c.typescript) {
        if (typeof line === 'string') assert.ok(typescript.includes(line), typescript);
        else assert.match(typescript, line);
      }
      assert.match(typescript, /^import \{ buzzer \} from "@iot-blocks\/runtime";$/m);

      // The real MicroPython interpreter with the board's `music` module stood in.
      const run = await runOnBoard(python, []);
      assert.equal(run.error, undefined, run.error);
      const calls = run.trace.filter(({ call }) => call.startsWith('music'));
      assert.deepEqual(
        calls.map(({ call, args }) => [call, args]),
        c.board,
      );

      // What the board shows for those calls is what the browser runtime shows.
      const boardShows = calls.flatMap(({ call, args }) =>
        PARTS.flatMap((part) => patchEffects(part.boardCall?.(call, args) ?? {})),
      );
      assert.deepEqual(await runInBrowser(typescript), boardShows);
    });
  }
});

describe('buzzer: the runtime waits as the firmware does', () => {
  /** The buzzer on a board that records what it shows and how long each wait is. */
  function recorded(): { buzzer: Buzzer; shown: Partial<BoardState>[]; waits: number[] } {
    const shown: Partial<BoardState>[] = [];
    const waits: number[] = [];
    const buzzer = buzzerRuntime.create({
      show: (patch) => shown.push(patch),
      busy: async (ms, ended) => {
        waits.push(ms);
        ended?.();
      },
    });
    return { buzzer, shown, waits };
  }

  it('a note sounds for its time, then 10 ms of silence, before the program goes on', async () => {
    const { buzzer, shown, waits } = recorded();
    await buzzer.pitch(262, 500);
    assert.deepEqual(waits, [510]);
    assert.deepEqual(shown, [
      {
        buzzer: {
          tones: [
            [262, 500],
            [0, 10],
          ],
        },
      },
      { buzzer: null },
    ]);
  });

  it('a tune plays note by note: ticks × 125 ms, the last 10 ms of each silent', async () => {
    const { buzzer, shown, waits } = recorded();
    await buzzer.play('BA_DING');
    // b5:1 and e6:3 — the firmware's periods: B4's 2025 µs halved (988 Hz), E4's 3034 µs
    // quartered (1319 Hz); one tick and three.
    assert.deepEqual(shown[0], {
      buzzer: {
        tones: [
          [988, 115],
          [0, 10],
          [1319, 365],
          [0, 10],
        ],
      },
    });
    assert.deepEqual(waits, [500]);
    const birthday = recorded();
    await birthday.buzzer.play('BIRTHDAY');
    // 25 notes, four phrases of 24 ticks each (3+1+4+4+4+8, …).
    assert.deepEqual(birthday.waits, [96 * 125]);
  });

  it('a note with a negative time sounds until stopped and does not wait', async () => {
    const { buzzer, shown, waits } = recorded();
    await buzzer.pitch(330, -1);
    assert.deepEqual(waits, []);
    buzzer.stop();
    assert.deepEqual(shown, [{ buzzer: { tones: [[330, -1]] } }, { buzzer: null }]);
  });

  it('refuses what the board refuses', async () => {
    const { buzzer } = recorded();
    await assert.rejects(buzzer.pitch(262, Number.NaN), TypeError);
    await assert.rejects(buzzer.play('NOPE' as keyof typeof TUNES), TypeError);
  });
});

describe('buzzer: a tune or a timed note holds every other handler until it returns', () => {
  // The firmware's `music.play` busy-waits without running scheduled callbacks, so a press, a
  // Timer and the main loop's next message wait for it (modmusic.c, wait_async_music_idle).
  let broker: ParityBroker;
  before(async () => {
    broker = await startParityBroker();
  });
  after(async () => {
    await broker?.close();
  });

  /** The doorbell's code: button A rings; a message is shown on line 2, then rings. */
  const doorbellCode = () => exampleCode('doorbell');

  /**
   * The doorbell on the real browser runtime against a real broker, the buzzer's waits twice the
   * board's (BA_DING: a second): what it shows (`sounding`, `silent`, `line 2: …`), in order.
   */
  async function runDoorbell() {
    await broker.idle();
    const seen: string[] = [];
    const port = {
      post(message: FromWorker) {
        if (message.type === 'error') throw new Error(message.message);
        if (message.type !== 'board') return;
        if ('buzzer' in message.patch) seen.push(message.patch.buzzer ? 'sounding' : 'silent');
        if (message.patch.oled) seen.push(`line 2: ${message.patch.oled[1]}`);
      },
    };
    const browser = createBrowserRuntime(
      port,
      { url: broker.url, sendCredentials: false },
      { parts: PARTS.map((part) => part.runtime), partTimeScale: 2 },
    );
    let clientId = '';
    const runtime = {
      ...browser.runtime,
      mqtt: {
        ...browser.runtime.mqtt,
        async connect(options: Parameters<typeof browser.runtime.mqtt.connect>[0]) {
          await browser.runtime.mqtt.connect(options);
          clientId = String(options.clientId);
        },
      },
    };
    const js = transform(doorbellCode().typescript, { transforms: ['typescript', 'imports'] }).code;
    const running = new AsyncFunction('require', 'exports', js)(() => runtime, {});
    /** Resolves once `seen` holds `count` entries (generous: the machine may be busy). */
    const until = async (count: number) => {
      const deadline = Date.now() + DEADLINE;
      while (seen.length < count) {
        if (Date.now() > deadline) assert.fail(`waited for ${count} board changes: ${seen}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    await until(1); // the greeting
    while (!clientId || !broker.connected(clientId)) await new Promise((r) => setTimeout(r, 5));
    seen.length = 0;
    const message = (text: string) =>
      broker.deliver(clientId, new TextEncoder().encode('t'), new TextEncoder().encode(text));
    return {
      seen,
      until,
      message,
      press: () => browser.input({ kind: 'button', button: 'a' }),
      async stop() {
        await browser.stop();
        await Promise.race([running, Promise.resolve()]);
      },
    };
  }

  it('button A pressed twice: two tunes, one after the other', async () => {
    const board = await runDoorbell();
    try {
      board.press();
      board.press();
      await board.until(4);
      assert.deepEqual(board.seen, ['sounding', 'silent', 'sounding', 'silent']);
    } finally {
      await board.stop();
    }
  });

  it('a message that comes during the tune is handled after it', async () => {
    const board = await runDoorbell();
    try {
      board.press();
      await board.until(1);
      assert.ok(await board.message('hello'));
      await board.until(5);
      assert.deepEqual(board.seen, ['sounding', 'silent', 'line 2: hello', 'sounding', 'silent']);
    } finally {
      await board.stop();
    }
  });

  it("a press during a message's tune rings after it", async () => {
    const board = await runDoorbell();
    try {
      assert.ok(await board.message('hello'));
      await board.until(2);
      board.press();
      await board.until(5);
      assert.deepEqual(board.seen, ['line 2: hello', 'sounding', 'silent', 'sounding', 'silent']);
    } finally {
      await board.stop();
    }
  });

  it('on the board: the presses ring one after the other, and a Timer waits for the tune', async () => {
    const { python } = doorbellCode();
    const run = await runOnBoard(python, ['press a', 'press a', { topic: 't', payload: 'hi' }]);
    assert.equal(run.error, undefined, run.error);
    // The stand-in plays the script's events only in wait_msg(): each handler has returned first.
    const calls = run.trace.filter(({ call }) => /^(music|press|deliver)/.test(call));
    assert.deepEqual(
      calls.map(({ call }) => call),
      [
        ...['press', 'music.play', 'music idle'],
        ...['press', 'music.play', 'music idle'],
        ...['deliver', 'music.play', 'music idle'],
      ],
    );

    // A 100 ms Timer during a 500 ms tune: its callbacks run only once the tune is over.
    const timed = await runOnBoard(
      [
        'from machine import Timer',
        'import music',
        't = Timer(1)',
        't.init(period=100, mode=Timer.PERIODIC, callback=lambda _: print("tick"))',
        'music.play(music.BA_DING)',
        'print("after")',
      ].join('\n'),
      [],
      { virtualTime: true, recordPrints: true },
    );
    assert.equal(timed.error, undefined, timed.error);
    const order = timed.trace
      .filter(({ call }) => call === 'print' || call.startsWith('music'))
      .map(({ call, args }) => (call === 'print' ? String(args[0]).trim() : call));
    // Five periods came due; the scheduler's queue holds four.
    assert.deepEqual(order, ['music.play', 'music idle', 'tick', 'tick', 'tick', 'tick', 'after']);
  });
});

describe('buzzer: its example, the doorbell (example.json)', () => {
  it('button A rings, and so does a message, which the screen shows too', async () => {
    const ring = [{ buzzer: { tones: tuneTones(TUNES.BA_DING) } }, { buzzer: null }];
    await exampleDoes('doorbell', {
      script: ['press a', message('cmd/door', 'Grandma')],
      expect(seen) {
        assert.deepEqual(seen.parts, [...ring, ...ring]);
        assert.deepEqual(seen.screens.at(-1), ['Doorbell', 'Grandma', '', '']);
      },
    });
  });
});

describe('buzzer in the studio (Chromium)', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** Records every state the board's buzzer takes from now on (a short tune is over fast). */
  const watchBuzzer = () =>
    page.evaluate(() => {
      const root = document.querySelector('iot-studio')!.shadowRoot!;
      const board = root.querySelector('virtual-board')!.shadowRoot!;
      const seen: string[] = [];
      (window as unknown as { buzzerSeen: string[] }).buzzerSeen = seen;
      new MutationObserver(() => {
        const state = board.querySelector('[data-buzzer]')?.getAttribute('data-buzzer');
        if (state && state !== seen.at(-1)) seen.push(state);
      }).observe(board, { subtree: true, attributes: true, attributeFilter: ['data-buzzer'] });
    });
  const buzzerSeen = () =>
    page.evaluate(() => (window as unknown as { buzzerSeen: string[] }).buzzerSeen);
  const buzzer = () => page.locator('virtual-board [data-buzzer]');

  it('the doorbell: a message sent from Messages rings it, and it goes quiet after the tune', async () => {
    await page.goto(`${studio.url}?example=doorbell`);
    await waitForStudio(page);
    await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
    assert.equal(await buzzer().getAttribute('data-buzzer'), 'silent');
    await page.locator('[data-action="run"]').click();
    await waitForOnline(page);
    await page.locator('[data-tab="messages"]').click();

    await watchBuzzer();
    await page.locator('[data-action="send-on"]:not([disabled])').click({ timeout: DEADLINE });
    // The screen shows the message; the buzzer sounded and, half a second later, stopped.
    await page
      .locator('virtual-board [data-line="2"]', { hasText: 'on' })
      .waitFor({ timeout: DEADLINE });
    await page.waitForFunction(
      () => (window as unknown as { buzzerSeen: string[] }).buzzerSeen.join() === 'sounding,silent',
      undefined,
      { timeout: DEADLINE },
    );
    assert.deepEqual(await buzzerSeen(), ['sounding', 'silent']);

    // Button A rings it too.
    await watchBuzzer();
    await page.locator('virtual-board [data-button="a"]').click();
    await page.waitForFunction(
      () => (window as unknown as { buzzerSeen: string[] }).buzzerSeen.join() === 'sounding,silent',
      undefined,
      { timeout: DEADLINE },
    );
    await page.locator('[data-action="stop"]').click();
    assert.equal(await buzzer().getAttribute('data-buzzer'), 'silent');
  });
});
