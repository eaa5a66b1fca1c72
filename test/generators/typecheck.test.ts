// Generated TypeScript must type-check against the runtime contract, with only ES2022 and the
// runtime in scope: programs run in a Worker, which has no DOM.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { describeDiagnostic, diagnosticText, typeCheck } from '../support/type-check.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { ourBlockTypes, toolbox } from '../../blocks/index.ts';
import { PARTS } from '../../src/parts/index.ts';
import example from '../../src/examples/onenet-rgb.json' with { type: 'json' };

registerBlocks();

type BlockJson = Record<string, unknown>;

const num = (n: number) => ({ block: { type: 'math_number', fields: { NUM: n } } });
const txt = (text: string) => ({ block: { type: 'text', fields: { TEXT: text } } });
const get = (id: string) => ({ block: { type: 'variables_get', fields: { VAR: { id } } } });
const value = (block: BlockJson) => ({ block });
const set = (id: string, input: unknown): BlockJson => ({
  type: 'variables_set',
  fields: { VAR: { id } },
  inputs: { VALUE: input },
});

/** Links statement blocks into one stack, each the `next` of the one before. */
function stack(...blocks: BlockJson[]): BlockJson {
  return blocks.reduceRight((next, block) => ({ ...block, next: { block: next } }));
}

/** A workspace serialization with these variables (id = name) and top-level blocks. */
function workspaceJson(variables: string[], blocks: BlockJson[]) {
  return {
    variables: variables.map((name) => ({ name, id: name })),
    blocks: { languageVersion: 0, blocks },
  };
}

/** Every block of ours, with the message blocks inside a message handler. */
const everyBlockOfOurs = workspaceJson(
  ['level'],
  [
    stack(
      { type: 'wifi_connect', fields: { SSID: 'ssid', PASSWORD: 'pw' } },
      {
        type: 'mqtt_connect',
        fields: {
          SERVER: 'broker',
          PORT: 1883,
          CLIENT_ID: 'c1',
          USERNAME: '',
          PASSWORD: '',
          KEEPALIVE: 60,
        },
      },
      { type: 'mqtt_subscribe', inputs: { TOPIC: txt('lamp') } },
      { type: 'mqtt_subscribe', inputs: { TOPIC: get('level') } },
      { type: 'mqtt_publish', inputs: { TOPIC: txt('lamp'), MESSAGE: txt('hello') } },
      { type: 'mqtt_publish', inputs: { TOPIC: get('level'), MESSAGE: num(42) } },
      { type: 'mqtt_keep_alive', fields: { PERIOD: 2000 } },
      {
        type: 'onenet_connect',
        fields: { PRODUCT_ID: 'p1', DEVICE_NAME: 'd1', KEY: 'a2V5', METHOD: 'md5' },
      },
      { type: 'onenet_upload', fields: { NAME: 'level' }, inputs: { VALUE: get('level') } },
      set('level', num(7)),
      { type: 'rgb_fill', inputs: { RED: num(255), GREEN: get('level'), BLUE: num(0) } },
      { type: 'rgb_set', fields: { LED: '2' }, inputs: { RED: num(1), GREEN: num(2) } },
      { type: 'rgb_off' },
      { type: 'oled_show_text', fields: { LINE: '3' }, inputs: { TEXT: txt('你好') } },
      { type: 'oled_show_text', fields: { LINE: '4' }, inputs: { TEXT: get('level') } },
      {
        type: 'oled_show_text',
        fields: { LINE: '2' },
        inputs: { TEXT: value({ type: 'board_light_level' }) },
      },
      set('level', value({ type: 'board_sound_level' })),
      { type: 'oled_clear' },
      { type: 'board_wait', inputs: { MS: num(500) } },
      { type: 'board_wait', inputs: { MS: get('level') } },
      { type: 'text_print', inputs: { TEXT: txt('ready') } },
      // Each board part's blocks as its toolbox gives them (src/parts/).
      ...PARTS.flatMap((part) => part.toolbox.map(({ kind: _kind, ...block }) => block)),
      { type: 'mqtt_listen_forever' },
    ),
    {
      type: 'mqtt_on_message',
      inputs: {
        DO: {
          block: stack(
            { type: 'text_print', inputs: { TEXT: value({ type: 'mqtt_topic' }) } },
            set('level', value({ type: 'mqtt_message' })),
            {
              type: 'controls_if',
              inputs: {
                IF0: value({ type: 'mqtt_message_is', fields: { TEXT: 'on' } }),
                DO0: {
                  block: {
                    type: 'oled_show_text',
                    inputs: { TEXT: value({ type: 'mqtt_message' }) },
                  },
                },
              },
            },
            {
              type: 'mqtt_if_message',
              fields: { TEXT: 'off' },
              inputs: { DO: { block: { type: 'rgb_off' } } },
            },
            {
              type: 'mqtt_publish',
              inputs: { TOPIC: value({ type: 'mqtt_topic' }), MESSAGE: get('level') },
            },
          ),
        },
      },
    },
    {
      type: 'onenet_on_command',
      inputs: {
        DO: {
          block: stack(set('level', value({ type: 'onenet_command' })), {
            type: 'controls_if',
            inputs: {
              IF0: value({ type: 'onenet_command_is', fields: { TEXT: 'on' } }),
              DO0: { block: { type: 'onenet_reply', inputs: { TEXT: get('level') } } },
            },
          }),
        },
      },
    },
    {
      type: 'board_on_button',
      fields: { BUTTON: 'a' },
      inputs: { DO: { block: { type: 'rgb_set', fields: { LED: '0' } } } },
    },
    {
      type: 'board_on_button',
      fields: { BUTTON: 'b' },
      inputs: { DO: { block: { type: 'board_wait', inputs: { MS: num(100) } } } },
    },
  ],
);

/** Variable names a child may choose that are reserved in TypeScript, Python or our runtime. */
const RESERVED_NAMES = [
  'class',
  'await',
  'print',
  'message',
  'interface',
  'undefined',
  'declare',
  'as',
  'of',
  'mqtt',
  'sleep',
  'buttons',
  'String',
  'Math',
  'mathRandomInt',
];

/** Blockly's standard blocks, with variables named like reserved words of TS, Python or ours. */
const standardBlocks = workspaceJson(
  ['i', 'list', ...RESERVED_NAMES],
  [
    stack(
      ...RESERVED_NAMES.map((name) => set(name, txt(name))),
      set('await', value({ type: 'math_random_int', inputs: { FROM: num(1), TO: num(6) } })),
      set('message', txt('hello world')),
      set(
        'print',
        value({
          type: 'text_getSubstring',
          fields: { WHERE1: 'FROM_START', WHERE2: 'FROM_END' },
          inputs: { STRING: get('message'), AT1: num(2), AT2: num(1) },
        }),
      ),
      set(
        'class',
        value({
          type: 'text_charAt',
          fields: { WHERE: 'FROM_START' },
          inputs: { VALUE: get('print'), AT: num(2) },
        }),
      ),
      {
        type: 'controls_for',
        fields: { VAR: { id: 'i' } },
        inputs: {
          FROM: num(1),
          TO: num(10),
          BY: num(2),
          DO: {
            block: stack(
              {
                type: 'text_append',
                fields: { VAR: { id: 'message' } },
                inputs: {
                  TEXT: value({
                    type: 'text_indexOf',
                    fields: { END: 'FIRST' },
                    inputs: { VALUE: get('print'), FIND: txt('l') },
                  }),
                },
              },
              {
                type: 'controls_if',
                inputs: {
                  IF0: value({
                    type: 'logic_compare',
                    fields: { OP: 'GT' },
                    inputs: { A: get('i'), B: num(5) },
                  }),
                  DO0: { block: { type: 'controls_flow_statements', fields: { FLOW: 'BREAK' } } },
                },
              },
            ),
          },
        },
      },
      {
        type: 'controls_repeat_ext',
        inputs: { TIMES: num(3), DO: { block: set('i', value({ type: 'math_random_float' })) } },
      },
      {
        type: 'controls_whileUntil',
        fields: { MODE: 'UNTIL' },
        inputs: {
          BOOL: value({
            type: 'logic_operation',
            fields: { OP: 'OR' },
            inputs: {
              A: value({ type: 'logic_boolean', fields: { BOOL: 'TRUE' } }),
              B: value({
                type: 'logic_negate',
                inputs: {
                  BOOL: value({ type: 'text_isEmpty', inputs: { VALUE: get('message') } }),
                },
              }),
            },
          }),
          DO: { block: set('i', value({ type: 'math_constant', fields: { CONSTANT: 'PI' } })) },
        },
      },
      set(
        'list',
        value({
          type: 'logic_ternary',
          inputs: {
            IF: value({
              type: 'math_number_property',
              fields: { PROPERTY: 'PRIME' },
              inputs: { NUMBER_TO_CHECK: num(7) },
            }),
            THEN: value({ type: 'math_round', fields: { OP: 'ROUND' }, inputs: { NUM: num(3.1) } }),
            ELSE: value({ type: 'math_modulo', inputs: { DIVIDEND: num(64), DIVISOR: num(10) } }),
          },
        }),
      ),
      set(
        'i',
        value({
          type: 'math_arithmetic',
          fields: { OP: 'POWER' },
          inputs: {
            A: value({ type: 'math_single', fields: { OP: 'ROOT' }, inputs: { NUM: num(9) } }),
            B: value({ type: 'math_trig', fields: { OP: 'SIN' }, inputs: { NUM: num(45) } }),
          },
        }),
      ),
      set(
        'i',
        value({
          type: 'math_constrain',
          inputs: { VALUE: get('i'), LOW: num(1), HIGH: num(100) },
        }),
      ),
      set(
        'i',
        value({
          type: 'math_number_property',
          fields: { PROPERTY: 'EVEN' },
          inputs: { NUMBER_TO_CHECK: get('i') },
        }),
      ),
      set(
        'message',
        value({
          type: 'text_join',
          extraState: { itemCount: 3 },
          inputs: {
            ADD0: value({ type: 'text_length', inputs: { VALUE: get('message') } }),
            ADD1: value({
              type: 'text_changeCase',
              fields: { CASE: 'TITLECASE' },
              inputs: { TEXT: get('message') },
            }),
            ADD2: value({
              type: 'text_trim',
              fields: { MODE: 'BOTH' },
              inputs: { TEXT: get('class') },
            }),
          },
        }),
      ),
      set('i', value({ type: 'text_count', inputs: { SUB: txt('l'), TEXT: get('message') } })),
      { type: 'math_change', fields: { VAR: { id: 'i' } }, inputs: { DELTA: num(1) } },
      set(
        'message',
        value({
          type: 'text_replace',
          inputs: {
            FROM: txt('l'),
            TO: txt('L'),
            TEXT: value({ type: 'text_reverse', inputs: { TEXT: get('message') } }),
          },
        }),
      ),
      { type: 'text_print', inputs: { TEXT: get('message') } },
    ),
  ],
);

/** A program that calls a runtime function the contract does not have. */
const NEGATIVE_CONTROL = 'import { rgb } from "@iot-blocks/runtime";\n\nrgb.blink(1);\n';

/** Generates TypeScript for a serialized workspace. */
function typescriptFor(json: object) {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(json, workspace);
    return generateTypeScript(workspace);
  } finally {
    workspace.dispose();
  }
}

describe('generated TypeScript type-checks against the runtime contract', () => {
  const programs = {
    'the OneNET example': typescriptFor(example.workspace),
    'every block of ours': typescriptFor(everyBlockOfOurs),
    'standard blocks, variables named like reserved words': typescriptFor(standardBlocks),
  };
  const files = new Map<string, string>();
  const lineBlocks = new Map<string, (string | null)[]>();
  Object.values(programs).forEach((generated, n) => {
    files.set(`/virtual/prog${n}.ts`, generated.code);
    lineBlocks.set(`/virtual/prog${n}.ts`, generated.lineBlocks);
  });
  const negative = '/virtual/negative-control.ts';
  files.set(negative, NEGATIVE_CONTROL);
  let checked: ReturnType<typeof typeCheck>;
  // One program for the whole batch: the compiler reads lib and the runtime once.
  before(() => {
    checked = typeCheck(files);
  });

  it('uses every block type of ours, and every type in the toolbox', () => {
    const json = JSON.stringify([everyBlockOfOurs, standardBlocks]);
    const toolboxTypes = JSON.stringify(toolbox).match(/(?<="type":")\w+/g) ?? [];
    // The Variables category is filled in by Blockly: these are its blocks.
    const variableTypes = ['variables_set', 'math_change', 'variables_get'];
    const missing = [...ourBlockTypes, ...toolboxTypes, ...variableTypes].filter(
      (type) => !json.includes(`"type":"${type}"`),
    );
    assert.deepEqual(missing, []);
  });

  Object.entries(programs).forEach(([name], n) => {
    it(`${name} has no diagnostics`, () => {
      const found = checked.inFile(`/virtual/prog${n}.ts`);
      assert.equal(
        found.length,
        0,
        `\n${found.map((d) => describeDiagnostic(d, lineBlocks)).join('\n')}`,
      );
    });
  });

  it('has no diagnostics outside the programs (options, lib, runtime)', () => {
    const elsewhere = checked.diagnostics.filter((d) => !d.file || !files.has(d.file.fileName));
    assert.equal(
      elsewhere.length,
      0,
      `\n${elsewhere.map((d) => describeDiagnostic(d, lineBlocks)).join('\n')}`,
    );
  });

  it('fails a program that calls a runtime function the contract lacks (negative control)', () => {
    const found = checked.inFile(negative).map(diagnosticText);
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /'blink' does not exist on type 'RgbLeds'/);
  });
});
