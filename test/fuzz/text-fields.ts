/**
 * Hostile strings in every text field that reaches generated code: the WiFi and connect blocks'
 * fields, "message is", and Blockly's text block where our blocks take text (subscribe, publish,
 * print, OLED), through a variable, and through Blockly's text blocks (join, append, replace,
 * reverse); and in block comments (on a statement, on a value, in a message handler), which must
 * change nothing: the programs do the same, and the line map gives every line the block it had
 * without them, each comment's lines to the block they are written above. Many strings share one
 * program, so one interpreter run and one compiler program check a whole batch; a failing string
 * is then checked alone and shrunk.
 */
import { message } from '../support/micropython-board.ts';
import { get, print, stack, txt, value, type BlockJson } from '../support/block-json.ts';
import { expectedText, shown, shrink } from './hostile-strings.ts';
import {
  generateBoth,
  lineMapProblem,
  runAndCompare,
  typeCheckAll,
  uncommented,
  withBlockIds,
  type ExpectedCall,
  type ExpectedComment,
  type FuzzProgram,
  type Generated,
  type Language,
} from './programs.ts';

/** The text fields and places a string goes, for counting cases. */
export const TEXT_FIELDS = [
  'wifi_connect SSID',
  'wifi_connect PASSWORD',
  'mqtt_connect SERVER',
  'mqtt_connect CLIENT_ID',
  'mqtt_connect USERNAME',
  'mqtt_connect PASSWORD',
  'mqtt_message_is TEXT',
  'mqtt_if_message TEXT',
  'text → mqtt_subscribe TOPIC',
  'text → mqtt_publish TOPIC',
  'text → mqtt_publish MESSAGE',
  'text → text_print',
  'text → oled_show_text',
  'text → variables_set → mqtt_publish TOPIC',
  'text → text_join → mqtt_publish MESSAGE',
  'text → variables_set → oled_show_text',
  'text → text_append → text_print',
  'text → text_replace FROM/TO → text_print',
  'text → text_reverse → text_print',
  'mqtt_topic / mqtt_message (as sent) → text_print',
  'block comment on a statement (text_print)',
  'block comment on a value (text → oled_show_text)',
  'block comment in a message handler (controls_if, and text_print inside it)',
] as const;

const utf8 = (text: string) => new TextEncoder().encode(text);
/** A block comment holding `text`, to spread into a block. */
const note = (text: string) => ({ icons: { comment: { text } } });
const VARIABLE = { name: 'fuzz_text', id: 'fuzz_text' };

/** Python's `str.replace`: every occurrence, and an empty needle between code points. */
function replaceAll(haystack: string, needle: string, replacement: string): string {
  return needle
    ? haystack.split(needle).join(replacement)
    : ['', ...Array.from(haystack), ''].join(replacement);
}

const join = (...items: unknown[]) => ({
  block: { type: 'text_join', extraState: { itemCount: items.length }, inputs: joinInputs(items) },
});
const joinInputs = (items: unknown[]) =>
  Object.fromEntries(items.map((item, n) => [`ADD${n}`, item]));

/** The program that puts every string of `strings` in every text field (see the module comment). */
export function textFieldsProgram(strings: string[]): FuzzProgram {
  const blocks: BlockJson[] = [];
  /** The program's one main stack: every string's blocks, one after the other. */
  const main: BlockJson[] = [];
  const py: ExpectedCall[] = [];
  const ts: ExpectedCall[] = [];
  const printed: { text: string; label: string }[] = [];
  const comments: ExpectedComment[] = [];
  const expected = strings.map(expectedText);
  const at = (y: number) => ({ x: 0, y });

  strings.forEach((s, i) => {
    const e = expected[i];
    const next = strings[(i + 1) % strings.length];
    const eNext = expected[(i + 1) % strings.length];
    const line = (i % 4) + 1;
    const label = (field: string) => `string ${i} ${shown(strings[i])}, ${field}`;
    main.push(
      { type: 'wifi_connect', fields: { SSID: s, PASSWORD: s } },
      {
        type: 'mqtt_connect',
        fields: { SERVER: s, PORT: 1883, CLIENT_ID: s, USERNAME: s, PASSWORD: s, KEEPALIVE: 60 },
      },
      { type: 'mqtt_subscribe', inputs: { TOPIC: txt(s) } },
      { type: 'mqtt_publish', inputs: { TOPIC: txt(s), MESSAGE: txt(s) } },
      { ...print(txt(s)), id: `c${i}-print`, ...note(s) },
      {
        type: 'oled_show_text',
        id: `c${i}-oled`,
        fields: { LINE: String(line) },
        inputs: { TEXT: { block: { ...txt(s).block, ...note(s) } } },
      },
      { type: 'variables_set', fields: { VAR: { id: VARIABLE.id } }, inputs: { VALUE: txt(s) } },
      {
        type: 'mqtt_publish',
        inputs: { TOPIC: get(VARIABLE.id), MESSAGE: join(get(VARIABLE.id), txt(s)) },
      },
      { type: 'oled_show_text', fields: { LINE: '1' }, inputs: { TEXT: get(VARIABLE.id) } },
      { type: 'text_append', fields: { VAR: { id: VARIABLE.id } }, inputs: { TEXT: txt(s) } },
      print(get(VARIABLE.id)),
      print(
        value({
          type: 'text_replace',
          inputs: { FROM: txt(s), TO: txt(next), TEXT: txt(`<${s}>`) },
        }),
      ),
      print(value({ type: 'text_reverse', inputs: { TEXT: txt(s) } })),
    );
    blocks.push({
      ...at(i * 1000 + 500),
      type: 'mqtt_on_message',
      inputs: {
        DO: {
          block: {
            type: 'controls_if',
            id: `c${i}-if`,
            ...note(s),
            inputs: {
              IF0: value({ type: 'mqtt_message_is', fields: { TEXT: s } }),
              DO0: { block: { ...print(txt(`#${i}`)), id: `c${i}-if-print`, ...note(s) } },
            },
            next: {
              block: {
                type: 'mqtt_if_message',
                fields: { TEXT: s },
                inputs: { DO: { block: print(txt(`=${i}`)) } },
              },
            },
          },
        },
      },
    });
    // A value block's comment is written above the statement that holds it.
    for (const owner of ['print', 'oled', 'if', 'if-print']) {
      comments.push({ owner: `c${i}-${owner}`, text: s });
    }
    const wifi = label('wifi_connect SSID/PASSWORD');
    py.push({ call: 'wifi.connectWiFi', args: [e, e], label: wifi });
    ts.push({ call: 'wifi.connect', args: [e, e], label: wifi });
    const connect = label('mqtt_connect SERVER/CLIENT_ID/USERNAME/PASSWORD');
    // A username or password that is not ASCII reaches umqtt as its UTF-8 bytes.
    const credential = [...e].every((ch) => ch.charCodeAt(0) < 0x80) ? e : utf8(e);
    py.push({
      call: 'MQTTClient',
      args: [e, e, 1883, credential, credential, 60, false],
      label: connect,
    });
    const options = { server: e, port: 1883, clientId: e, username: e, password: e, keepalive: 60 };
    ts.push({ call: 'mqtt.connect', args: [options], label: connect });
    py.push({ call: 'MQTTClient.subscribe', args: [utf8(e), 0], label: label('subscribe') });
    ts.push({ call: 'mqtt.subscribe', args: [e], label: label('subscribe') });
    for (const [topic, payload, what] of [
      [e, e, 'publish TOPIC/MESSAGE text'],
      [e, e + e, 'publish TOPIC variable, MESSAGE text_join'],
    ]) {
      py.push({
        call: 'MQTTClient.publish',
        args: [utf8(topic), utf8(payload), false, 0],
        label: label(what),
      });
      ts.push({ call: 'mqtt.publish', args: [topic, payload], label: label(what) });
    }
    for (const [shownLine, what] of [
      [line, 'oled_show_text text'],
      [1, 'oled_show_text variable'],
    ] as const) {
      py.push({ call: 'oled.DispChar', args: [e, 0, (shownLine - 1) * 16], label: label(what) });
      ts.push({ call: 'oled.showText', args: [e, shownLine], label: label(what) });
    }
    printed.push(
      { text: e, label: label('text_print') },
      { text: e + e, label: label('text_append') },
      { text: replaceAll(`<${e}>`, e, eNext), label: label(`text_replace to ${shown(next)}`) },
      { text: Array.from(e).reverse().join(''), label: label('text_reverse') },
    );
  });

  // Each string arrives as a message, and again with one more character: the topic and the text
  // are printed, then "#i" for every "message is" that matches the payload's bytes.
  blocks.push({
    ...at(-1000),
    type: 'mqtt_on_message',
    inputs: {
      DO: {
        block: stack(print(value({ type: 'mqtt_topic' })), print(value({ type: 'mqtt_message' }))),
      },
    },
  });
  blocks.push({ ...at(0), ...stack(...main, { type: 'mqtt_listen_forever' }) });
  const script = expected.flatMap((e) => [message(e, e), message(e, e + 'x')]);
  script.forEach((event, n) => {
    const { topic, payload } = event as { topic: string; payload: string };
    const label = `message ${n >> 1} (${shown(payload)})`;
    printed.push(
      { text: topic, label: `${label}: mqtt_topic` },
      { text: payload, label: `${label}: mqtt_message` },
    );
    expected.forEach((e, i) => {
      if (e !== payload) return;
      printed.push(
        { text: `#${i}`, label: `${label}: message is string ${i}` },
        { text: `=${i}`, label: `${label}: if the message is string ${i}` },
      );
    });
  });
  for (const entry of printed) ts.push({ call: 'print', args: [entry.text], label: entry.label });
  return {
    variables: [VARIABLE],
    blocks,
    script,
    expect: { calls: { MicroPython: py, TypeScript: ts }, printed },
    comments,
  };
}

/** A program generated with its comments and without them (for `lineMapProblem`). */
interface GeneratedPair {
  generated: Generated;
  plain: Generated;
}

/** Generates `program` with and without its comments (its blocks' ids the same in both). */
function generatePair(program: FuzzProgram): GeneratedPair {
  const named = withBlockIds(program);
  return { generated: generateBoth(named), plain: generateBoth(uncommented(named)) };
}

/**
 * What is wrong with a batch's program in `language` before it runs: generation, the line map,
 * or (TypeScript) the type check; undefined when nothing is.
 */
function staticProblem(
  language: Language,
  program: FuzzProgram,
  { generated, plain }: GeneratedPair,
  typeError: string | undefined,
): string | undefined {
  if (generated.error) return `generating failed: ${generated.error}`;
  if (language === 'TypeScript' && typeError) return `it does not type-check: ${typeError}`;
  const lineMap = lineMapProblem(language, program, generated, plain);
  return lineMap && `its line map is wrong: ${lineMap}`;
}

/** A failure: the strings, the language, what went wrong, and the shrunk string. */
export interface TextFailure {
  language: Language;
  strings: string[];
  problem: string;
  shrunk?: string;
  shrunkProblem?: string;
}

/** Splits strings into batches of about `weight` UTF-16 units each (a long string goes alone). */
export function batches(strings: string[], weight = 2500): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const s of strings) {
    if (current.length && size + s.length > weight) {
      result.push(current);
      current = [];
      size = 0;
    }
    current.push(s);
    size += s.length + 10;
  }
  if (current.length) result.push(current);
  return result;
}

/** Checks one batch in one language (generation, type check or compile, run), or undefined. */
async function checkBatch(
  language: Language,
  strings: string[],
  typeErrors?: (string | undefined)[],
): Promise<string | undefined> {
  const program = textFieldsProgram(strings);
  const pair = generatePair(program);
  const { generated } = pair;
  const source = language === 'MicroPython' ? generated.python : generated.typescript;
  const typeError =
    language === 'TypeScript' && source !== undefined
      ? (typeErrors ?? typeCheckAll([source]))[0]
      : undefined;
  return (
    staticProblem(language, program, pair, typeError) ?? runAndCompare(language, source!, program)
  );
}

/** The strings of a failing batch that fail alone, or the whole batch if none does. */
async function culprits(language: Language, strings: string[]): Promise<[string[], string][]> {
  const found: [string[], string][] = [];
  if (language === 'TypeScript') {
    const sources = strings.map((s) => generateBoth(textFieldsProgram([s])).typescript);
    const errors = typeCheckAll(sources);
    for (const [n, s] of strings.entries()) {
      const problem = await checkBatch(language, [s], [errors[n]]);
      if (problem) found.push([[s], problem]);
    }
  } else {
    for (const s of strings) {
      const problem = await checkBatch(language, [s]);
      if (problem) found.push([[s], problem]);
    }
  }
  return found;
}

/** Cuts a failing string down to a minimal one that still fails in `language`. */
async function shrinkFailure(language: Language, text: string): Promise<string> {
  return shrink(text, async (candidates) => {
    if (language === 'TypeScript') {
      const sources = candidates.map((c) => generateBoth(textFieldsProgram([c])).typescript);
      const errors = typeCheckAll(sources);
      for (const [n, c] of candidates.entries()) {
        if (await checkBatch(language, [c], [errors[n]])) return n;
      }
      return -1;
    }
    for (const [n, c] of candidates.entries()) if (await checkBatch(language, [c])) return n;
    return -1;
  });
}

/** Programs per compiler program. */
const CHUNK = 20;

/** What a fuzz run of text fields did. */
export interface TextFuzzReport {
  strings: number;
  batches: number;
  failures: TextFailure[];
}

/**
 * Puts every string in every text field, in both languages, and reports the failures; the first
 * failure of each language is shrunk (a minimal failing string). `progress` hears each batch.
 */
export async function fuzzTextFields(
  strings: string[],
  progress: (done: number, total: number) => void = () => {},
): Promise<TextFuzzReport> {
  const groups = batches(strings);
  const failures: TextFailure[] = [];
  // Programs are generated and type-checked a chunk at a time, which bounds the memory a long
  // run needs; a chunk is one compiler program.
  for (let start = 0; start < groups.length; start += CHUNK) {
    const chunk = groups.slice(start, start + CHUNK);
    const programs = chunk.map(textFieldsProgram);
    const pairs = programs.map(generatePair);
    const typeErrors = typeCheckAll(pairs.map((p) => p.generated.typescript));
    for (const [n, group] of chunk.entries()) {
      for (const language of ['MicroPython', 'TypeScript'] as const) {
        const g = pairs[n].generated;
        const source = language === 'MicroPython' ? g.python : g.typescript;
        let problem = staticProblem(language, programs[n], pairs[n], typeErrors[n]);
        problem ??= await runAndCompare(language, source!, programs[n]);
        if (!problem) continue;
        // Past a few failures (a bug that hits every string), batches are not taken apart.
        const many = failures.filter((f) => f.language === language).length >= 10;
        const alone = many ? [] : await culprits(language, group);
        if (!alone.length) failures.push({ language, strings: group, problem });
        for (const [failing, why] of alone) {
          failures.push({ language, strings: failing, problem: why });
        }
      }
      progress(start + n + 1, groups.length);
    }
  }
  for (const language of ['MicroPython', 'TypeScript'] as const) {
    const first = failures.find((f) => f.language === language && f.strings.length === 1);
    if (!first) continue;
    first.shrunk = await shrinkFailure(language, first.strings[0]);
    first.shrunkProblem = await checkBatch(language, [first.shrunk]);
  }
  return { strings: strings.length, batches: groups.length, failures };
}

/** A failure as lines for a report: the language, the (shrunk) string and what went wrong. */
export function describeTextFailure(failure: TextFailure): string {
  const lines = [
    `${failure.language}: ${failure.strings.length === 1 ? `string ${shown(failure.strings[0])}` : `a batch of ${failure.strings.length} strings`}`,
    `  ${failure.problem.split('\n').slice(0, 8).join('\n  ')}`,
  ];
  if (failure.shrunk !== undefined) {
    lines.push(
      `  shrunk to ${shown(failure.shrunk, Infinity)}: ${failure.shrunkProblem?.split('\n')[0]}`,
    );
  }
  return lines.join('\n');
}
