// The TypeScript generator, block by block: Blockly JSON in, the lines each block produces out.
// That the programs type-check against the runtime contract is typecheck.test.ts's job.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import {
  connect,
  generateLines,
  get,
  num,
  onButton,
  onMessage,
  print,
  rgbFill,
  stack,
  txt,
  value,
  type BlockJson,
} from '../support/block-json.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { RUNTIME_MODULE } from '../../src/runtime/contract.ts';
import example from '../../src/examples/onenet-rgb.json' with { type: 'json' };

registerBlocks();

/** Generates a program from top-level blocks and variables (id = name) in a fresh workspace. */
function generate(blocks: BlockJson[], variables: string[] = []) {
  const program = generateLines(generateTypeScript, blocks, variables);
  const { lines, owned } = program;
  return {
    ...program,
    lines,
    /** The lines the line map gives to some block: what the blocks themselves produce. */
    blockLines: owned((id) => id !== null),
    /** Import lines, wherever they are. */
    imports: lines.filter((line) => line.startsWith('import ')),
    /** Names of the functions no block owns: helpers from provideFunction_. */
    helpers: owned((id) => id === null).flatMap(
      (line) => /^function (\w+)\(/.exec(line)?.[1] ?? [],
    ),
  };
}

/** The import line for these runtime names. */
const importOf = (names: string[]) => `import { ${names.join(', ')} } from "${RUNTIME_MODULE}";`;

interface Case {
  /** What the case shows. */
  name: string;
  /** Top-level blocks as Blockly JSON. */
  blocks: BlockJson[];
  /** Variables, each with id = name. */
  variables?: string[];
  /** Every line the blocks produce, in program order (helpers and imports are not theirs). */
  code: string[];
  /** The runtime names the import line at the top brings in, sorted (none: no import line). */
  uses: string[];
  /** Helper functions the program defines. */
  helpers?: string[];
}

const cases: Case[] = [
  {
    name: 'wifi_connect',
    blocks: [{ type: 'wifi_connect', fields: { SSID: 'ssid', PASSWORD: 'password' } }],
    code: ['await wifi.connect("ssid", "password");'],
    uses: ['wifi'],
  },
  {
    name: 'wifi_connect: quotes, backslash, newline and Chinese survive quoting',
    blocks: [{ type: 'wifi_connect', fields: { SSID: 'my "net"\n家', PASSWORD: 'a\\b\tc' } }],
    code: ['await wifi.connect("my \\"net\\"\\n家", "a\\\\b\\tc");'],
    uses: ['wifi'],
  },
  {
    name: 'mqtt_connect: the board’s settings as options',
    blocks: [connect({ USERNAME: 'user', PASSWORD: 'pw' })],
    code: [
      'await mqtt.connect({',
      '  server: "192.168.1.10",',
      '  port: 1883,',
      '  clientId: "board1",',
      '  username: "user",',
      '  password: "pw",',
      '  keepalive: 60,',
      '});',
      // Without a keep-alive block the connect block pings every half keepalive by itself.
      'mqtt.keepAlive(30000);',
    ],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_on_message with the topic, the message and message is',
    blocks: [
      onMessage(print(value({ type: 'mqtt_topic' })), {
        type: 'controls_if',
        inputs: {
          IF0: value({ type: 'mqtt_message_is', fields: { TEXT: 'on' } }),
          DO0: { block: print(value({ type: 'mqtt_message' })) },
        },
      }),
    ],
    code: [
      'mqtt.onMessage(async (message) => {',
      '  print(message.topic);',
      '  if (message.is("on")) {',
      '    print(message.text);',
      '  }',
      '});',
    ],
    uses: ['mqtt', 'print'],
  },
  {
    name: 'mqtt_if_message: one if per word, non-ASCII and quotes',
    blocks: [
      onMessage(
        {
          type: 'mqtt_if_message',
          fields: { TEXT: 'on' },
          inputs: { DO: { block: { type: 'rgb_off' } } },
        },
        { type: 'mqtt_if_message', fields: { TEXT: '开"' } },
      ),
    ],
    code: [
      'mqtt.onMessage(async (message) => {',
      '  if (message.is("on")) {',
      '    rgb.fill(0, 0, 0);',
      '  }',
      '  if (message.is("开\\"")) {',
      '  }',
      '});',
    ],
    uses: ['mqtt', 'rgb'],
  },
  {
    name: 'mqtt_message_is: non-ASCII and quotes',
    blocks: [
      onMessage({
        type: 'controls_if',
        inputs: {
          IF0: value({ type: 'mqtt_message_is', fields: { TEXT: '开"' } }),
          DO0: { block: { type: 'rgb_off' } },
        },
      }),
    ],
    code: [
      'mqtt.onMessage(async (message) => {',
      '  if (message.is("开\\"")) {',
      '    rgb.fill(0, 0, 0);',
      '  }',
      '});',
    ],
    uses: ['mqtt', 'rgb'],
  },
  {
    name: 'mqtt_on_message twice: both bodies run, in one handler',
    blocks: [
      onMessage(print(txt('first'))),
      onMessage({
        type: 'variables_set',
        fields: { VAR: { id: 'count' } },
        inputs: { VALUE: num(1) },
      }),
    ],
    variables: ['count'],
    code: ['mqtt.onMessage(async (message) => {', '  print("first");', '  count = 1;', '});'],
    uses: ['mqtt', 'print'],
  },
  {
    name: 'mqtt_on_message with nothing inside',
    blocks: [onMessage()],
    code: ['mqtt.onMessage(async (message) => {', '});'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_subscribe: a text literal as it is',
    blocks: [{ type: 'mqtt_subscribe', inputs: { TOPIC: txt('home/灯') } }],
    code: ['await mqtt.subscribe("home/灯");'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_subscribe: an expression as the board writes it (pythonText)',
    blocks: [{ type: 'mqtt_subscribe', inputs: { TOPIC: get('room') } }],
    variables: ['room'],
    code: ['await mqtt.subscribe(pythonText(room));'],
    uses: ['mqtt'],
    helpers: ['pythonText'],
  },
  {
    name: 'mqtt_subscribe with no topic',
    blocks: [{ type: 'mqtt_subscribe' }],
    code: ['await mqtt.subscribe("");'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_publish: text literals',
    blocks: [{ type: 'mqtt_publish', inputs: { TOPIC: txt('lamp'), MESSAGE: txt('on') } }],
    code: ['await mqtt.publish("lamp", "on");'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_publish: a number as the board writes it (pythonText), a message as it is',
    blocks: [
      onMessage({
        type: 'mqtt_publish',
        inputs: { TOPIC: value({ type: 'mqtt_topic' }), MESSAGE: num(42) },
      }),
    ],
    code: [
      'mqtt.onMessage(async (message) => {',
      '  await mqtt.publish(message.topic, pythonText(42));',
      '});',
    ],
    uses: ['mqtt'],
    helpers: ['pythonText'],
  },
  {
    name: 'mqtt_keep_alive',
    blocks: [{ type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } }],
    code: ['mqtt.keepAlive(2000);'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_keep_alive twice',
    blocks: [
      stack(
        { type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } },
        { type: 'mqtt_keep_alive', fields: { PERIOD: 5000 } },
      ),
    ],
    code: ['mqtt.keepAlive(2000);', 'mqtt.keepAlive(5000);'],
    uses: ['mqtt'],
  },
  {
    name: 'mqtt_listen_forever: listen, disconnect in finally',
    blocks: [{ type: 'mqtt_listen_forever' }],
    code: [
      'try {',
      '  await mqtt.listenForever();',
      '} finally {',
      '  await mqtt.disconnect();',
      '}',
    ],
    uses: ['mqtt'],
  },
  {
    name: 'rgb_fill: literal levels',
    blocks: [rgbFill(num(50), num(0), num(255))],
    code: ['rgb.fill(50, 0, 255);'],
    uses: ['rgb'],
  },
  {
    name: 'rgb_fill: typed numbers as they are (the runtime keeps levels in 0–255), others int()',
    blocks: [rgbFill(get('level'), num(300), num(-5))],
    variables: ['level'],
    code: ['rgb.fill(pythonInt(level), 300, -5);'],
    uses: ['rgb'],
    helpers: ['pythonError', 'pythonInt'],
  },
  {
    name: 'rgb_fill with empty inputs: 0',
    blocks: [{ type: 'rgb_fill' }],
    code: ['rgb.fill(0, 0, 0);'],
    uses: ['rgb'],
  },
  {
    name: 'rgb_set: LED 1 is index 0',
    blocks: [
      {
        type: 'rgb_set',
        fields: { LED: '0' },
        inputs: { RED: num(1), GREEN: num(2), BLUE: num(3) },
      },
    ],
    code: ['rgb.set(0, 1, 2, 3);'],
    uses: ['rgb'],
  },
  {
    name: 'rgb_set: LED 3 is index 2',
    blocks: [{ type: 'rgb_set', fields: { LED: '2' }, inputs: { GREEN: get('g') } }],
    variables: ['g'],
    code: ['rgb.set(2, 0, pythonInt(g), 0);'],
    uses: ['rgb'],
    helpers: ['pythonError', 'pythonInt'],
  },
  {
    name: 'rgb_off',
    blocks: [{ type: 'rgb_off' }],
    code: ['rgb.fill(0, 0, 0);'],
    uses: ['rgb'],
  },
  {
    name: 'oled_show_text: a text literal on line 1',
    blocks: [{ type: 'oled_show_text', fields: { LINE: '1' }, inputs: { TEXT: txt('你好') } }],
    code: ['oled.showText("你好", 1);'],
    uses: ['oled'],
  },
  {
    name: 'oled_show_text: a number as the board writes it (pythonText) on line 2',
    blocks: [{ type: 'oled_show_text', fields: { LINE: '2' }, inputs: { TEXT: num(5) } }],
    code: ['oled.showText(pythonText(5), 2);'],
    uses: ['oled'],
    helpers: ['pythonText'],
  },
  {
    name: 'oled_clear',
    blocks: [{ type: 'oled_clear' }],
    code: ['oled.clear();'],
    uses: ['oled'],
  },
  {
    name: 'board_on_button A',
    blocks: [onButton('a', { type: 'rgb_off' })],
    code: ['buttons.onPressed("a", async () => {', '  rgb.fill(0, 0, 0);', '});'],
    uses: ['buttons', 'rgb'],
  },
  {
    name: 'board_on_button A twice and B: both A bodies run',
    blocks: [
      onButton('a', print(txt('a1'))),
      onButton('b', { type: 'board_wait', inputs: { MS: num(100) } }),
      onButton('a', print(txt('a2'))),
    ],
    code: [
      'buttons.onPressed("a", async () => {',
      '  print("a1");',
      '  print("a2");',
      '});',
      'buttons.onPressed("b", async () => {',
      '  await sleep(100);',
      '});',
    ],
    uses: ['buttons', 'print', 'sleep'],
  },
  {
    name: 'board_wait: a literal',
    blocks: [{ type: 'board_wait', inputs: { MS: num(500) } }],
    code: ['await sleep(500);'],
    uses: ['sleep'],
  },
  {
    name: 'board_wait: an expression',
    blocks: [{ type: 'board_wait', inputs: { MS: get('delay') } }],
    variables: ['delay'],
    code: ['await sleep(pythonInt(delay));'],
    uses: ['sleep'],
    helpers: ['pythonError', 'pythonInt'],
  },
  {
    name: 'board_light_level',
    blocks: [print(value({ type: 'board_light_level' }))],
    code: ['print(sensors.light());'],
    uses: ['print', 'sensors'],
  },
  {
    name: 'board_sound_level on the screen',
    blocks: [
      {
        type: 'oled_show_text',
        fields: { LINE: '1' },
        inputs: { TEXT: value({ type: 'board_sound_level' }) },
      },
    ],
    code: ['oled.showText(pythonText(sensors.sound()), 1);'],
    uses: ['oled', 'sensors'],
    helpers: ['pythonText'],
  },
  {
    name: 'text_print goes to the runtime’s print',
    blocks: [print(txt('hello "you"'))],
    code: ['print("hello \\"you\\"");'],
    uses: ['print'],
  },
  {
    name: 'text_reverse (by code points: an emoji stays whole)',
    blocks: [print(value({ type: 'text_reverse', inputs: { TEXT: txt('abc') } }))],
    code: ['print(Array.from(String("abc")).reverse().join(""));'],
    uses: ['print'],
  },
  {
    name: 'text_changeCase TITLECASE',
    blocks: [
      print(
        value({
          type: 'text_changeCase',
          fields: { CASE: 'TITLECASE' },
          inputs: { TEXT: txt('hi you') },
        }),
      ),
    ],
    code: ['print(pythonTitle("hi you"));'],
    uses: ['print'],
    helpers: ['pythonUpper', 'pythonLower', 'pythonTitle'],
  },
  {
    name: 'math_number_property PRIME',
    blocks: [
      print(
        value({
          type: 'math_number_property',
          fields: { PROPERTY: 'PRIME' },
          inputs: { NUMBER_TO_CHECK: num(7) },
        }),
      ),
    ],
    code: ['print(mathIsPrime(7));'],
    uses: ['print'],
    helpers: ['mathIsPrime'],
  },
  {
    name: 'math_arithmetic: ÷ by a typed number cannot raise and stays plain',
    blocks: [
      print(
        value({
          type: 'math_arithmetic',
          fields: { OP: 'DIVIDE' },
          inputs: { A: get('n'), B: num(2) },
        }),
      ),
    ],
    variables: ['n'],
    code: ['print(n / 2);'],
    uses: ['print'],
  },
  {
    name: 'math_arithmetic: ÷ by a variable raises ZeroDivisionError for 0 (pythonDivide)',
    blocks: [
      print(
        value({
          type: 'math_arithmetic',
          fields: { OP: 'DIVIDE' },
          inputs: { A: num(1), B: get('n') },
        }),
      ),
    ],
    variables: ['n'],
    code: ['print(pythonDivide(1, n));'],
    uses: ['print'],
    helpers: ['pythonError', 'pythonDivide'],
  },
  {
    name: 'math_single ROOT: raises as the board’s math module (pythonMath)',
    blocks: [
      print(value({ type: 'math_single', fields: { OP: 'ROOT' }, inputs: { NUM: get('n') } })),
    ],
    variables: ['n'],
    code: ['print(pythonMath(Math.sqrt, n));'],
    uses: ['print'],
    helpers: ['pythonError', 'pythonMath'],
  },
  {
    name: 'math_round ROUNDUP: a whole number as the board’s int (pythonInt)',
    blocks: [
      print(value({ type: 'math_round', fields: { OP: 'ROUNDUP' }, inputs: { NUM: get('n') } })),
    ],
    variables: ['n'],
    code: ['print(pythonInt(Math.ceil(n)));'],
    uses: ['print'],
    helpers: ['pythonError', 'pythonInt'],
  },
  {
    name: 'text_length: code points (an emoji is one letter)',
    blocks: [print(value({ type: 'text_length', inputs: { VALUE: get('t') } }))],
    variables: ['t'],
    code: ['print(Array.from(t).length);'],
    uses: ['print'],
  },
  {
    name: 'text_charAt FROM_START: a typed position becomes the board’s index here',
    blocks: [
      print(
        value({
          type: 'text_charAt',
          extraState: '<mutation at="true"></mutation>',
          fields: { WHERE: 'FROM_START' },
          inputs: { VALUE: get('t'), AT: num(2) },
        }),
      ),
    ],
    variables: ['t'],
    code: ['print(pythonLetter(t, 1));'],
    uses: ['print'],
    helpers: ['pythonError', 'pythonLetter'],
  },
  {
    name: 'text_charAt FROM_END: a computed position made whole as the program runs',
    blocks: [
      print(
        value({
          type: 'text_charAt',
          extraState: '<mutation at="true"></mutation>',
          fields: { WHERE: 'FROM_END' },
          inputs: { VALUE: get('t'), AT: get('n') },
        }),
      ),
    ],
    variables: ['t', 'n'],
    code: ['print(pythonLetter(t, -pythonInt(n)));'],
    uses: ['print'],
    helpers: ['pythonError', 'pythonLetter', 'pythonInt'],
  },
  {
    name: 'math_number_property ODD: the number binds as `%` asks',
    blocks: [
      print(
        value({
          type: 'math_number_property',
          fields: { PROPERTY: 'ODD' },
          inputs: {
            NUMBER_TO_CHECK: value({
              type: 'math_arithmetic',
              fields: { OP: 'ADD' },
              inputs: { A: num(7), B: get('n') },
            }),
          },
        }),
      ),
    ],
    variables: ['n'],
    code: ['print(Math.abs((7 + n) % 2) === 1);'],
    uses: ['print'],
  },
  {
    name: 'a variable named like a runtime name, the handler’s message or a JS word is renamed',
    blocks: [
      stack(
        { type: 'variables_set', fields: { VAR: { id: 'rgb' } }, inputs: { VALUE: num(1) } },
        { type: 'variables_set', fields: { VAR: { id: 'message' } }, inputs: { VALUE: num(2) } },
        { type: 'variables_set', fields: { VAR: { id: 'await' } }, inputs: { VALUE: num(3) } },
        { type: 'rgb_off' },
      ),
    ],
    variables: ['rgb', 'message', 'await'],
    code: ['rgb2 = 1;', 'message2 = 2;', 'await2 = 3;', 'rgb.fill(0, 0, 0);'],
    uses: ['rgb'],
  },
  {
    name: 'standard blocks alone: no import line',
    blocks: [{ type: 'variables_set', fields: { VAR: { id: 'x' } }, inputs: { VALUE: num(1) } }],
    variables: ['x'],
    code: ['x = 1;'],
    uses: [],
  },
];

describe('TypeScript generator', () => {
  for (const c of cases) {
    it(c.name, () => {
      const program = generate(c.blocks, c.variables);
      assert.deepEqual(program.blockLines, c.code);
      // One import line, first, naming only what the program uses.
      assert.deepEqual(program.imports, c.uses.length ? [importOf(c.uses)] : []);
      if (c.uses.length) assert.equal(program.lines[0], importOf(c.uses));
      assert.deepEqual(program.helpers, c.helpers ?? []);
      assert.equal(program.lineBlocks.length, program.lines.length);
    });
  }

  it('declares each used variable once, as any, before the code', () => {
    const program = generate(
      [print(get('b')), { type: 'variables_set', fields: { VAR: { id: 'a' } } }],
      ['a', 'b', 'unused'],
    );
    const declarations = program.lines.filter((line) => line.startsWith('let '));
    assert.deepEqual(declarations, ['let a: any = null;', 'let b: any = null;']);
    assert.ok(program.lines.indexOf(declarations[1]) < program.lines.indexOf('print(b);'));
  });

  it('an empty workspace is an empty program', () => {
    assert.equal(generate([]).code, '');
  });
});

describe('line map (the OneNET example)', () => {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(example.workspace, workspace);
  const program = generateTypeScript(workspace);
  workspace.dispose();
  const lines = program.code.split('\n').slice(0, -1);

  it('has one entry per line', () => {
    assert.equal(program.lineBlocks.length, lines.length);
  });

  it('gives each line made by a statement block that block’s id', () => {
    assert.deepEqual(
      lines.map((line, n) => [program.lineBlocks[n], line]),
      [
        [null, importOf(['mqtt', 'print', 'rgb', 'wifi'])],
        [null, ''],
        ['on-message', 'mqtt.onMessage(async (message) => {'],
        ['print', '  print(message.topic + " " + message.text);'],
        ['if', '  if (message.is("on")) {'],
        ['red', '    rgb.fill(50, 0, 0);'],
        ['if', '  } else if (message.is("off")) {'],
        ['dark', '    rgb.fill(0, 0, 0);'],
        ['if', '  }'],
        ['on-message', '});'],
        [null, ''],
        ['wifi', 'await wifi.connect("ssid", "password");'],
        ['connect', 'await mqtt.connect({'],
        ['connect', '  server: "183.230.40.39",'],
        ['connect', '  port: 6002,'],
        ['connect', '  clientId: "deviceID",'],
        ['connect', '  username: "productID",'],
        ['connect', '  password: "APIKey",'],
        ['connect', '  keepalive: 10,'],
        ['connect', '});'],
        ['ping', 'mqtt.keepAlive(2000);'],
        ['listen', 'try {'],
        ['listen', '  await mqtt.listenForever();'],
        ['listen', '} finally {'],
        ['listen', '  await mqtt.disconnect();'],
        ['listen', '}'],
      ],
    );
  });
});
