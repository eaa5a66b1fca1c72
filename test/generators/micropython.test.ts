// The MicroPython generator, block by block: Blockly JSON in, the lines each block produces out.
// Every generated program is also compiled by the real MicroPython compiler (WebAssembly build).
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { blockDefinitions, ourBlockTypes, toolbox } from '../../blocks/index.ts';
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
import { generateMicroPython, micropythonGenerator } from '../../generators/micropython/index.ts';
import { typescriptGenerator } from '../../generators/typescript/index.ts';
import example from '../../src/examples/onenet-rgb.json' with { type: 'json' };

/** Whether Blockly can serialize XML with only what headless-dom.ts gives it. */
const xmlWorksHeadless = (() => {
  try {
    Blockly.utils.xml.domToText(Blockly.utils.xml.createElement('mutation'));
    return true;
  } catch {
    return false;
  }
})();
registerBlocks();

/** Generates a program from top-level blocks and variables (id = name) in a fresh workspace. */
function generate(blocks: BlockJson[], variables: string[] = []) {
  const program = generateLines(generateMicroPython, blocks, variables);
  const { lines, owned } = program;
  return {
    ...program,
    lines,
    /** The lines the line map gives to some block: what the blocks themselves produce. */
    blockLines: owned((id) => id !== null),
    /** Import lines, wherever they are. */
    imports: lines.filter((line) => /^(from \S+ )?import /.test(line)),
    /** Names of the functions no block owns: helpers from provideFunction_. */
    helpers: owned((id) => id === null).flatMap((line) => /^def (\w+)\(/.exec(line)?.[1] ?? []),
  };
}

/** The real MicroPython compiler, loaded once. */
let micropython: {
  globals: { get(name: string): unknown; set(name: string, value: unknown): void };
  runPython(code: string): unknown;
};
before(async () => {
  // No type declarations ship with the package; a variable keeps tsc from looking for them.
  const pkg = '@micropython/micropython-webassembly-pyscript';
  const { loadMicroPython } = (await import(pkg)) as {
    loadMicroPython(options: { stdout?: (line: string) => void }): Promise<typeof micropython>;
  };
  micropython = await loadMicroPython({ stdout: () => {} });
});

/** Throws the compiler's SyntaxError if MicroPython cannot compile `source`. */
function compile(source: string): void {
  micropython.globals.set('source', source);
  micropython.runPython("compile(source, 'main.py', 'exec')");
}

/** Runs `source` in a fresh scope, then returns the `repr()` of `expression` evaluated there. */
function evaluate(source: string, expression: string): string {
  micropython.globals.set('source', source);
  micropython.globals.set('expression', expression);
  micropython.runPython('scope = {}\nexec(source, scope)\nresult = repr(eval(expression, scope))');
  return String(micropython.globals.get('result'));
}

interface Case {
  /** What the case shows. */
  name: string;
  /** Top-level blocks as Blockly JSON. */
  blocks: BlockJson[];
  /** Variables, each with id = name. */
  variables?: string[];
  /** Every line the blocks produce, in program order (helpers and imports are not theirs). */
  code: string[];
  /** The import lines at the top (default: only mpython's). */
  imports?: string[];
  /** Helper functions the program defines. */
  helpers?: string[];
}

const MPYTHON = 'from mpython import *';
const UMQTT = 'from umqtt.simple import MQTTClient';
const TIMER = 'from machine import Timer';
const SYS = 'import sys';

const cases: Case[] = [
  {
    name: 'wifi_connect',
    blocks: [{ type: 'wifi_connect', fields: { SSID: 'ssid', PASSWORD: 'password' } }],
    code: ['wifi().connectWiFi("ssid", "password")'],
  },
  {
    name: 'wifi_connect: quotes, backslash, newline and Chinese survive quoting',
    blocks: [{ type: 'wifi_connect', fields: { SSID: 'my "net"\n家', PASSWORD: 'a\\b\tc' } }],
    code: ['wifi().connectWiFi("my \\"net\\"\\n家", "a\\\\b\\tc")'],
  },
  {
    name: 'mqtt_connect: client, callback, connect (an empty handler is defined for it)',
    blocks: [connect({ USERNAME: 'user', PASSWORD: 'pw' })],
    code: [
      'mqtt_client = MQTTClient("board1", "192.168.1.10", 1883, "user", "pw", keepalive=60)',
      'mqtt_client.set_callback(on_message)',
      'mqtt_client.connect()',
      // Without a keep-alive block the connect block pings every half keepalive by itself.
      'Timer(1).init(period=30000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
    ],
    imports: [MPYTHON, UMQTT, TIMER],
    helpers: ['on_message'],
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
      'def on_message(topic, msg):',
      '    try:',
      '        print(mqtt_text(topic))',
      '        if msg == b"on":',
      '            print(mqtt_text(msg))',
      '    except Exception as error:',
      '        sys.print_exception(error)',
    ],
    imports: [MPYTHON, SYS],
    helpers: ['mqtt_text'],
  },
  {
    name: 'mqtt_message_is: non-ASCII and quotes as escaped bytes',
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
      'def on_message(topic, msg):',
      '    try:',
      '        if msg == b"\\xe5\\xbc\\x80\\"":',
      '            rgb.fill((0, 0, 0))',
      '            rgb.write()',
      '    except Exception as error:',
      '        sys.print_exception(error)',
    ],
    imports: [MPYTHON, SYS],
  },
  {
    name: 'mqtt_if_message: one if per word, non-ASCII as bytes, an empty one passes',
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
      'def on_message(topic, msg):',
      '    try:',
      '        if msg == b"on":',
      '            rgb.fill((0, 0, 0))',
      '            rgb.write()',
      '        if msg == b"\\xe5\\xbc\\x80\\"":',
      '            pass',
      '    except Exception as error:',
      '        sys.print_exception(error)',
    ],
    imports: [MPYTHON, SYS],
  },
  {
    name: 'mqtt_on_message with mqtt_connect: the client is global in the handler',
    blocks: [
      connect(),
      onMessage({
        type: 'mqtt_publish',
        inputs: { TOPIC: txt('echo'), MESSAGE: value({ type: 'mqtt_message' }) },
      }),
    ],
    code: [
      'def on_message(topic, msg):',
      '    global mqtt_client',
      '    try:',
      // The keep-alive timer must not ping in the middle of this publish (see mqtt_write).
      '        mqtt_write(mqtt_client.publish, b"echo", mqtt_bytes(mqtt_text(msg)))',
      '    except Exception as error:',
      '        sys.print_exception(error)',
      'mqtt_client = MQTTClient("board1", "192.168.1.10", 1883, "", "", keepalive=60)',
      'mqtt_client.set_callback(on_message)',
      'mqtt_client.connect()',
      'Timer(1).init(period=30000, mode=Timer.PERIODIC, callback=mqtt_ping)',
    ],
    imports: [MPYTHON, UMQTT, TIMER, SYS],
    helpers: ['mqtt_write', 'mqtt_ping', 'mqtt_bytes', 'mqtt_text'],
  },
  {
    name: 'mqtt_on_message twice: both bodies run, in one callback',
    blocks: [
      onMessage(print(txt('first'))),
      onMessage({
        type: 'variables_set',
        fields: { VAR: { id: 'count' } },
        inputs: { VALUE: num(1) },
      }),
    ],
    variables: ['count'],
    code: [
      'def on_message(topic, msg):',
      '    global count',
      '    try:',
      '        print("first")',
      '        count = 1',
      '    except Exception as error:',
      '        sys.print_exception(error)',
    ],
    imports: [MPYTHON, SYS],
  },
  {
    name: 'mqtt_on_message with nothing inside',
    blocks: [onMessage()],
    code: ['def on_message(topic, msg):', '    pass'],
  },
  {
    name: 'mqtt_subscribe: a text literal is a bytes literal',
    blocks: [{ type: 'mqtt_subscribe', inputs: { TOPIC: txt('home/灯') } }],
    code: ['mqtt_client.subscribe(b"home/\\xe7\\x81\\xaf")'],
  },
  {
    name: 'mqtt_subscribe: an expression goes through mqtt_bytes',
    blocks: [{ type: 'mqtt_subscribe', inputs: { TOPIC: get('room') } }],
    variables: ['room'],
    code: ['mqtt_client.subscribe(mqtt_bytes(room))'],
    helpers: ['mqtt_bytes'],
  },
  {
    name: 'mqtt_subscribe with no topic',
    blocks: [{ type: 'mqtt_subscribe' }],
    code: ['mqtt_client.subscribe(b"")'],
  },
  {
    name: 'mqtt_publish: text literals',
    blocks: [{ type: 'mqtt_publish', inputs: { TOPIC: txt('lamp'), MESSAGE: txt('on') } }],
    code: ['mqtt_client.publish(b"lamp", b"on")'],
  },
  {
    name: 'mqtt_publish: a number and a text expression go through mqtt_bytes',
    blocks: [
      {
        type: 'mqtt_publish',
        inputs: {
          TOPIC: value({
            type: 'text_join',
            extraState: { itemCount: 2 },
            inputs: { ADD0: txt('a/'), ADD1: num(1) },
          }),
          MESSAGE: num(42),
        },
      },
    ],
    code: ['mqtt_client.publish(mqtt_bytes(str("a/") + str(1)), mqtt_bytes(42))'],
    helpers: ['mqtt_bytes'],
  },
  {
    name: 'mqtt_keep_alive: Timer(1), imported from machine',
    blocks: [{ type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } }],
    code: [
      'Timer(1).init(period=2000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
    ],
    imports: [MPYTHON, TIMER],
  },
  {
    name: 'mqtt_keep_alive twice: Timer(1) then Timer(2), one import',
    blocks: [
      stack(
        { type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } },
        { type: 'mqtt_keep_alive', fields: { PERIOD: 5000 } },
      ),
    ],
    code: [
      'Timer(1).init(period=2000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
      'Timer(2).init(period=5000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
    ],
    imports: [MPYTHON, TIMER],
  },
  {
    name: 'mqtt_listen_forever: wait_msg in a loop, disconnect in finally',
    blocks: [{ type: 'mqtt_listen_forever' }],
    code: [
      'try:',
      '    while True:',
      '        mqtt_client.wait_msg()',
      'finally:',
      '    mqtt_client.disconnect()',
    ],
  },
  {
    name: 'rgb_fill: literal levels as they are',
    blocks: [rgbFill(num(50), num(0), num(255))],
    code: ['rgb.fill((50, 0, 255))', 'rgb.write()'],
  },
  {
    name: 'rgb_fill: an expression, a level over 255 and a negative one go through rgb_level',
    blocks: [rgbFill(get('level'), num(300), num(-5))],
    variables: ['level'],
    code: ['rgb.fill((rgb_level(level), rgb_level(300), rgb_level(-5)))', 'rgb.write()'],
    helpers: ['rgb_level'],
  },
  {
    name: 'rgb_fill with empty inputs: 0',
    blocks: [{ type: 'rgb_fill' }],
    code: ['rgb.fill((0, 0, 0))', 'rgb.write()'],
  },
  {
    name: 'rgb_set: LED 1 is rgb[0]',
    blocks: [
      {
        type: 'rgb_set',
        fields: { LED: '0' },
        inputs: { RED: num(1), GREEN: num(2), BLUE: num(3) },
      },
    ],
    code: ['rgb[0] = (1, 2, 3)', 'rgb.write()'],
  },
  {
    name: 'rgb_set: LED 3 is rgb[2]',
    blocks: [
      {
        type: 'rgb_set',
        fields: { LED: '2' },
        inputs: { RED: num(0), GREEN: get('g'), BLUE: num(0) },
      },
    ],
    variables: ['g'],
    code: ['rgb[2] = (0, rgb_level(g), 0)', 'rgb.write()'],
    helpers: ['rgb_level'],
  },
  {
    name: 'rgb_off',
    blocks: [{ type: 'rgb_off' }],
    code: ['rgb.fill((0, 0, 0))', 'rgb.write()'],
  },
  {
    name: 'oled_show_text: line 1 is y 0',
    blocks: [{ type: 'oled_show_text', fields: { LINE: '1' }, inputs: { TEXT: txt('你好') } }],
    code: ['oled.fill_rect(0, 0, 128, 16, 0)', 'oled.DispChar("你好", 0, 0)', 'oled.show()'],
  },
  {
    name: 'oled_show_text: line 2 is y 16; a number goes through str()',
    blocks: [{ type: 'oled_show_text', fields: { LINE: '2' }, inputs: { TEXT: num(5) } }],
    code: ['oled.fill_rect(0, 16, 128, 16, 0)', 'oled.DispChar(str(5), 0, 16)', 'oled.show()'],
  },
  {
    name: 'oled_show_text: line 4 is y 48',
    blocks: [{ type: 'oled_show_text', fields: { LINE: '4' }, inputs: { TEXT: txt('x') } }],
    code: ['oled.fill_rect(0, 48, 128, 16, 0)', 'oled.DispChar("x", 0, 48)', 'oled.show()'],
  },
  {
    name: 'oled_clear',
    blocks: [{ type: 'oled_clear' }],
    code: ['oled.fill(0)', 'oled.show()'],
  },
  {
    name: 'board_on_button A',
    blocks: [onButton('a', { type: 'rgb_off' })],
    code: [
      'def on_button_a(_):',
      '    rgb.fill((0, 0, 0))',
      '    rgb.write()',
      'button_a.event_pressed = on_button_a',
    ],
  },
  {
    name: 'board_on_button B, with a variable',
    blocks: [
      onButton('b', {
        type: 'variables_set',
        fields: { VAR: { id: 'n' } },
        inputs: { VALUE: num(2) },
      }),
    ],
    variables: ['n'],
    code: [
      'def on_button_b(_):',
      '    global n',
      '    n = 2',
      'button_b.event_pressed = on_button_b',
    ],
  },
  {
    name: 'board_on_button A twice and B: both A bodies run',
    blocks: [
      onButton('a', print(txt('a1'))),
      onButton('b', print(txt('b'))),
      onButton('a', print(txt('a2'))),
    ],
    code: [
      'def on_button_a(_):',
      '    print("a1")',
      '    print("a2")',
      'button_a.event_pressed = on_button_a',
      'def on_button_b(_):',
      '    print("b")',
      'button_b.event_pressed = on_button_b',
    ],
  },
  {
    name: 'board_wait: a literal',
    blocks: [{ type: 'board_wait', inputs: { MS: num(500) } }],
    code: ['sleep_ms(500)'],
  },
  {
    name: 'board_wait: an expression is made a whole number',
    blocks: [{ type: 'board_wait', inputs: { MS: get('delay') } }],
    variables: ['delay'],
    code: ['sleep_ms(int(delay))'],
  },
  {
    name: 'board_wait: a fraction is made a whole number',
    blocks: [{ type: 'board_wait', inputs: { MS: num(0.5) } }],
    code: ['sleep_ms(int(0.5))'],
  },
  {
    name: 'board_light_level: mPython’s light sensor',
    blocks: [print(value({ type: 'board_light_level' }))],
    code: ['print(light.read())'],
  },
  {
    name: 'board_sound_level: mPython’s microphone',
    blocks: [
      {
        type: 'oled_show_text',
        fields: { LINE: '1' },
        inputs: { TEXT: value({ type: 'board_sound_level' }) },
      },
    ],
    code: [
      'oled.fill_rect(0, 0, 128, 16, 0)',
      'oled.DispChar(str(sound.read()), 0, 0)',
      'oled.show()',
    ],
  },
  {
    name: 'math_change (MicroPython has no numbers module)',
    blocks: [{ type: 'math_change', fields: { VAR: { id: 'n' } }, inputs: { DELTA: num(1) } }],
    variables: ['n'],
    code: ['n = (n if isinstance(n, (int, float)) else 0) + 1'],
  },
  {
    name: 'text_print',
    blocks: [print(txt('hello "you"'))],
    code: ['print("hello \\"you\\"")'],
  },
  {
    name: 'text_reverse (MicroPython str has no step slices)',
    blocks: [print(value({ type: 'text_reverse', inputs: { TEXT: txt('abc') } }))],
    code: ['print("".join(reversed(str("abc"))))'],
  },
  {
    name: 'text_changeCase TITLECASE (MicroPython str has no title())',
    blocks: [
      print(
        value({
          type: 'text_changeCase',
          fields: { CASE: 'TITLECASE' },
          inputs: { TEXT: txt('hi you') },
        }),
      ),
    ],
    code: ['print(text_title_case("hi you"))'],
    helpers: ['text_title_case'],
  },
  {
    name: 'text_changeCase UPPERCASE stays Blockly’s',
    blocks: [
      print(
        value({
          type: 'text_changeCase',
          fields: { CASE: 'UPPERCASE' },
          inputs: { TEXT: txt('hi') },
        }),
      ),
    ],
    code: ['print("hi".upper())'],
  },
  {
    name: 'math_number_property PRIME (MicroPython has no numbers module)',
    blocks: [
      print(
        value({
          type: 'math_number_property',
          fields: { PROPERTY: 'PRIME' },
          inputs: { NUMBER_TO_CHECK: num(7) },
        }),
      ),
    ],
    code: ['print(math_is_prime(7))'],
    helpers: ['math_is_prime'],
  },
  {
    name: 'math_number_property EVEN stays Blockly’s',
    blocks: [
      print(
        value({
          type: 'math_number_property',
          fields: { PROPERTY: 'EVEN' },
          inputs: { NUMBER_TO_CHECK: num(7) },
        }),
      ),
    ],
    code: ['print(7 % 2 == 0)'],
  },
  {
    name: 'a variable named like one of our names or a Python word is renamed',
    blocks: [
      stack(
        { type: 'variables_set', fields: { VAR: { id: 'print' } }, inputs: { VALUE: num(1) } },
        { type: 'variables_set', fields: { VAR: { id: 'rgb' } }, inputs: { VALUE: num(2) } },
        { type: 'variables_set', fields: { VAR: { id: 'class' } }, inputs: { VALUE: num(3) } },
      ),
    ],
    variables: ['print', 'rgb', 'class'],
    code: ['print2 = 1', 'rgb2 = 2', 'class2 = 3'],
  },
  {
    name: 'imports are collected once, at the top',
    blocks: [
      stack(
        { type: 'wifi_connect', fields: { SSID: 's', PASSWORD: 'p' } },
        connect(),
        { type: 'mqtt_keep_alive', fields: { PERIOD: 1000 } },
        print(value({ type: 'math_random_int', inputs: { FROM: num(1), TO: num(6) } })),
        { type: 'mqtt_keep_alive', fields: { PERIOD: 3000 } },
      ),
    ],
    code: [
      'wifi().connectWiFi("s", "p")',
      'mqtt_client = MQTTClient("board1", "192.168.1.10", 1883, "", "", keepalive=60)',
      'mqtt_client.set_callback(on_message)',
      'mqtt_client.connect()',
      'Timer(1).init(period=1000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
      'print(random.randint(1, 6))',
      'Timer(2).init(period=3000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
    ],
    imports: [MPYTHON, UMQTT, TIMER, 'import random'],
    helpers: ['on_message'],
  },
];

describe('MicroPython generator', () => {
  for (const c of cases) {
    it(c.name, () => {
      const program = generate(c.blocks, c.variables);
      assert.deepEqual(program.blockLines, c.code);
      assert.deepEqual(program.imports, c.imports ?? [MPYTHON]);
      // Imports come first, each once, before anything else.
      assert.deepEqual(program.lines.slice(0, program.imports.length), program.imports);
      assert.deepEqual(program.helpers, c.helpers ?? []);
      assert.equal(program.lineBlocks.length, program.lines.length);
      compile(program.code);
    });
  }

  it('an empty workspace is just the mpython import', () => {
    assert.equal(generate([]).code, `${MPYTHON}\n`);
  });

  /** A program that needs every helper of ours, for the two tests below. */
  const withEveryHelper = () =>
    generate(
      [
        onMessage(print(value({ type: 'mqtt_message' })), {
          type: 'mqtt_publish',
          inputs: { TOPIC: get('x'), MESSAGE: get('x') },
        }),
        stack(
          rgbFill(get('x'), num(0), num(0)),
          print(
            value({
              type: 'text_changeCase',
              fields: { CASE: 'TITLECASE' },
              inputs: { TEXT: get('x') },
            }),
          ),
          print(
            value({
              type: 'math_number_property',
              fields: { PROPERTY: 'PRIME' },
              inputs: { NUMBER_TO_CHECK: get('x') },
            }),
          ),
        ),
      ],
      ['x'],
    );

  it('the helpers behave on MicroPython', () => {
    const program = withEveryHelper();
    assert.deepEqual(program.helpers, [
      'mqtt_text',
      'mqtt_bytes',
      'rgb_level',
      'text_title_case',
      'math_is_prime',
    ]);
    // Every definition (handlers and helpers), without the imports and the main program.
    const helpers = program.code.slice(
      program.code.indexOf('def '),
      program.code.indexOf('\n\n\n'),
    );
    const checks: [string, string][] = [
      ['rgb_level(300)', '255'],
      ['rgb_level(-5)', '0'],
      ['rgb_level(12.7)', '12'],
      ['rgb_level("40")', '40'],
      ['mqtt_bytes("中")', "b'\\xe4\\xb8\\xad'"],
      ['mqtt_bytes(b"\\xff")', "b'\\xff'"],
      ['mqtt_bytes(3)', "b'3'"],
      ['mqtt_text(b"on")', "'on'"],
      ['mqtt_text(b"\\xe4\\xb8\\xad") == "中"', 'True'],
      ['mqtt_text(b"a\\xffb")', "'a\\ufffdb'"],
      ['mqtt_text(b"\\xe4\\xb8")', "'\\ufffd'"],
      ['text_title_case("hello wORLD  x")', "'Hello World  X'"],
      ['[n for n in range(20) if math_is_prime(n)]', '[2, 3, 5, 7, 11, 13, 17, 19]'],
      ['math_is_prime(7.5)', 'False'],
    ];
    for (const [expression, expected] of checks) {
      assert.equal(evaluate(helpers, expression), expected, expression);
    }
  });

  it('change … by … adds to a number, and starts from 0 otherwise, on MicroPython', () => {
    const change = { type: 'math_change', fields: { VAR: { id: 'n' } }, inputs: { DELTA: num(2) } };
    const set = (input: unknown): BlockJson => ({
      type: 'variables_set',
      fields: { VAR: { id: 'n' } },
      inputs: { VALUE: input },
    });
    const cases: [start: BlockJson[], expected: string][] = [
      [[], '4'], // the variable is None until set
      [[set(num(1.5))], '5.5'],
      [[set(txt('x'))], '4'],
    ];
    for (const [start, expected] of cases) {
      const { code, imports } = generate([stack(...start, change, change)], ['n']);
      assert.deepEqual(imports, [MPYTHON]);
      // This interpreter has no mpython module, and these lines do not need it.
      assert.equal(evaluate(code.replace(`${MPYTHON}\n`, ''), 'n'), expected, code);
    }
  });

  it('helpers are indented like the rest of the program, 4 spaces a level', () => {
    let previous = 0;
    for (const line of withEveryHelper().lines.filter((l) => l.trim())) {
      const indent = line.length - line.trimStart().length;
      assert.ok(indent % 4 === 0 && indent <= previous + 4, `indented ${indent}: ${line}`);
      previous = indent;
    }
  });

  it('a variable named await or async is renamed (they are Python keywords)', () => {
    const program = generate(
      [
        stack(
          { type: 'variables_set', fields: { VAR: { id: 'await' } }, inputs: { VALUE: num(1) } },
          { type: 'variables_set', fields: { VAR: { id: 'async' } }, inputs: { VALUE: num(2) } },
        ),
      ],
      ['await', 'async'],
    );
    compile(program.code);
  });
});

describe('line map (the OneNET example)', () => {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(example.workspace, workspace);
  const program = generateMicroPython(workspace);
  workspace.dispose();
  const lines = program.code.split('\n').slice(0, -1);

  it('has one entry per line', () => {
    assert.equal(program.lineBlocks.length, lines.length);
  });

  it('gives each line made by a statement block that block’s id', () => {
    const start = lines.indexOf('def on_message(topic, msg):');
    const helpers = lines.indexOf('def mqtt_text(data):');
    const main = lines.findIndex((line) => line.startsWith('wifi()'));
    const owner = (n: number) => [program.lineBlocks[n], lines[n]];
    const handlerLines = Array.from({ length: helpers - start - 1 }, (_, i) => owner(start + i));
    const mainLines = Array.from({ length: lines.length - main }, (_, i) => owner(main + i));
    const owned = [...handlerLines, ...mainLines];
    assert.deepEqual(owned, [
      ['on-message', 'def on_message(topic, msg):'],
      ['on-message', '    global mqtt_client'],
      ['on-message', '    try:'],
      [
        'print',
        `        print(''.join([str(x) for x in [mqtt_text(topic), " ", mqtt_text(msg)]]))`,
      ],
      ['if', '        if msg == b"on":'],
      ['red', '            rgb.fill((50, 0, 0))'],
      ['red', '            rgb.write()'],
      ['if', '        elif msg == b"off":'],
      ['dark', '            rgb.fill((0, 0, 0))'],
      ['dark', '            rgb.write()'],
      ['on-message', '    except Exception as error:'],
      ['on-message', '        sys.print_exception(error)'],
      ['wifi', 'wifi().connectWiFi("ssid", "password")'],
      [
        'connect',
        'mqtt_client = MQTTClient("deviceID", "183.230.40.39", 6002, "productID", "APIKey", keepalive=10)',
      ],
      ['connect', 'mqtt_client.set_callback(on_message)'],
      ['connect', 'mqtt_client.connect()'],
      [
        'ping',
        'Timer(1).init(period=2000, mode=Timer.PERIODIC, callback=lambda t: mqtt_client.ping())',
      ],
      ['listen', 'try:'],
      ['listen', '    while True:'],
      ['listen', '        mqtt_client.wait_msg()'],
      ['listen', 'finally:'],
      ['listen', '    mqtt_client.disconnect()'],
    ]);
  });

  it('gives imports and helpers no block', () => {
    const start = lines.indexOf('def on_message(topic, msg):');
    const helpers = lines.indexOf('def mqtt_text(data):');
    const main = lines.findIndex((line) => line.startsWith('wifi()'));
    assert.ok(start > 0 && helpers > start && main > helpers);
    assert.deepEqual(new Set(program.lineBlocks.slice(0, start)), new Set([null]));
    assert.deepEqual(new Set(program.lineBlocks.slice(helpers, main)), new Set([null]));
  });
});

describe('block types, toolbox and generators in step', () => {
  /** Every block type the toolbox offers, with the Variables category's blocks. */
  const toolboxBlocks: BlockJson[] = [];
  const visit = (item: Record<string, unknown>) => {
    if (item.kind === 'block') toolboxBlocks.push(item);
    if (Array.isArray(item.contents)) item.contents.forEach(visit);
  };
  visit(toolbox as Record<string, unknown>);
  const workspace = new Blockly.Workspace();
  workspace.getVariableMap().createVariable('item');
  const variableTypes = Blockly.Variables.flyoutCategoryBlocks(workspace).map(
    (element) => element.getAttribute('type') ?? '',
  );
  workspace.dispose();
  const toolboxTypes = [...toolboxBlocks.map((block) => String(block.type)), ...variableTypes];

  it('finds the Variables category’s blocks', () => {
    assert.deepEqual(variableTypes, ['variables_set', 'math_change', 'variables_get']);
  });

  // The exception: the "MicroPython code" blocks (src/editor/code-block.ts), which importing
  // MicroPython makes for what has no block. They are not in the toolbox nor in the parity
  // builder, and do not behave on the virtual board as on the board: their TypeScript stops the
  // program and says that they run only on the real board (test/generators/import.test.ts).
  it('every type of ours and in the toolbox has a generator in both languages', () => {
    const types = [...new Set([...ourBlockTypes, ...toolboxTypes])];
    const missing = types.flatMap((type) => [
      ...(typeof micropythonGenerator.forBlock[type] === 'function' ? [] : [`MicroPython ${type}`]),
      ...(typeof typescriptGenerator.forBlock[type] === 'function' ? [] : [`TypeScript ${type}`]),
    ]);
    assert.deepEqual(missing, []);
  });

  it('every type in the toolbox is registered with Blockly', () => {
    assert.deepEqual(
      toolboxTypes.filter((type) => !Blockly.Blocks[type]),
      [],
    );
  });

  it('every type of ours is in the toolbox, once, and defined once', () => {
    assert.deepEqual(
      ourBlockTypes.filter((type) => toolboxTypes.filter((t) => t === type).length !== 1),
      [],
    );
    assert.equal(new Set(blockDefinitions.map((d) => d.type)).size, blockDefinitions.length);
  });

  it('every toolbox block, as dragged out, generates in both languages', () => {
    for (const { kind: _kind, ...dragged } of toolboxBlocks) {
      // break and continue are only valid, and only allowed by Blockly, inside a loop.
      const block =
        dragged.type === 'controls_flow_statements'
          ? { type: 'controls_whileUntil', inputs: { DO: { block: dragged } } }
          : dragged;
      const workspace = new Blockly.Workspace();
      try {
        Blockly.serialization.workspaces.load(
          { blocks: { languageVersion: 0, blocks: [block] } },
          workspace,
        );
        const python = micropythonGenerator.generate(workspace).code;
        assert.doesNotThrow(() => compile(python), `${block.type}:\n${python}`);
        assert.doesNotThrow(() => typescriptGenerator.generate(workspace), String(block.type));
      } finally {
        workspace.dispose();
      }
    }
  });
});

it('Blockly serializes XML headless after importing src/cli/headless-dom.ts', () => {
  assert.ok(xmlWorksHeadless, 'XMLSerializer was not found');
});
