// Parity: the MicroPython and the TypeScript generated from the same blocks do the same thing.
// Each program runs on the real MicroPython interpreter (the stand-in board) and on the real
// browser runtime (a recording board and a real broker), fed the same script of events; their
// board effects must agree (test/parity/trace.ts says how they are compared). Every example and
// RANDOM_COUNT random programs from a fixed seed; the long run is test/parity/long-run.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exampleList } from '../../src/examples/index.ts';
import { message, type Event } from '../support/micropython-board.ts';
import { ParityPool, type ParityCase } from './harness.ts';
import { runRandom, usageTable, MIN_SHARE } from './random-run.ts';
import { compare, sameText, type Effect } from './trace.ts';

/** The random programs in `npm test`: seeds SEED … SEED + RANDOM_COUNT - 1. */
const SEED = 20261128;
const RANDOM_COUNT = 500;

/** Every kind of event, and messages that examples react to (on, off) and that they must not. */
const EXAMPLE_SCRIPT: Event[] = [
  'tick',
  message('$creq/6a5c1e7e', 'on'),
  'press a',
  message('class/chat/Ann', 'hi 你好'),
  'press b',
  message('$creq/6a5c1e7e', new Uint8Array([0xff, 0xfe])),
  message('$creq/6a5c1e7e', 'off'),
  'tick',
  'press a',
  // OneNET's current platform: commands on the device's command topic, answered by a reply.
  message('$sys/productID/lamp/cmd/request/42', 'on'),
  message('$sys/productID/lamp/cmd/request/43', 'off'),
];

interface Workspace {
  variables?: { name: string; id: string }[];
  blocks: { blocks: ParityCase['blocks'] };
}

describe('parity of the MicroPython and the TypeScript', () => {
  let pool: ParityPool;
  before(() => {
    pool = new ParityPool();
  });
  after(() => pool.close());

  it('compares numbers in text within single precision, and sees other differences', () => {
    assert.ok(sameText('3.0', '3'));
    assert.ok(sameText('x 0.30000001 y', 'x 0.30000000000000004 y'));
    assert.ok(!sameText('0.31', '0.3'));
    assert.ok(!sameText('True', 'true'));
    const effects: Effect[] = [
      { type: 'leds', leds: [[50, 0, 0]] },
      { type: 'event', event: 'deliver' },
      { type: 'oled', lines: ['on', '', '', ''] },
    ];
    assert.equal(compare(effects, structuredClone(effects)).difference, null);
    const other = structuredClone(effects);
    other[2] = { type: 'oled', lines: ['off', '', '', ''] };
    assert.match(compare(effects, other).difference ?? '', /at event 1 \(deliver\), oled/);
    assert.match(compare(effects, effects.slice(0, 1)).difference ?? '', /played 1 events/);
  });

  for (const example of exampleList) {
    it(`example ${example.name}`, async () => {
      const { workspace } = example.project as { workspace: Workspace };
      const outcome = await pool.check({
        blocks: workspace.blocks.blocks,
        variables: (workspace.variables ?? []).map((v) => v.name),
        script: EXAMPLE_SCRIPT,
        // The light reporter loops reading the light level: three readings, then its script ends.
        readings: { light: [100, 2000, 4095] },
      });
      assert.equal(
        outcome.difference,
        null,
        `${outcome.difference}\n--- MicroPython ---\n${outcome.python}\n--- TypeScript ---\n${outcome.typescript}`,
      );
      // Two runs that did nothing would agree too: each example must show something.
      const result = outcome.result!;
      assert.ok(
        'board' in result && result.board.some((e) => e.type !== 'event' && e.type !== 'connect'),
      );
    });
  }

  it(`${RANDOM_COUNT} random programs from seed ${SEED}`, async (t) => {
    const result = await runRandom(pool, SEED, RANDOM_COUNT);
    t.diagnostic(`block usage (count, share of programs):\n${usageTable(result)}`);
    t.diagnostic(`${result.emojiCounted} programs count the letters of a text with an emoji`);
    // Letters are code points on both sides only if the programs meet emoji where letters count.
    assert.ok(
      result.emojiCounted >= MIN_SHARE * RANDOM_COUNT,
      `only ${result.emojiCounted} programs count the letters of a text with an emoji`,
    );
    assert.deepEqual(
      result.underUsed,
      [],
      `our blocks in fewer than ${MIN_SHARE * 100}% of the programs (or without a builder)`,
    );
    assert.equal(
      result.differences.length,
      0,
      `${result.differences.length} of ${result.cases} programs differ:\n\n` +
        result.differences.map((d) => d.report).join('\n\n'),
    );
  });
});
