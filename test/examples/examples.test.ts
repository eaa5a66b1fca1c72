// Every example project: it loads as a project, has no block warnings, generates both languages,
// its main.py compiles under the real MicroPython and runs on the stand-in board, its TypeScript
// type-checks against the runtime contract and runs on the recording runtime, and both programs
// do what the example promises, the same in both languages, for the same script of events.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningsIn } from '../../src/editor/warnings.ts';
import { exampleList, exampleNamed, examples, exampleText } from '../../src/examples/index.ts';
import { en } from '../../src/examples/strings.ts';
import { loadProject, parseProject, type Project } from '../../src/project/project-file.ts';
import {
  message,
  runOnBoard,
  type BoardRun,
  type Event,
  type SensorReadings,
  type TraceValue,
} from '../support/micropython-board.ts';
import { runTypeScript, type RuntimeRun } from '../support/recording-runtime.ts';
import { TUNES, type TuneName } from '../../src/parts/buzzer/runtime.ts';
import { describeDiagnostic, typeCheck, type TypeCheckResult } from '../support/type-check.ts';

registerBlocks();

/** What a person sees a program do, in the same terms for both languages. */
interface Seen {
  /** Topics subscribed to, in order. */
  subscribed: string[];
  /** Messages published, as [topic, text]. */
  published: [string, string][];
  /** The screen's four lines each time the program changed it. */
  screens: string[][];
  /** The three LEDs each time the program wrote them. */
  leds: number[][][];
  /** The buzzer's built-in tunes, by name, each time one played. */
  tunes: string[];
}

/** One example's script of events and what its programs must do with it. */
interface Scenario {
  script: Event[];
  readings?: SensorReadings;
  /** Checks what both programs did (they must do the same, which is checked first). */
  expect(seen: Seen): void;
}

const RED = [50, 0, 0];
const DARK = [0, 0, 0];
const BLUE = [0, 0, 60];

const scenarios: Record<string, Scenario> = {
  'onenet-rgb': {
    script: [message('$creq/1', 'on'), message('$creq/2', 'off')],
    expect(seen) {
      assert.deepEqual(seen.leds, [
        [RED, RED, RED],
        [DARK, DARK, DARK],
      ]);
      assert.deepEqual(seen.published, []);
    },
  },
  'button-publish': {
    script: ['press a', 'press a'],
    expect(seen) {
      assert.deepEqual(seen.published, [
        ['class/hello', 'hello from A'],
        ['class/hello', 'hello from A'],
      ]);
      const shown = seen.screens.map((lines) => lines[1]);
      assert.deepEqual(shown, ['', 'sent!', '', 'sent!', '']);
      assert.equal(seen.screens[0][0], 'Press A!');
    },
  },
  'two-boards-chat': {
    script: [message('class/chat/Ann', 'hi!'), 'press a', 'press b'],
    expect(seen) {
      assert.deepEqual(seen.subscribed, ['class/chat/Ann']);
      assert.deepEqual(seen.published, [
        ['class/chat/Ben', 'hi!'],
        ['class/chat/Ben', 'bye!'],
      ]);
      assert.deepEqual(seen.screens.at(-1), ['Ann', 'hi!', 'sent: bye!', 'A: hi  B: bye']);
      // A message blinks the LEDs blue.
      assert.deepEqual(seen.leds, [
        [BLUE, BLUE, BLUE],
        [DARK, DARK, DARK],
      ]);
    },
  },
  'oled-messages': {
    script: [message('class/hello', 'hello from A'), message('class/light', '1234')],
    expect(seen) {
      assert.deepEqual(seen.subscribed, ['class/#']);
      assert.deepEqual(seen.screens[0], ['Waiting...', '', '', '']);
      // Each message rewrites lines 1, 2 and 3 (the count), in that order.
      assert.deepEqual(
        seen.screens.find((lines) => lines[2] === '1'),
        ['class/hello', 'hello from A', '1', ''],
      );
      assert.deepEqual(seen.screens.at(-1), ['class/light', '1234', '2', '']);
    },
  },
  'light-reporter': {
    script: [],
    // A fourth read finds no level left: that ends the endless loop (see SensorReadings).
    readings: { light: [100, 2000, 4095] },
    expect(seen) {
      assert.deepEqual(seen.published, [
        ['class/light', '100'],
        ['class/light', '2000'],
        ['class/light', '4095'],
      ]);
      assert.deepEqual(
        seen.screens.map((lines) => lines.slice(0, 2)),
        [
          ['Light level:', ''],
          ['Light level:', '100'],
          ['Light level:', '2000'],
          ['Light level:', '4095'],
        ],
      );
    },
  },
  doorbell: {
    script: ['press a', message('cmd/door', 'Grandma')],
    expect(seen) {
      // Button A rings, and so does a message, which the screen shows too.
      assert.deepEqual(seen.tunes, ['BA_DING', 'BA_DING']);
      assert.deepEqual(seen.screens.at(-1), ['Doorbell', 'Grandma', '', '']);
    },
  },
  'onenet-rgb-today': {
    // OneNET's command topics, with the command IDs it makes up; a message on another topic
    // is no command.
    script: [
      message('$sys/productID/lamp/cmd/request/7f1c', 'on'),
      message('class/hello', 'off'),
      message('$sys/productID/lamp/cmd/request/a2b9', 'off'),
    ],
    expect(seen) {
      assert.deepEqual(seen.subscribed, ['$sys/productID/lamp/cmd/request/+']);
      assert.deepEqual(seen.leds, [
        [RED, RED, RED],
        [DARK, DARK, DARK],
      ]);
      // Each command answered on its response topic, with its own ID.
      assert.deepEqual(seen.published, [
        ['$sys/productID/lamp/cmd/response/7f1c', 'ok'],
        ['$sys/productID/lamp/cmd/response/a2b9', 'ok'],
      ]);
    },
  },
};

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A traced str or bytes as text. */
function text(value: TraceValue | unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return utf8.decode(value);
  throw new Error(`not text: ${JSON.stringify(value)}`);
}

/** What the MicroPython program did on the stand-in board. */
function seenOnBoard(run: BoardRun): Seen {
  const seen: Seen = { subscribed: [], published: [], screens: [], leds: [], tunes: [] };
  const lines = ['', '', '', ''];
  for (const { call, args } of run.trace) {
    if (call === 'MQTTClient.subscribe') seen.subscribed.push(text(args[0]));
    if (call === 'MQTTClient.publish') seen.published.push([text(args[0]), text(args[1])]);
    // Each line is 16 pixels high: a line is cleared with fill_rect, then written with DispChar.
    if (call === 'oled.DispChar') lines[Number(args[2]) / 16] = text(args[0]);
    if (call === 'oled.fill') lines.fill('');
    if (call === 'oled.show') seen.screens.push([...lines]);
    if (call === 'rgb.write') seen.leds.push(args[0] as number[][]);
    if (call === 'music.play') {
      const notes = JSON.stringify(args[0]);
      seen.tunes.push(
        Object.keys(TUNES).find((name) => JSON.stringify(TUNES[name as TuneName]) === notes) ??
          notes,
      );
    }
  }
  return seen;
}

/** What the TypeScript program did on the recording runtime. */
function seenInBrowser(run: RuntimeRun): Seen {
  const seen: Seen = { subscribed: [], published: [], screens: [], leds: [], tunes: [] };
  const lines = ['', '', '', ''];
  for (const { call, args } of run.trace) {
    if (call === 'mqtt.subscribe') seen.subscribed.push(text(args[0]));
    if (call === 'mqtt.publish') seen.published.push([text(args[0]), text(args[1])]);
    if (call === 'oled.showText') lines[Number(args[1]) - 1] = text(args[0]);
    if (call === 'oled.clear') lines.fill('');
    if (call === 'oled.showText' || call === 'oled.clear') seen.screens.push([...lines]);
    if (call === 'rgb.write') seen.leds.push(args[0] as number[][]);
    if (call === 'buzzer.play') seen.tunes.push(text(args[0]));
  }
  return seen;
}

/** An example loaded as the studio loads it, with what it generates. */
interface Loaded {
  project: Project;
  warnings: string[];
  clientIds: string[];
  python: GeneratedProgram;
  typescript: GeneratedProgram;
}

function load(name: string): Loaded {
  const project = parseProject(exampleText(name)!);
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, project);
    return {
      project,
      warnings: [...warningsIn(workspace)].map(([block, warning]) => `${block.type}: ${warning}`),
      clientIds: workspace
        .getBlocksByType('mqtt_connect', false)
        .map((block) => String(block.getFieldValue('CLIENT_ID'))),
      python: generateMicroPython(workspace),
      typescript: generateTypeScript(workspace),
    };
  } finally {
    workspace.dispose();
  }
}

const loaded = new Map(exampleList.map((example) => [example.name, load(example.name)]));
const fileOf = (name: string) => `/virtual/examples/${name}.ts`;

/** Example name → what MicroPython's `compile()` raised for its main.py, or null. */
const compileErrors = new Map<string, string | null>();
let checked: TypeCheckResult;

before(async () => {
  // No type declarations ship with the package; a variable keeps tsc from looking for them.
  const pkg = '@micropython/micropython-webassembly-pyscript';
  const { loadMicroPython } = (await import(pkg)) as {
    loadMicroPython(options: { stdout?: (line: string) => void }): Promise<{
      globals: { set(name: string, value: unknown): void };
      runPython(code: string): unknown;
    }>;
  };
  // All compiled here, first: the stand-in board loads interpreters of its own, and loading
  // another one leaves this one unusable.
  const micropython = await loadMicroPython({ stdout: () => {} });
  for (const [name, example] of loaded) {
    micropython.globals.set('source', example.python.code);
    try {
      micropython.runPython("compile(source, 'main.py', 'exec')");
      compileErrors.set(name, null);
    } catch (error) {
      compileErrors.set(name, String(error));
    }
  }
  // One compiler program for every example: lib and the runtime are read once.
  checked = typeCheck(
    new Map([...loaded].map(([name, example]) => [fileOf(name), example.typescript.code])),
  );
});

describe('the examples map', () => {
  it('has the seven examples of the gallery, each with a scenario here', () => {
    assert.deepEqual(
      exampleList.map((example) => example.name),
      [
        'onenet-rgb',
        'button-publish',
        'two-boards-chat',
        'oled-messages',
        'light-reporter',
        'doorbell',
        'onenet-rgb-today',
      ],
    );
    assert.deepEqual(Object.keys(examples), Object.keys(scenarios));
  });

  it('names fit in an address, and unknown names find nothing', () => {
    for (const { name } of exampleList) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const name of ['nope', 'constructor', '__proto__', '']) {
      assert.equal(exampleText(name), null, name);
      assert.equal(exampleNamed(name), null, name);
    }
  });

  it('every title and description is an English string of its own', () => {
    const keys = exampleList.flatMap((example) => [example.title, example.description]);
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.ok(en[key].trim(), key);
  });

  it('every picture is an SVG document with no text in it', () => {
    for (const { name, picture } of exampleList) {
      const doc = new DOMParser().parseFromString(picture, 'image/svg+xml');
      assert.equal(doc.documentElement.nodeName, 'svg', name);
      assert.equal(doc.getElementsByTagName('parsererror').length, 0, name);
      assert.equal(doc.documentElement.getAttribute('viewBox'), '0 0 240 100', name);
      // Words would need translating; the title and description carry them.
      assert.equal(doc.getElementsByTagName('text').length, 0, name);
    }
  });
});

for (const { name } of exampleList) {
  const example = loaded.get(name)!;
  const scenario = scenarios[name];

  describe(`example ${name}`, () => {
    it('loads as a project with a name, and no block shows a warning', () => {
      assert.ok(example.project.settings.name.trim());
      assert.deepEqual(example.warnings, []);
    });

    it('generates both languages', () => {
      assert.match(example.python.code, /^from mpython import \*$/m);
      assert.match(example.typescript.code, /from "@iot-blocks\/runtime";/);
    });

    it('its main.py compiles under MicroPython', () => {
      assert.equal(compileErrors.get(name), null);
    });

    it('its TypeScript type-checks against the runtime contract', () => {
      const found = checked.inFile(fileOf(name));
      const lineBlocks = new Map([[fileOf(name), example.typescript.lineBlocks]]);
      assert.deepEqual(
        found.map((d) => describeDiagnostic(d, lineBlocks)),
        [],
      );
    });

    it('does what it promises, the same on the board and in the browser', async () => {
      const board = await runOnBoard(example.python.code, scenario.script, {}, scenario.readings);
      assert.equal(board.error, undefined, board.error);
      const browser = await runTypeScript(
        example.typescript.code,
        scenario.script,
        {},
        scenario.readings,
      );
      assert.equal(browser.error, undefined, browser.error);
      const seen = seenOnBoard(board);
      assert.deepEqual(seenInBrowser(browser), seen);
      scenario.expect(seen);
    });
  });
}

describe('client IDs', () => {
  it('every example that uses the classroom broker gets a fresh client ID each time it opens', () => {
    const classroom = exampleList.filter((example) => !example.name.startsWith('onenet-'));
    for (const { name } of classroom) {
      const first = loaded.get(name)!.clientIds;
      const again = load(name).clientIds;
      assert.equal(first.length, 1, name);
      assert.notEqual(again[0], first[0], name);
    }
    const all = classroom.flatMap(({ name }) => loaded.get(name)!.clientIds);
    assert.equal(new Set(all).size, all.length);
  });

  it('the OneNET example keeps the device ID OneNET gave it', () => {
    assert.deepEqual(loaded.get('onenet-rgb')!.clientIds, ['deviceID']);
  });
});
