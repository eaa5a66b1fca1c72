// Life parity: what a program does over time on the board is what it does on the page. Each case
// runs as MicroPython on the real interpreter with the stand-in board in virtual time (the board's
// Timer, the broker's keep-alive check, a broker that goes away: test/support/micropython-board.ts)
// and as TypeScript on the real browser runtime against a real aedes broker, on a fake clock
// (life-worker.ts). Both get the same timeline; their effects and their life (online, dropped,
// top level ended, error at which block, ended) must agree, segment by segment.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import example from '../../src/examples/onenet-rgb.json' with { type: 'json' };
import { message, runOnBoard, type TimedEvent } from '../support/micropython-board.ts';
import { num, print, stack, txt, value, type BlockJson } from '../support/block-json.ts';
import { boardEffects, sameText, show, type Effect } from './trace.ts';
import type { LifeRequest, LifeResult } from './life-worker.ts';

const TOPIC = '$creq/6a5c1e7e';
const on = message(TOPIC, 'on');
const off = message(TOPIC, 'off');
const wait = (ms: number): TimedEvent => ({ wait: ms });

/** A deep copy of the tutorial's blocks (the OneNET RGB example), changed by `edit`. */
function tutorial(edit: (blocks: BlockJson[]) => void = () => {}): BlockJson[] {
  const blocks = structuredClone(example.workspace.blocks.blocks) as BlockJson[];
  edit(blocks);
  return blocks;
}

/** Every block in `blocks`, nested ones included. */
function* allBlocks(blocks: BlockJson[]): Generator<BlockJson> {
  for (const block of blocks) {
    yield block;
    const inputs = Object.values((block.inputs ?? {}) as Record<string, { block?: BlockJson }>);
    yield* allBlocks(inputs.flatMap((input) => (input.block ? [input.block] : [])));
    const next = (block.next as { block?: BlockJson } | undefined)?.block;
    if (next) yield* allBlocks([next]);
  }
}

/** The block with id `id`, for changing its fields. */
function byId(blocks: BlockJson[], id: string): BlockJson {
  const found = [...allBlocks(blocks)].find((b) => b.id === id);
  assert.ok(found, `no block ${id}`);
  return found;
}

/** Takes block `id` out of the stack it is in (the blocks after it move up). */
function remove(blocks: BlockJson[], id: string): void {
  for (const block of allBlocks(blocks)) {
    const next = block.next as { block?: BlockJson } | undefined;
    if (next?.block?.id === id) {
      const after = (next.block.next as { block?: BlockJson } | undefined)?.block;
      if (after) block.next = { block: after };
      else delete block.next;
      return;
    }
  }
  assert.fail(`block ${id} is not in a stack`);
}

const fields = (block: BlockJson) => block.fields as Record<string, unknown>;

/** The program's handler body: `count` goes up and the board prints 6 / (2 - count). */
function failingHandler(blocks: BlockJson[]): void {
  const handler = byId(blocks, 'on-message');
  const inputs = handler.inputs as { DO: { block: BlockJson } };
  inputs.DO.block = stack(
    {
      type: 'math_change',
      fields: { VAR: { id: 'count' } },
      inputs: { DELTA: num(1) },
    },
    {
      ...print(
        value({
          type: 'math_arithmetic',
          fields: { OP: 'DIVIDE' },
          inputs: {
            A: num(6),
            B: value({
              type: 'math_arithmetic',
              fields: { OP: 'MINUS' },
              inputs: {
                A: num(2),
                B: value({ type: 'variables_get', fields: { VAR: { id: 'count' } } }),
              },
            }),
          },
        }),
      ),
      id: 'divide',
    },
    inputs.DO.block,
  );
}

interface LifeCase {
  name: string;
  blocks: BlockJson[];
  variables?: string[];
  script: TimedEvent[];
  /** The life both must show (in order), and other facts of the board's run. */
  life: string[];
  /** The blocks of the errors both must show, in order of the segments they fall in. */
  errors?: (string | null)[];
  check?(board: Effect[]): void;
}

const ledsOf = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'leds' ? [JSON.stringify(e.leds[0])] : []));

const CASES: LifeCase[] = [
  {
    name: "the tutorial's program stays online for 3 × 1.5 × its keepalive and answers on/off",
    blocks: tutorial(),
    script: [wait(46_000), on, wait(46_000), off],
    life: ['online'],
    check: (board) => assert.deepEqual(ledsOf(board), ['[50,0,0]', '[0,0,0]']),
  },
  {
    name: 'without the keep-alive block the connect block keeps itself alive',
    blocks: tutorial((b) => remove(b, 'ping')),
    script: [wait(46_000), on, wait(46_000), off],
    life: ['online'],
    check: (board) => assert.deepEqual(ledsOf(board), ['[50,0,0]', '[0,0,0]']),
  },
  {
    name: 'a keep-alive slower than keepalive 10: dropped at 15 s, the listen block fails, ended',
    blocks: tutorial((b) => (fields(byId(b, 'ping')).PERIOD = 20_000)),
    script: [wait(14_000), on, wait(2_000), off],
    life: ['online', 'dropped', 'ended'],
    errors: ['listen'],
    check: (board) => assert.deepEqual(ledsOf(board), ['[50,0,0]']),
  },
  {
    name: 'without "listen forever" the top level ends and no message is handled',
    blocks: tutorial((b) => remove(b, 'listen')),
    script: [on, wait(30_000), off],
    life: ['online', 'top level ended'],
    check: (board) => assert.deepEqual(ledsOf(board), []),
  },
  {
    name: 'without "listen forever" and with a slow keep-alive: dropped after the top level ended',
    blocks: tutorial((b) => {
      remove(b, 'listen');
      fields(byId(b, 'ping')).PERIOD = 20_000;
    }),
    script: [on, wait(30_000)],
    life: ['online', 'top level ended', 'dropped', 'ended'],
    // The board's keep-alive timer then pings a closed socket: OSError, printed by the scheduler.
    errors: ['ping'],
  },
  {
    name: 'a handler that fails on its second message is reported and the board listens on',
    blocks: tutorial(failingHandler),
    variables: ['count'],
    script: [on, off, on],
    life: ['online'],
    errors: ['divide'],
    // The second message fails before its LEDs; the third is handled again.
    check: (board) => assert.deepEqual(ledsOf(board), ['[50,0,0]', '[50,0,0]']),
  },
  {
    name: 'loose blocks above and below the program run nowhere',
    blocks: [
      { ...print(txt('above')), x: 20, y: -200 },
      ...tutorial(),
      { ...print(txt('below')), x: 20, y: 900 },
    ],
    script: [on],
    life: ['online'],
    check: (board) =>
      assert.ok(!board.some((e) => e.type === 'print' && /above|below/.test(e.text))),
  },
  {
    name: 'a non-ASCII username and password connect on both',
    blocks: tutorial((b) =>
      Object.assign(fields(byId(b, 'connect')), { USERNAME: '老师', PASSWORD: '密码🔑' }),
    ),
    script: [on],
    life: ['online'],
    check: (board) =>
      assert.deepEqual(
        board.find((e) => e.type === 'connect'),
        {
          type: 'connect',
          clientId: 'deviceID',
          username: '老师',
          password: '密码🔑',
          keepalive: 10,
        },
      ),
  },
  {
    name: 'a handler that publishes while the keep-alive timer fires',
    blocks: tutorial((b) => {
      fields(byId(b, 'connect')).KEEPALIVE = 2;
      fields(byId(b, 'ping')).PERIOD = 1000;
      const handler = byId(b, 'on-message').inputs as { DO: { block: BlockJson } };
      handler.DO.block = stack(
        { type: 'mqtt_publish', inputs: { TOPIC: txt('lamp/ack'), MESSAGE: txt('got it') } },
        handler.DO.block,
      );
    }),
    script: [on, wait(10_000), off, wait(10_000), on],
    life: ['online'],
    check: (board) =>
      assert.equal(board.filter((e) => e.type === 'publish').length, 3, 'three acks'),
  },
  {
    name: 'the broker restarting: the board does not reconnect, its program ends',
    blocks: tutorial(),
    script: [on, 'broker restart', off, wait(5_000)],
    life: ['online', 'dropped', 'ended'],
    errors: ['listen'],
    check: (board) => assert.deepEqual(ledsOf(board), ['[50,0,0]']),
  },
];

/** Splits effects at each event marker: start-up first, then one segment per event. */
function segments(effects: Effect[]): { event: string; effects: Effect[] }[] {
  const out = [{ event: 'start-up', effects: [] as Effect[] }];
  for (const effect of effects) {
    if (effect.type === 'event') out.push({ event: effect.event, effects: [] });
    else out.at(-1)!.effects.push(effect);
  }
  return out;
}

const KINDS = ['connect', 'subscribe', 'publish', 'leds', 'oled', 'part', 'print', 'life'] as const;

/** The text of an effect, numbers in texts compared within single precision (see trace.ts). */
function same(a: Effect, b: Effect): boolean {
  const x = JSON.stringify(show(a));
  const y = JSON.stringify(show(b));
  return x === y || sameText(x, y);
}

/**
 * Where the board's and the browser's runs differ, or null: segment by segment, each kind of
 * effect in the same order with the same values, errors in the same segments, and the first
 * error of a segment at the same block where both sides can tell.
 */
function lifeDifference(board: Effect[], browser: Effect[]): string | null {
  const a = segments(board);
  const b = segments(browser);
  if (a.length !== b.length)
    return `the board played ${a.length - 1} events, the browser ${b.length - 1}`;
  for (let i = 0; i < a.length; i++) {
    const where = i === 0 ? 'at start-up' : `at event ${i} (${a[i].event})`;
    if (a[i].event !== b[i].event) return `${where}: the browser had ${b[i].event}`;
    for (const kind of KINDS) {
      const xs = a[i].effects.filter((e) => e.type === kind);
      const ys = b[i].effects.filter((e) => e.type === kind);
      if (xs.length !== ys.length || xs.some((e, j) => !same(e, ys[j]))) {
        return `${where}, ${kind}: board ${JSON.stringify(xs.map(show))}\n  browser ${JSON.stringify(ys.map(show))}`;
      }
    }
    const xError = a[i].effects.find((e) => e.type === 'error');
    const yError = b[i].effects.find((e) => e.type === 'error');
    if (!!xError !== !!yError) {
      const [who, error] = xError ? ['board', xError] : ['browser', yError!];
      return `${where}: only the ${who} failed: ${(error as { message: string }).message}`;
    }
    const [x, y] = [xError?.block, yError?.block];
    if (x && y && x !== y) return `${where}: the board failed at block ${x}, the browser at ${y}`;
  }
  return null;
}

/** Gives each board error the innermost main.py line of its traceback that a block made. */
function withBlocks(effects: Effect[], lineBlocks: (string | null)[]): Effect[] {
  return effects.map((effect) => {
    if (effect.type !== 'error') return effect;
    // A traceback lists the outermost call first.
    const lines = [...effect.message.matchAll(/File "main\.py", line (\d+)/g)]
      .map((match) => Number(match[1]))
      .reverse();
    const block = lines.map((line) => lineBlocks[line - 1]).find((id) => id) ?? null;
    return { ...effect, block };
  });
}

describe('life parity: the board and the page live the same life', () => {
  let worker: Worker;
  let ids = 0;
  before(async () => {
    registerBlocks();
    worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { module: './life-worker.ts' },
    });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  });
  after(async () => {
    worker.postMessage('close');
    await worker.terminate();
  });

  const onBrowser = (request: Omit<LifeRequest, 'id'>): Promise<LifeResult> =>
    new Promise((resolve, reject) => {
      const id = ids++;
      const onMessage = (result: LifeResult) => {
        if (result.id !== id) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(result);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ ...request, id });
    });

  for (const c of CASES) {
    it(c.name, async () => {
      const workspace = new Blockly.Workspace();
      Blockly.serialization.workspaces.load(
        {
          variables: (c.variables ?? []).map((name) => ({ name, id: name })),
          blocks: { languageVersion: 0, blocks: c.blocks },
        },
        workspace,
      );
      const python = generateMicroPython(workspace);
      const typescript = generateTypeScript(workspace);
      workspace.dispose();
      const run = await runOnBoard(python.code, c.script, {
        virtualTime: true,
        recordPrints: true,
        timeoutMs: 20_000,
      });
      const board = withBlocks(boardEffects(run), python.lineBlocks);
      const result = await onBrowser({
        typescript: typescript.code,
        lineBlocks: typescript.lineBlocks,
        script: c.script,
      });
      assert.ok('effects' in result, 'failure' in result ? result.failure : '');
      const browser = result.effects;
      const report = `\n--- board ---\n${JSON.stringify(board.map(show))}\n--- browser ---\n${JSON.stringify(browser.map(show))}\n--- MicroPython ---\n${python.code}`;
      const difference = lifeDifference(board, browser);
      assert.equal(difference, null, `${difference}${report}`);
      const life = board.flatMap((e) => (e.type === 'life' ? [e.event] : []));
      assert.deepEqual(life, c.life, `the board's life${report}`);
      const errorBlocks = segments(board).flatMap(({ effects }) => {
        const error = effects.find((e) => e.type === 'error');
        return error && error.type === 'error' ? [error.block ?? null] : [];
      });
      assert.deepEqual(errorBlocks, c.errors ?? [], `the board's errors${report}`);
      c.check?.(board);
    });
  }
});
