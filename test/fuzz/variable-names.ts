/**
 * Hostile variable names: a program with many variables named like keywords, builtins, our
 * helpers and imports, the runtime's exports, and random text, which sets, prints and changes
 * them next to every helper and import our blocks bring in. At run time every variable must
 * hold its own value and every block must still work; in the source no two names may become the
 * same identifier, and none may be a keyword or a name the program needs for something else.
 * (The toolbox has no procedure blocks, so variables are the only names a child gives.)
 */
import { message, runOnBoard } from '../support/micropython-board.ts';
import {
  connect,
  get,
  num,
  print,
  stack,
  txt,
  value,
  type BlockJson,
} from '../support/block-json.ts';
import { shown, shrink } from './hostile-strings.ts';
import {
  generateBoth,
  runAndCompare,
  typeCheckAll,
  type FuzzProgram,
  type Language,
} from './programs.ts';

/** Fewest names a program needs (the for loop and `change by` use names 2 and 4). */
export const MIN_NAMES = 5;

const set = (i: number, input: unknown): BlockJson => ({
  type: 'variables_set',
  fields: { VAR: { id: `n${i}` } },
  inputs: { VALUE: input },
});
const join = (...items: unknown[]) =>
  value({
    type: 'text_join',
    extraState: { itemCount: items.length },
    inputs: Object.fromEntries(items.map((item, n) => [`ADD${n}`, item])),
  });

/** The program for `names` (at least MIN_NAMES, no two equal ignoring case, as Blockly needs). */
export function namesProgram(names: string[]): FuzzProgram {
  const count = names.length;
  const each = (block: (i: number) => BlockJson) => names.map((_, i) => block(i));
  const main = stack(
    ...each((i) => set(i, txt(`v${i}`))),
    { type: 'wifi_connect', fields: { SSID: 'ssid', PASSWORD: 'pw' } },
    connect(),
    { type: 'mqtt_subscribe', inputs: { TOPIC: get('n0') } },
    { type: 'mqtt_keep_alive', fields: { PERIOD: 1000 } },
    { type: 'oled_show_text', fields: { LINE: '1' }, inputs: { TEXT: get('n0') } },
    ...each((i) => print(get(`n${i}`))),
    print(
      value({ type: 'text_replace', inputs: { FROM: txt('v'), TO: txt('w'), TEXT: get('n0') } }),
    ),
    print(
      value({
        type: 'text_changeCase',
        fields: { CASE: 'TITLECASE' },
        inputs: { TEXT: get('n1') },
      }),
    ),
    print(value({ type: 'text_count', inputs: { SUB: txt('v'), TEXT: get('n0') } })),
    {
      type: 'controls_if',
      inputs: {
        IF0: value({
          type: 'math_number_property',
          fields: { PROPERTY: 'PRIME' },
          inputs: { NUMBER_TO_CHECK: num(7) },
        }),
        DO0: { block: print(txt('prime')) },
      },
    },
    print(value({ type: 'math_random_int', inputs: { FROM: num(5), TO: num(5) } })),
    {
      type: 'controls_for',
      fields: { VAR: { id: 'n2' } },
      inputs: { FROM: num(1), TO: num(3), BY: num(1), DO: { block: print(get('n2')) } },
    },
    {
      type: 'controls_repeat_ext',
      inputs: { TIMES: num(2), DO: { block: print(txt('again')) } },
    },
    { type: 'math_change', fields: { VAR: { id: 'n4' } }, inputs: { DELTA: num(1) } },
    print(get('n4')),
    { type: 'board_wait', inputs: { MS: num(1) } },
    print(value({ type: 'board_light_level' })),
    { type: 'mqtt_listen_forever' },
  );
  const onMessage = {
    type: 'mqtt_on_message',
    inputs: {
      DO: {
        block: stack(
          ...each((i) => set(i, join(txt(`m${i}:`), value({ type: 'mqtt_message' })))),
          ...each((i) => print(get(`n${i}`))),
          {
            type: 'controls_if',
            inputs: {
              IF0: value({ type: 'mqtt_message_is', fields: { TEXT: 'on' } }),
              DO0: {
                block: {
                  type: 'rgb_fill',
                  inputs: { RED: num(50), GREEN: num(1), BLUE: num(0) },
                },
              },
            },
          },
          {
            type: 'mqtt_publish',
            inputs: { TOPIC: value({ type: 'mqtt_topic' }), MESSAGE: get('n0') },
          },
        ),
      },
    },
  };
  const last = count - 1;
  const onA = {
    type: 'board_on_button',
    fields: { BUTTON: 'a' },
    inputs: { DO: { block: stack(set(last, txt('pressed a')), print(get(`n${last}`))) } },
  };
  const onB = {
    type: 'board_on_button',
    fields: { BUTTON: 'b' },
    inputs: { DO: { block: print(get('n0')) } },
  };
  const label = (what: string) => `${what} (names ${names.map((name) => shown(name)).join(', ')})`;
  const lines: [string, string][] = [
    ...names.map((name, i): [string, string] => [`v${i}`, `${shown(name)} set and printed`]),
    ['w0', 'text_replace'],
    ['V1', 'text_changeCase title case'],
    ['1', 'text_count'],
    ['prime', 'math_number_property prime'],
    ['5', 'math_random_int'],
    ['1', 'controls_for'],
    ['2', 'controls_for'],
    ['3', 'controls_for'],
    ['again', 'controls_repeat_ext'],
    ['again', 'controls_repeat_ext'],
    ['1', 'math_change'],
    ['2048', 'board_light_level'],
    ...names.map((name, i): [string, string] => [`m${i}:on`, `${shown(name)} in the handler`]),
    ['pressed a', 'button A handler'],
    ['m0:on', 'button B handler'],
  ];
  const on = [50, 1, 0];
  return {
    variables: names.map((name, i) => ({ name, id: `n${i}` })),
    blocks: [
      { ...main, x: 0, y: 0 },
      { ...onMessage, x: 0, y: 1000 },
      { ...onA, x: 0, y: 2000 },
      { ...onB, x: 0, y: 3000 },
    ],
    script: [message('lamp', 'on'), 'press a', 'press b', 'tick'],
    expect: {
      calls: {
        MicroPython: [
          { call: 'MQTTClient.subscribe', args: [utf8('v0'), 0], label: label('subscribe') },
          { call: 'oled.DispChar', args: ['v0', 0, 0], label: label('oled_show_text') },
          { call: 'rgb.write', args: [[on, on, on]], label: label('rgb_fill') },
          {
            call: 'MQTTClient.publish',
            args: [utf8('lamp'), utf8('m0:on'), false, 0],
            label: label('publish'),
          },
          { call: 'MQTTClient.ping', args: [], label: label('keep-alive') },
        ],
        TypeScript: [
          { call: 'mqtt.subscribe', args: ['v0'], label: label('subscribe') },
          { call: 'oled.showText', args: ['v0', 1], label: label('oled_show_text') },
          { call: 'rgb.write', args: [[on, on, on]], label: label('rgb_fill') },
          { call: 'mqtt.publish', args: ['lamp', 'm0:on'], label: label('publish') },
          { call: 'mqtt.ping', args: [], label: label('keep-alive') },
        ],
      },
      printed: lines.map(([text, what]) => ({ text, label: label(what) })),
    },
  };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Python's keywords (3.12), which no identifier may be. */
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** JavaScript's reserved words in strict module code, and TypeScript's where a `let` cannot be. */
const TYPESCRIPT_KEYWORDS = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval any type undefined NaN Infinity'.split(
    ' ',
  ),
);

/** Globals that generated TypeScript or Blockly's helpers call. */
const TYPESCRIPT_GLOBALS = new Set(
  'Math String Number Array Object JSON Boolean Promise Error RegExp Symbol Date parseInt parseFloat isNaN isFinite globalThis'.split(
    ' ',
  ),
);

/** The Worker runs a program as the body of `async function (require, exports)`. */
const WORKER_PARAMETERS = new Set(['require', 'exports']);

/** The variables' identifiers in a generated program, in the order they are declared. */
export function declaredVariables(language: 'MicroPython' | 'TypeScript', source: string) {
  const pattern = language === 'MicroPython' ? /^(\S+) = None$/gm : /^let (\S+): any = null;$/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

/** Names a generated Python program imports or defines at its top level. */
function pythonTopLevelNames(source: string, moduleNames: Map<string, string[]>): Set<string> {
  const names = new Set<string>();
  for (const [, module, imported] of source.matchAll(/^from (\S+) import (.+)$/gm)) {
    const list = imported === '*' ? (moduleNames.get(module) ?? []) : imported.split(/,\s*/);
    list.forEach((name) => names.add(name.trim()));
    names.add(module.split('.')[0]);
  }
  for (const [, module] of source.matchAll(/^import (\w+)/gm)) names.add(module);
  for (const [, name] of source.matchAll(/^def (\w+)/gm)) names.add(name);
  return names;
}

/** Names a generated TypeScript program imports or defines at its top level. */
function typescriptTopLevelNames(source: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of source.matchAll(/^import \{ (.+) \} from/gm)) {
    list.split(/,\s*/).forEach((name) => names.add(name));
  }
  for (const [, name] of source.matchAll(/^(?:async )?function (\w+)/gm)) names.add(name);
  for (const [, name] of source.matchAll(/^const (\w+)/gm)) names.add(name);
  return names;
}

/**
 * What is wrong with the variables' identifiers in a generated program, or undefined: each
 * variable one declaration, all different, none a keyword, a builtin (`builtins`, from the
 * interpreter), a global the code calls, or a name the program imports or defines.
 */
export function checkIdentifiers(
  language: 'MicroPython' | 'TypeScript',
  source: string,
  names: string[],
  builtins: Set<string>,
  moduleNames: Map<string, string[]>,
): string | undefined {
  const identifiers = declaredVariables(language, source);
  if (identifiers.length !== names.length || new Set(identifiers).size !== names.length) {
    return `${names.length} variables became identifiers ${identifiers.join(', ')}`;
  }
  const taken =
    language === 'MicroPython'
      ? [PYTHON_KEYWORDS, builtins, pythonTopLevelNames(source, moduleNames)]
      : [
          TYPESCRIPT_KEYWORDS,
          TYPESCRIPT_GLOBALS,
          WORKER_PARAMETERS,
          typescriptTopLevelNames(source),
        ];
  const clash = identifiers.find((id) => taken.some((set) => set.has(id)));
  return clash === undefined ? undefined : `a variable became ${clash}, a name that is taken`;
}

/** The interpreter's builtins, and the names each module a program imports from gives. */
export async function pythonNames(): Promise<{
  builtins: Set<string>;
  modules: Map<string, string[]>;
}> {
  const modules = ['mpython', 'umqtt.simple', 'machine'];
  const run = await runOnBoard(
    [
      'import builtins',
      'print(" ".join(dir(builtins)))',
      ...modules.map((m) => `import ${m}\nprint(" ".join(dir(${m})))`),
    ].join('\n'),
    [],
  );
  if (run.error) throw new Error(`could not list the interpreter's names:\n${run.error}`);
  const [builtins, ...lists] = run.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  const exported = (list: string[]) => list.filter((name) => !name.startsWith('_'));
  return {
    builtins: new Set(builtins),
    modules: new Map(modules.map((m, n) => [m, exported(lists[n])])),
  };
}

/** A name that clashes with nothing, to stand in for a name while shrinking. */
const padName = (i: number) => `fuzz_pad_${i}`;

/** One failing set of names, cut down to the names that make it fail. */
export interface NameFailure {
  language: Language;
  names: string[];
  problem: string;
  /** The hostile names left when every other is replaced by a plain one. */
  shrunk?: string[];
  shrunkProblem?: string;
}

type PythonNames = Awaited<ReturnType<typeof pythonNames>>;

/** Checks one set of names in one language: generation, identifiers, type check, run. */
async function checkNames(
  language: Language,
  names: string[],
  python: PythonNames,
  typeError?: string,
): Promise<string | undefined> {
  const program = namesProgram(names);
  const generated = generateBoth(program);
  if (generated.error) return `generating failed: ${generated.error}`;
  const source = language === 'MicroPython' ? generated.python! : generated.typescript!;
  const clash = checkIdentifiers(language, source, names, python.builtins, python.modules);
  if (clash) return clash;
  if (language === 'TypeScript') {
    const found = typeError ?? typeCheckAll([source])[0];
    if (found) return `it does not type-check: ${found}`;
  }
  return runAndCompare(language, source, program);
}

/** Distinct names (ignoring case, as Blockly's variables are) in groups of `size`. */
export function nameGroups(names: string[], size: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  for (const name of names) {
    if (!name || group.some((other) => other.toLowerCase() === name.toLowerCase())) continue;
    group.push(name);
    if (group.length === size) {
      groups.push(group);
      group = [];
    }
  }
  if (group.length) {
    while (group.length < MIN_NAMES) group.push(padName(group.length));
    groups.push(group);
  }
  return groups;
}

/** Programs per compiler program. */
const CHUNK = 40;

/** What a fuzz run of variable names did. */
export interface NameFuzzReport {
  names: number;
  programs: number;
  failures: NameFailure[];
}

/** Runs every group of names in both languages; the first failure of each language is shrunk. */
export async function fuzzNames(groups: string[][]): Promise<NameFuzzReport> {
  const python = await pythonNames();
  const failures: NameFailure[] = [];
  for (let start = 0; start < groups.length; start += CHUNK) {
    const chunk = groups.slice(start, start + CHUNK);
    const generated = chunk.map((names) => generateBoth(namesProgram(names)));
    const typeErrors = typeCheckAll(generated.map((g) => g.typescript));
    for (const [n, names] of chunk.entries()) {
      for (const language of ['MicroPython', 'TypeScript'] as const) {
        const problem = await checkNames(language, names, python, typeErrors[n]);
        if (problem) failures.push({ language, names, problem });
      }
    }
  }
  for (const language of ['MicroPython', 'TypeScript'] as const) {
    const first = failures.find((f) => f.language === language);
    if (!first) continue;
    let names = [...first.names];
    for (let i = 0; i < names.length; i++) {
      const plainer = names.map((name, j) => (j === i ? padName(j) : name));
      if (await checkNames(language, plainer, python)) names = plainer;
    }
    // Then each name left is cut down (keeping the names different, as Blockly does).
    for (const i of names.keys()) {
      if (names[i] === padName(i)) continue;
      const others = names.filter((_, j) => j !== i).map((name) => name.toLowerCase());
      names[i] = await shrink(
        names[i],
        async (candidates) => {
          for (const [c, candidate] of candidates.entries()) {
            if (!candidate || others.includes(candidate.toLowerCase())) continue;
            const trial = names.map((name, j) => (j === i ? candidate : name));
            if (await checkNames(language, trial, python)) return c;
          }
          return -1;
        },
        100,
      );
    }
    first.shrunk = names.filter((name, i) => name !== padName(i));
    first.shrunkProblem = await checkNames(language, names, python);
  }
  return { names: groups.reduce((sum, g) => sum + g.length, 0), programs: groups.length, failures };
}

/** A failure as lines for a report. */
export function describeNameFailure(failure: NameFailure): string {
  const lines = [
    `${failure.language}: variables ${failure.names.map((name) => shown(name)).join(', ')}`,
    `  ${failure.problem.split('\n').slice(0, 8).join('\n  ')}`,
  ];
  if (failure.shrunk) {
    lines.push(
      `  shrunk to the names ${failure.shrunk.map((name) => shown(name)).join(', ')}: ${failure.shrunkProblem?.split('\n')[0]}`,
    );
  }
  return lines.join('\n');
}
