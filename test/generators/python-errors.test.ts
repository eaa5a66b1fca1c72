// The board's Python semantics in the generated TypeScript, block by block: where MicroPython
// raises, the TypeScript raises the same exception (its `name` is Python's class, its message
// MicroPython's) from the same block; and text is counted in code points, an emoji being one
// letter, as MicroPython's `str` counts. Each case runs as MicroPython on the real interpreter
// (the stand-in board) and as TypeScript on the recording runtime: the table says what the board
// does, the interpreter confirms the table, and the TypeScript must do the same.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import {
  generateLines,
  get,
  num,
  print,
  stack,
  txt,
  type BlockJson,
} from '../support/block-json.ts';
import { runOnBoard } from '../support/micropython-board.ts';
import { runTypeScript } from '../support/recording-runtime.ts';
import { programLinesOf } from '../../src/run/program-line.ts';

registerBlocks();

type Input = { block: BlockJson };

/** A value block of `type` with these fields and inputs. */
const block = (type: string, fields: object = {}, inputs: Record<string, Input> = {}): Input => ({
  block: { type, fields, inputs },
});
const arithmetic = (op: string, a: Input, b: Input) =>
  block('math_arithmetic', { OP: op }, { A: a, B: b });
const single = (op: string, n: Input) => block('math_single', { OP: op }, { NUM: n });
const trig = (op: string, n: Input) => block('math_trig', { OP: op }, { NUM: n });
const round = (op: string, n: Input) => block('math_round', { OP: op }, { NUM: n });
/** Infinity and NaN as a program makes them (a number block cannot hold them). */
const INFINITY = arithmetic('MULTIPLY', num(1e308), num(10));
const NAN = arithmetic('MINUS', INFINITY, INFINITY);
/** `letter #at` (or first/last/random when `at` is absent) of `text`. */
const letter = (where: string, text: Input, at?: Input): Input => ({
  block: {
    type: 'text_charAt',
    extraState: `<mutation at="${at !== undefined}"></mutation>`,
    fields: { WHERE: where },
    inputs: { VALUE: text, ...(at ? { AT: at } : {}) },
  },
});
/** `substring` of `text` from `where1` `at1` to `where2` `at2`. */
const substring = (
  text: Input,
  where1: string,
  where2: string,
  at1?: Input,
  at2?: Input,
): Input => ({
  block: {
    type: 'text_getSubstring',
    extraState: `<mutation at1="${at1 !== undefined}" at2="${at2 !== undefined}"></mutation>`,
    fields: { WHERE1: where1, WHERE2: where2 },
    inputs: { STRING: text, ...(at1 ? { AT1: at1 } : {}), ...(at2 ? { AT2: at2 } : {}) },
  },
});
const find = (end: string, text: Input, needle: Input) =>
  block('text_indexOf', { END: end }, { VALUE: text, FIND: needle });
/** `value` joined into text, as the board's `str()` writes it (`inf`, not `Infinity`). */
const asText = (value: Input): Input => ({
  block: { type: 'text_join', extraState: { itemCount: 1 }, inputs: { ADD0: value } },
});
/** `set name to value`: a variable makes a value the generators cannot see while generating. */
const set = (name: string, value: Input): BlockJson => ({
  type: 'variables_set',
  fields: { VAR: { id: name } },
  inputs: { VALUE: value },
});

/** The id of the statement block a case's error must come from. */
const FAILING = 'failing';

interface ErrorCase {
  name: string;
  /** Statements before the failing one (setting the variables it reads). */
  before?: BlockJson[];
  /** The statement that must fail (its id is set to FAILING). */
  failing: BlockJson;
  variables?: string[];
  /** Python's exception class and MicroPython's message. */
  error: [string, string];
}

const errors: ErrorCase[] = [
  {
    name: 'a ÷ 0',
    before: [set('n', num(0))],
    failing: print(arithmetic('DIVIDE', num(1), get('n'))),
    variables: ['n'],
    error: ['ZeroDivisionError', 'divide by zero'],
  },
  {
    name: 'a ÷ 0 typed in the block',
    failing: print(arithmetic('DIVIDE', num(1), num(0))),
    error: ['ZeroDivisionError', 'divide by zero'],
  },
  {
    name: '0 ^ -1',
    before: [set('n', num(-1))],
    failing: print(arithmetic('POWER', num(0), get('n'))),
    variables: ['n'],
    error: ['ZeroDivisionError', 'divide by zero'],
  },
  {
    name: 'remainder of 7 ÷ 0',
    failing: print(block('math_modulo', {}, { DIVIDEND: num(7), DIVISOR: num(0) })),
    error: ['ZeroDivisionError', 'divide by zero'],
  },
  {
    name: '6 is divisible by n (n = 0)',
    before: [set('n', num(0))],
    variables: ['n'],
    failing: print({
      block: {
        type: 'math_number_property',
        extraState: '<mutation divisor_input="true"></mutation>',
        fields: { PROPERTY: 'DIVISIBLE_BY' },
        inputs: { NUMBER_TO_CHECK: num(6), DIVISOR: get('n') },
      },
    }),
    error: ['ZeroDivisionError', 'divide by zero'],
  },
  ...(
    [
      ['√-1', single('ROOT', num(-1))],
      ['ln 0', single('LN', num(0))],
      ['log10 -1', single('LOG10', num(-1))],
      ['e^1000', single('EXP', num(1000))],
      ['10^1000', single('POW10', num(1000))],
      ['asin 2', trig('ASIN', num(2))],
      ['acos -2', trig('ACOS', num(-2))],
      ['sin ∞', trig('SIN', INFINITY)],
      ['tan ∞', trig('TAN', INFINITY)],
    ] as const
  ).map(([name, value]): ErrorCase => ({
    name,
    failing: print(value),
    error: ['ValueError', 'math domain error'],
  })),
  {
    name: 'round NaN',
    failing: print(round('ROUND', NAN)),
    error: ['ValueError', "can't convert NaN to int"],
  },
  {
    name: 'round up ∞',
    failing: print(round('ROUNDUP', INFINITY)),
    error: ['OverflowError', "can't convert inf to int"],
  },
  {
    name: 'round down -∞',
    failing: print(round('ROUNDDOWN', arithmetic('MINUS', num(0), INFINITY))),
    error: ['OverflowError', "can't convert inf to int"],
  },
  {
    name: 'colour level NaN',
    failing: { type: 'rgb_fill', inputs: { RED: NAN, GREEN: num(0), BLUE: num(0) } },
    error: ['ValueError', "can't convert NaN to int"],
  },
  {
    name: 'colour level ∞ on one LED',
    failing: { type: 'rgb_set', fields: { LED: '1' }, inputs: { BLUE: INFINITY } },
    error: ['OverflowError', "can't convert inf to int"],
  },
  {
    name: 'wait NaN ms',
    failing: { type: 'board_wait', inputs: { MS: NAN } },
    error: ['ValueError', "can't convert NaN to int"],
  },
  {
    name: 'repeat ∞ times',
    failing: { type: 'controls_repeat_ext', inputs: { TIMES: INFINITY } },
    error: ['OverflowError', "can't convert inf to int"],
  },
  {
    name: 'letter #4 of "abc"',
    failing: print(letter('FROM_START', txt('abc'), num(4))),
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'letter #n of "a😀" (n = 3: the emoji is one letter)',
    before: [set('n', num(3))],
    failing: print(letter('FROM_START', txt('a😀'), get('n'))),
    variables: ['n'],
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'letter #3 from the end of "😀b"',
    failing: print(letter('FROM_END', txt('😀b'), num(3))),
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'first letter of ""',
    failing: print(letter('FIRST', txt(''))),
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'last letter of ""',
    failing: print(letter('LAST', txt(''))),
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'random letter of ""',
    failing: print(letter('RANDOM', txt(''))),
    error: ['IndexError', 'string index out of range'],
  },
  {
    name: 'letter #NaN',
    failing: print(letter('FROM_START', txt('abc'), NAN)),
    error: ['ValueError', "can't convert NaN to int"],
  },
  {
    name: 'substring from #∞',
    failing: print(substring(txt('abc'), 'FROM_START', 'LAST', INFINITY)),
    error: ['OverflowError', "can't convert inf to int"],
  },
  {
    name: 'random integer from 5 to 1',
    failing: print(block('math_random_int', {}, { FROM: num(5), TO: num(1) })),
    error: ['ValueError', ''],
  },
  {
    name: 'random integer from 1.5 to 3',
    failing: print(block('math_random_int', {}, { FROM: num(1.5), TO: num(3) })),
    error: ['TypeError', "can't convert float to int"],
  },
];

/** Generates both programs for `blocks`, the case's failing statement having id FAILING. */
function generate(blocks: BlockJson[], variables: string[]) {
  return {
    python: generateLines(generateMicroPython, blocks, variables),
    typescript: generateLines(generateTypeScript, blocks, variables),
  };
}

describe('the TypeScript raises where the board raises, at the same block', () => {
  for (const c of errors) {
    it(`${c.name}: ${c.error[0]}`, async () => {
      const program = stack(...(c.before ?? []), { ...c.failing, id: FAILING });
      const { python, typescript } = generate([program], c.variables ?? []);
      const board = await runOnBoard(python.code, [], { reuseInterpreter: true });
      const browser = await runTypeScript(typescript.code, []);
      const [name, message] = c.error;

      // The table is what the board does: its last traceback line, from the failing block's line.
      const traceback = (board.error ?? '').split('\n').filter(Boolean);
      assert.equal(traceback.at(-1), `${name}: ${message}`, board.error ?? 'the board ran on');
      const boardLine = Number(/File "main\.py", line (\d+)/.exec(board.error ?? '')?.[1]);
      assert.equal(python.lineBlocks[boardLine - 1], FAILING, `board line ${boardLine}`);

      // The browser: the same class as the error's name, the same message, and the same block
      // as the page finds it (the first line in the stack that a block made; helpers made none).
      const stackText = browser.error ?? '';
      assert.equal(stackText.split('\n')[0], message ? `${name}: ${message}` : name, stackText);
      const blocks = programLinesOf({ stack: stackText }).map((n) => typescript.lineBlocks[n - 1]);
      assert.equal(blocks.find(Boolean), FAILING, `${stackText}\n\n${typescript.code}`);
    });
  }
});

interface ValueCase {
  name: string;
  value: Input;
  /** What the board prints for it. */
  printed: string;
}

/** Values where the board counts letters as code points, or goes on where JavaScript might not. */
const values: ValueCase[] = [
  {
    name: 'length of "a😀b𝄞"',
    value: block('text_length', {}, { VALUE: txt('a😀b𝄞') }),
    printed: '4',
  },
  { name: 'letter #2 of "a😀b"', value: letter('FROM_START', txt('a😀b'), num(2)), printed: '😀' },
  { name: 'letter #3 of "a😀b"', value: letter('FROM_START', txt('a😀b'), num(3)), printed: 'b' },
  {
    name: 'letter #1 from the end of "a𝄞"',
    value: letter('FROM_END', txt('a𝄞'), num(1)),
    printed: '𝄞',
  },
  { name: 'first letter of "😀x"', value: letter('FIRST', txt('😀x')), printed: '😀' },
  { name: 'last letter of "x😀"', value: letter('LAST', txt('x😀')), printed: '😀' },
  { name: 'random letter of "😀"', value: letter('RANDOM', txt('😀')), printed: '😀' },
  {
    name: 'letter #2.9 of "a😀b" (made whole: #2)',
    value: letter('FROM_START', txt('a😀b'), arithmetic('ADD', num(2), num(0.9))),
    printed: '😀',
  },
  {
    name: 'letters #2 to #3 of "a😀b𝄞c"',
    value: substring(txt('a😀b𝄞c'), 'FROM_START', 'FROM_START', num(2), num(3)),
    printed: '😀b',
  },
  {
    name: 'letters #2 from the end to the last of "a😀b𝄞"',
    value: substring(txt('a😀b𝄞'), 'FROM_END', 'LAST', num(2)),
    printed: 'b𝄞',
  },
  {
    name: 'letters from the first to #2 from the end of "a😀b𝄞"',
    value: substring(txt('a😀b𝄞'), 'FIRST', 'FROM_END', undefined, num(2)),
    printed: 'a😀b',
  },
  {
    name: 'letters from #n to #1 from the end of "😀😀😀" (n = 2, both computed)',
    value: substring(
      txt('😀😀😀'),
      'FROM_START',
      'FROM_END',
      arithmetic('ADD', num(1), num(1)),
      arithmetic('MINUS', num(2), num(1)),
    ),
    printed: '😀😀',
  },
  {
    name: 'letters #5 to #9 of "a😀" (past the end: empty)',
    value: substring(txt('a😀'), 'FROM_START', 'FROM_START', num(5), num(9)),
    printed: '',
  },
  { name: 'find "b" in "😀😀b"', value: find('FIRST', txt('😀😀b'), txt('b')), printed: '3' },
  { name: 'find last "😀" in "😀a😀"', value: find('LAST', txt('😀a😀'), txt('😀')), printed: '3' },
  { name: 'find last "" in "a😀"', value: find('LAST', txt('a😀'), txt('')), printed: '3' },
  { name: 'find "x" in "😀" (not there)', value: find('FIRST', txt('😀'), txt('x')), printed: '0' },
  {
    name: 'count "" in "😀😀"',
    value: block('text_count', {}, { TEXT: txt('😀😀'), SUB: txt('') }),
    printed: '3',
  },
  {
    name: 'count "😀" in "a😀😀"',
    value: block('text_count', {}, { TEXT: txt('a😀😀'), SUB: txt('😀') }),
    printed: '2',
  },
  {
    name: 'replace "" with "-" in "😀"',
    value: block('text_replace', {}, { TEXT: txt('😀'), FROM: txt(''), TO: txt('-') }),
    printed: '-😀-',
  },
  {
    name: 'reverse "a😀b"',
    value: block('text_reverse', {}, { TEXT: txt('a😀b') }),
    printed: 'b😀a',
  },
  {
    name: 'trim keeps an ideographic space',
    value: block('text_trim', { MODE: 'BOTH' }, { TEXT: txt('\u3000x\u3000 \t') }),
    printed: '\u3000x\u3000',
  },
  {
    name: 'trim left keeps a no-break space',
    value: block('text_trim', { MODE: 'LEFT' }, { TEXT: txt(' \n\u00a0x ') }),
    printed: '\u00a0x ',
  },
  {
    name: 'UPPER CASE changes ASCII letters only',
    value: block('text_changeCase', { CASE: 'UPPERCASE' }, { TEXT: txt('é a ß') }),
    printed: 'é A ß',
  },
  {
    name: 'lower case changes ASCII letters only',
    value: block('text_changeCase', { CASE: 'LOWERCASE' }, { TEXT: txt('ÀB') }),
    printed: 'Àb',
  },
  {
    name: 'Title Case starts words after ASCII spaces only',
    value: block('text_changeCase', { CASE: 'TITLECASE' }, { TEXT: txt('élan vITAL\u3000x') }),
    printed: 'élan Vital\u3000x',
  },
  {
    name: '0 ^ -∞ is ∞',
    value: asText(arithmetic('POWER', num(0), arithmetic('MINUS', num(0), INFINITY))),
    printed: 'inf',
  },
  { name: '1 ^ NaN is 1', value: arithmetic('POWER', num(1), NAN), printed: '1' },
  { name: '√∞ is ∞', value: asText(single('ROOT', INFINITY)), printed: 'inf' },
  { name: 'e^-1000 is 0', value: single('EXP', num(-1000)), printed: '0' },
  { name: 'atan ∞ is 90', value: trig('ATAN', INFINITY), printed: '90' },
  { name: 'round -0.4 is 0', value: round('ROUND', num(-0.4)), printed: '0' },
  { name: 'log10 1000 is 3', value: single('LOG10', num(1000)), printed: '3' },
];

describe('the TypeScript counts letters and computes as the board does', () => {
  for (const c of values) {
    it(`${c.name}: ${JSON.stringify(c.printed)}`, async () => {
      const { python, typescript } = generate([print(c.value)], []);
      const board = await runOnBoard(python.code, [], { reuseInterpreter: true });
      const browser = await runTypeScript(typescript.code, []);
      assert.equal(board.error, undefined);
      assert.equal(browser.error, undefined);
      // The board writes whole floats as `3.0` and `90.0`; the table holds the numbers' value.
      assert.equal(board.stdout.replace(/^(-?\d+)\.0\n$/, '$1\n'), `${c.printed}\n`, 'the board');
      assert.equal(browser.stdout, `${c.printed}\n`, typescript.code);
    });
  }
});
