/**
 * An example's scenario: a script of events, and what both of its programs must do with it. The
 * MicroPython runs on the stand-in board, the TypeScript on the recording runtime; they must do
 * the same (what a person sees: topics, messages, the screen, the LEDs, the parts' states), and
 * what they did must be what the example promises. The examples test runs the scenarios of the
 * examples in src/examples/; a part's example (src/parts/<part>/example.json) has its scenario in
 * its part's test (test/parts/<part>.test.ts), which calls `exampleDoes`.
 */
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { exampleText } from '../../src/examples/index.ts';
import { PARTS } from '../../src/parts/index.ts';
import type { BoardState } from '../../src/board/board-state.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import {
  runOnBoard,
  type BoardRun,
  type Event,
  type SensorReadings,
  type TraceValue,
} from '../support/micropython-board.ts';
import { runTypeScript, type RuntimeRun } from '../support/recording-runtime.ts';

/** What a person sees a program do, in the same terms for both languages. */
export interface Seen {
  /** Topics subscribed to, in order. */
  subscribed: string[];
  /** Messages published, as [topic, text]. */
  published: [string, string][];
  /** The screen's four lines each time the program changed it. */
  screens: string[][];
  /** The three LEDs each time the program wrote them. */
  leds: number[][][];
  /** What the board parts showed (src/parts/), each change as its board-state patch. */
  parts: Partial<BoardState>[];
}

/** One example's script of events and what its programs must do with it. */
export interface Scenario {
  script: Event[];
  readings?: SensorReadings;
  /** Checks what both programs did (they must do the same, which is checked first). */
  expect(seen: Seen): void;
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A traced str or bytes as text. */
function text(value: TraceValue | unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return utf8.decode(value);
  throw new Error(`not text: ${JSON.stringify(value)}`);
}

/** What the MicroPython program did on the stand-in board. */
function seenOnBoard(run: BoardRun): Seen {
  const seen: Seen = { subscribed: [], published: [], screens: [], leds: [], parts: [] };
  const lines = ['', '', '', ''];
  for (const { call, args } of run.trace) {
    if (call === 'MQTTClient.subscribe') seen.subscribed.push(text(args[0]));
    if (call === 'MQTTClient.publish') seen.published.push([text(args[0]), text(args[1])]);
    // Each line is 16 pixels high: a line is cleared with fill_rect, then written with DispChar.
    if (call === 'oled.DispChar') lines[Number(args[2]) / 16] = text(args[0]);
    if (call === 'oled.fill') lines.fill('');
    if (call === 'oled.show') seen.screens.push([...lines]);
    if (call === 'rgb.write') seen.leds.push(args[0] as number[][]);
    for (const part of PARTS) {
      const patch = part.boardCall?.(call, args);
      if (patch) seen.parts.push(patch);
    }
  }
  return seen;
}

/** What the TypeScript program did on the recording runtime. */
function seenInBrowser(run: RuntimeRun): Seen {
  const seen: Seen = { subscribed: [], published: [], screens: [], leds: [], parts: [] };
  const parts = new Map(
    PARTS.map(({ runtime }) => [
      runtime.name,
      runtime.create({
        show: (patch) => seen.parts.push(patch),
        busy: async (_ms, ended) => ended?.(),
      }),
    ]),
  );
  const lines = ['', '', '', ''];
  for (const { call, args } of run.trace) {
    if (call === 'mqtt.subscribe') seen.subscribed.push(text(args[0]));
    if (call === 'mqtt.publish') seen.published.push([text(args[0]), text(args[1])]);
    if (call === 'oled.showText') lines[Number(args[1]) - 1] = text(args[0]);
    if (call === 'oled.clear') lines.fill('');
    if (call === 'oled.showText' || call === 'oled.clear') seen.screens.push([...lines]);
    if (call === 'rgb.write') seen.leds.push(args[0] as number[][]);
    const [name, method] = call.split('.');
    const part = parts.get(name);
    if (part && method) {
      // The part's own runtime piece shows what the call does (its waits take no time).
      const shown = (part as Record<string, (...a: unknown[]) => unknown>)[method](...args);
      void Promise.resolve(shown).catch(() => {});
    }
  }
  return seen;
}

/** The example `name`'s programs in both languages, as the studio would generate them. */
export function exampleCode(name: string): { python: string; typescript: string } {
  const text = exampleText(name);
  assert.ok(text, `no example ${name}`);
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, parseProject(text));
    return {
      python: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
    };
  } finally {
    workspace.dispose();
  }
}

/** Runs `scenario` on both of `code`'s programs: they must do the same, and what it expects. */
export async function scenarioHolds(
  code: { python: string; typescript: string },
  scenario: Scenario,
): Promise<void> {
  const board = await runOnBoard(code.python, scenario.script, {}, scenario.readings);
  assert.equal(board.error, undefined, board.error);
  const browser = await runTypeScript(code.typescript, scenario.script, {}, scenario.readings);
  assert.equal(browser.error, undefined, browser.error);
  const seen = seenOnBoard(board);
  assert.deepEqual(seenInBrowser(browser), seen);
  scenario.expect(seen);
}

/** Example `name` does what it promises (a part's test calls this for the part's example). */
export function exampleDoes(name: string, scenario: Scenario): Promise<void> {
  return scenarioHolds(exampleCode(name), scenario);
}
