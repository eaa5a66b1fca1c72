// Every example project: it loads as a project, has no block warnings, generates both languages,
// its main.py compiles under the real MicroPython and runs on the stand-in board, its TypeScript
// type-checks against the runtime contract and runs on the recording runtime, and both programs
// do what the example promises, the same in both languages, for the same script of events
// (test/examples/scenario.ts; a part's example has its scenario in its part's test).
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningsIn } from '../../src/editor/warnings.ts';
import { exampleList, exampleNamed, examples, exampleText } from '../../src/examples/index.ts';
import { addPartExampleWords, t } from '../../src/examples/strings.ts';
import { drawPicture } from '../../src/examples/pictures.ts';
import { loadProject, parseProject, type Project } from '../../src/project/project-file.ts';
import { message } from '../support/micropython-board.ts';
import { scenarioHolds, type Scenario } from './scenario.ts';
import { describeDiagnostic, typeCheck, type TypeCheckResult } from '../support/type-check.ts';

registerBlocks();

const RED = [50, 0, 0];
const DARK = [0, 0, 0];
const BLUE = [0, 0, 60];

const scenarios: Record<string, Scenario | undefined> = {
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

/** Each part's example (src/parts/<part>/example.json), by name → the part's folder name. */
const partExamples = new Map(
  readdirSync(new URL('../../src/parts/', import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap(({ name: part }) => {
      const file = new URL(`../../src/parts/${part}/example.json`, import.meta.url);
      if (!existsSync(file)) return [];
      return [[(JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name, part]];
    }),
);

describe('the examples map', () => {
  it("has the seven examples of the gallery, each with a scenario here or in its part's test", () => {
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
    assert.deepEqual(
      Object.keys(examples).filter((name) => !partExamples.has(name)),
      Object.keys(scenarios),
    );
    // A part's example is in the gallery, and its part's test runs its scenario.
    assert.deepEqual([...partExamples.keys()], ['doorbell']);
    for (const [name, part] of partExamples) {
      assert.ok(exampleNamed(name), `${name} (src/parts/${part}/example.json) is not in the list`);
      const test = readFileSync(new URL(`../parts/${part}.test.ts`, import.meta.url), 'utf8');
      assert.ok(test.includes(`exampleDoes('${name}'`), `test/parts/${part}.test.ts: ${name}`);
    }
  });

  it('names fit in an address, and unknown names find nothing', () => {
    for (const { name } of exampleList) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const name of ['nope', 'constructor', '__proto__', '']) {
      assert.equal(exampleText(name), null, name);
      assert.equal(exampleNamed(name), null, name);
    }
  });

  it('every title and description is a string of its own in each language', () => {
    const keys = exampleList.flatMap((example) => [example.title, example.description]);
    assert.equal(new Set(keys).size, keys.length);
    for (const language of ['en', 'zh-hans'] as const) {
      const texts = keys.map((key) => t(key, {}, language));
      for (const [i, text] of texts.entries()) assert.ok(text.trim(), keys[i]);
      assert.equal(new Set(texts).size, texts.length, language);
    }
    // The Chinese is Chinese (a part's example could leave English in).
    for (const key of keys) assert.match(t(key, {}, 'zh-hans'), /\p{Script=Han}/u, key);
  });

  it("a part's example missing a language or drawing an unknown shape fails where it is made", () => {
    const words = {
      title: { en: 'Siren', 'zh-hans': '' },
      description: { en: 'x', 'zh-hans': '警报' },
    };
    assert.throws(() => addPartExampleWords('siren', words), /siren has no title in zh-hans/);
    assert.throws(
      () =>
        drawPicture({
          tint: '#fff',
          shapes: [
            ['note', 1, 2],
            ['siren', 3],
          ],
        }),
      /no shape "siren"/,
    );
    assert.match(
      drawPicture({ tint: '#fff', shapes: [['svg', '<circle r="2"/>']] }),
      /<circle r="2"\/>/,
    );
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

    // A part's example: its part's test runs the scenario (see the examples map above).
    if (!scenario) return;
    it('does what it promises, the same on the board and in the browser', async () => {
      await scenarioHolds(
        { python: example.python.code, typescript: example.typescript.code },
        scenario,
      );
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
