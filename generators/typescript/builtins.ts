/**
 * Blockly's built-in blocks where its JavaScript must change for our runtime, or to do what the
 * board's MicroPython does: raise where it raises (Python's exception class as the error's
 * `name`, MicroPython's message, from the block's own line: see `pythonError`), make numbers
 * whole as its `int()` does, and count text in code points, an emoji being one letter.
 */
import * as Blockly from 'blockly';
import { javascriptGenerator } from 'blockly/javascript';
import { Order, type TypeScriptGenerator } from './generator.ts';

/** A value block's code and how tightly it binds. */
type Generated = [string, Order];

/** Blockly's own JavaScript for a built-in block type. */
function stock(type: string, block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const generate = javascriptGenerator.forBlock[type] as unknown as (
    block: Blockly.Block,
    generator: TypeScriptGenerator,
  ) => Generated;
  return generate(block, generator);
}

/** The number in input `name` when it holds a number block (the child typed it). */
function literal(block: Blockly.Block, name: string): number | undefined {
  const target = block.getInputTargetBlock(name);
  return target?.type === 'math_number' ? Number(target.getFieldValue('NUM')) : undefined;
}

/**
 * The helper that makes the board's exceptions: an Error whose `name` is Python's class
 * (`ZeroDivisionError`, `ValueError`, …) and whose message is MicroPython's, so the page shows
 * what the board would print. Helpers throw it; the page shows the error at the block that
 * called the helper (the first line in the stack that a block made).
 */
function pythonError(generator: TypeScriptGenerator): string {
  return generator.provideFunction_('pythonError', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(name: string, message: string): Error {`,
    '  const error = new Error(message);',
    '  error.name = name;',
    '  return error;',
    '}',
  ]);
}

/**
 * `code` made a whole number as the board's `int()` does: cut towards zero, raising for NaN
 * (ValueError) and infinity (OverflowError) where JavaScript's `Math.trunc` went on with them.
 * Used wherever the board's program calls `int()`: colour levels, waits, repeat counts,
 * letter positions, and `round` (which gives an int on the board).
 */
export function pythonInt(generator: TypeScriptGenerator, code: string): string {
  const error = pythonError(generator);
  const helper = generator.provideFunction_('pythonInt', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(x: number): number {`,
    `  if (isNaN(x)) throw ${error}("ValueError", "can't convert NaN to int");`,
    `  if (!isFinite(x)) throw ${error}("OverflowError", "can't convert inf to int");`,
    // `+ 0`: Python's ints have no -0 (atan2(0, -0) would be 180°).
    '  return Math.trunc(x) + 0;',
    '}',
  ]);
  return `${helper}(${code})`;
}

/** `print` goes to the console panel (Blockly's JavaScript would open an alert). */
export function text_print(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const value = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return `${generator.use('print')}(${value});\n`;
}

/**
 * `replace` as Python's `str.replace` does it: Blockly's helper passes the replacement to
 * `String.replace`, where `$&`, `$1`, `$'`… are patterns, so typed text did not arrive as typed.
 * An empty needle goes between code points, as in Python.
 */
export function text_replace(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  const helper = generator.provideFunction_('textReplace', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(haystack, needle, replacement) {`,
    '  if (needle.length === 0) {',
    "    return ['', ...Array.from(haystack), ''].join(replacement);",
    '  }',
    '  return haystack.split(needle).join(replacement);',
    '}',
  ]);
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  const from = generator.valueToCode(block, 'FROM', Order.NONE) || '""';
  const to = generator.valueToCode(block, 'TO', Order.NONE) || '""';
  return [`${helper}(${text}, ${from}, ${to})`, Order.FUNCTION_CALL];
}

/** `reverse` by code points, as on the board: Blockly's `split('')` tore emoji in half. */
export function text_reverse(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return [`Array.from(String(${text})).reverse().join("")`, Order.FUNCTION_CALL];
}

/**
 * `code`'s value as text the way the board's `str()` writes it: `True`/`False` (JavaScript's
 * `String()` gave `true`/`false`, so the virtual board showed other text than the real one),
 * `None`, `nan`, `inf`, `-inf`; text as it is, other numbers as JavaScript writes them.
 */
export function pythonText(generator: TypeScriptGenerator, code: string): string {
  const helper = generator.provideFunction_('pythonText', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(value: unknown): string {`,
    "  if (typeof value === 'string') return value;",
    "  if (value === true) return 'True';",
    "  if (value === false) return 'False';",
    "  if (value === null || value === undefined) return 'None';",
    "  if (typeof value === 'number' && !Number.isFinite(value)) {",
    "    return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';",
    '  }',
    '  return String(value);',
    '}',
  ]);
  return `${helper}(${code})`;
}

/**
 * Input `name`'s value as text (see `pythonText`): as it is when its block always gives text
 * (its output is checked as String only), bound as tightly as `order` asks, through
 * `pythonText` otherwise.
 */
export function textInput(
  block: Blockly.Block,
  name: string,
  generator: TypeScriptGenerator,
  order: Order = Order.NONE,
): string {
  const target = block.getInputTargetBlock(name);
  if (!target) return '""';
  const check = target.outputConnection?.getCheck();
  const text = check?.length === 1 && check[0] === 'String';
  const code = generator.valueToCode(block, name, text ? order : Order.NONE) || '""';
  return text ? code : pythonText(generator, code);
}

/** `join` with each item as `str()` writes it on the board (see `pythonText`). */
export function text_join(block: Blockly.Block, generator: TypeScriptGenerator): [string, Order] {
  const items = (block as Blockly.Block & { itemCount_: number }).itemCount_;
  const parts: string[] = [];
  // One item stands alone (as a call would); more are joined with `+`.
  const order = items === 1 ? Order.MEMBER : Order.ADDITION;
  for (let i = 0; i < items; i++) parts.push(textInput(block, `ADD${i}`, generator, order));
  if (!parts.length) return ['""', Order.ATOMIC];
  return [parts.join(' + '), parts.length === 1 ? Order.FUNCTION_CALL : Order.ADDITION];
}

/** `append text`, the appended value as `str()` writes it on the board (see `pythonText`). */
export function text_append(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const name = generator.getVariableName(block.getFieldValue('VAR'));
  const value = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return `${name} = ${pythonText(generator, name)} + ${pythonText(generator, value)};\n`;
}

/**
 * `repeat N times` counts whole times, as the board's `range(int(N))` does: Blockly's
 * `count < N` ran 2.5 times as 3, and NaN or infinity times as none or forever, where the board
 * raises (see `pythonInt`).
 */
export function controls_repeat_ext(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const times = generator.valueToCode(block, 'TIMES', Order.NONE) || '0';
  const count = generator.nameDB_!.getDistinctName('count', Blockly.Names.NameType.VARIABLE);
  const body = generator.addLoopTrap(generator.statementToCode(block, 'DO'), block);
  let code = '';
  let end = times;
  if (!/^\d+$/.test(times)) {
    end = generator.nameDB_!.getDistinctName('repeat_end', Blockly.Names.NameType.VARIABLE);
    code += `var ${end} = ${pythonInt(generator, times)};\n`;
  }
  return `${code}for (var ${count} = 0; ${count} < ${end}; ${count}++) {\n${body}}\n`;
}

/**
 * `÷` and `^` where the board raises: dividing by zero and zero to a negative power are
 * ZeroDivisionError there, Infinity or NaN in JavaScript. A division by a number typed in the
 * block (not 0) or a power typed as 0 or more cannot raise, and stays plain JavaScript.
 * Other operations are Blockly's own.
 */
export function math_arithmetic(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const op = block.getFieldValue('OP');
  const divisor = literal(block, 'B');
  if (op === 'DIVIDE' && (divisor === undefined || divisor === 0)) {
    const helper = generator.provideFunction_('pythonDivide', [
      `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(a: number, b: number): number {`,
      `  if (b === 0) throw ${pythonError(generator)}("ZeroDivisionError", "divide by zero");`,
      '  return a / b;',
      '}',
    ]);
    const a = generator.valueToCode(block, 'A', Order.NONE) || '0';
    const b = generator.valueToCode(block, 'B', Order.NONE) || '0';
    return [`${helper}(${a}, ${b})`, Order.FUNCTION_CALL];
  }
  if (op === 'POWER' && !(divisor !== undefined && divisor >= 0)) {
    const helper = generator.provideFunction_('pythonPower', [
      `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(base: number, exponent: number): number {`,
      '  if (base === 0 && exponent < 0 && exponent !== -Infinity) {',
      `    throw ${pythonError(generator)}("ZeroDivisionError", "divide by zero");`,
      '  }',
      // C's pow, which the board uses, gives 1 here where Math.pow gives NaN.
      '  if (base === 1 || (base === -1 && Math.abs(exponent) === Infinity)) return 1;',
      '  return Math.pow(base, exponent);',
      '}',
    ]);
    const a = generator.valueToCode(block, 'A', Order.NONE) || '0';
    const b = generator.valueToCode(block, 'B', Order.NONE) || '0';
    return [`${helper}(${a}, ${b})`, Order.FUNCTION_CALL];
  }
  return stock('math_arithmetic', block, generator);
}

/** The helper for `a % b` as the board's Python gives it (see `math_modulo`). */
function pythonModulo(generator: TypeScriptGenerator): string {
  return generator.provideFunction_('pythonModulo', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(a: number, b: number): number {`,
    `  if (b === 0) throw ${pythonError(generator)}("ZeroDivisionError", "divide by zero");`,
    '  const r = a % b;',
    // `+ 0` makes -0 (from -1 % 1) the board's 0: atan2(0, -0) would be 180°.
    '  return r !== 0 && r < 0 !== b < 0 ? r + b : r + 0;',
    '}',
  ]);
}

/**
 * `remainder of a ÷ b` as the board's Python `%` gives it, with the sign of `b`: JavaScript's `%`
 * keeps the sign of `a` (10 % -100 is -90 on the board, 10 in JavaScript), and gives NaN for a
 * remainder of a division by zero, where the board raises ZeroDivisionError.
 */
export function math_modulo(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const dividend = generator.valueToCode(block, 'DIVIDEND', Order.NONE) || '0';
  const divisor = generator.valueToCode(block, 'DIVISOR', Order.NONE) || '0';
  return [`${pythonModulo(generator)}(${dividend}, ${divisor})`, Order.FUNCTION_CALL];
}

/**
 * The board's index for a letter position in input `name`, as Blockly's Python computes it
 * (`getAdjustedInt`): a number typed in the block is adjusted by `delta` (and negated) here,
 * anything else is `int(position + delta)` when the program runs (see `pythonInt`).
 */
function pythonPosition(
  block: Blockly.Block,
  name: string,
  generator: TypeScriptGenerator,
  delta: number,
  negate = false,
): string {
  const order = delta > 0 ? Order.ADDITION : delta < 0 ? Order.SUBTRACTION : Order.NONE;
  const at = generator.valueToCode(block, name, order) || '1';
  if (Blockly.utils.string.isNumber(at)) {
    const index = parseInt(at, 10) + delta;
    return String(negate ? -index : index);
  }
  const sum = delta > 0 ? `${at} + ${delta}` : delta < 0 ? `${at} - ${-delta}` : at;
  return `${negate ? '-' : ''}${pythonInt(generator, sum)}`;
}

/**
 * `in text get substring` with the board's Python slicing: positions count letters (code points,
 * an emoji is one letter as on the board, where JavaScript counts two UTF-16 units), positions
 * past either end stay within the text (Blockly's JavaScript let a position from the end that
 * lies before the start wrap round), and positions are made whole as the board does.
 */
export function text_getSubstring(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const helper = generator.provideFunction_('pythonSlice', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string, start: number, end: number): string {`,
    '  const letters = Array.from(text);',
    '  const clamp = (i: number) => Math.min(letters.length, Math.max(0, i < 0 ? i + letters.length : i));',
    '  return letters.slice(clamp(start), clamp(end)).join("");',
    '}',
  ]);
  const text = generator.valueToCode(block, 'STRING', Order.NONE) || '""';
  // The bounds Blockly's Python writes in `text[start : end]`; an empty bound is an open end.
  let start = '0';
  if (block.getFieldValue('WHERE1') === 'FROM_START')
    start = pythonPosition(block, 'AT1', generator, -1);
  if (block.getFieldValue('WHERE1') === 'FROM_END')
    start = pythonPosition(block, 'AT1', generator, 0, true);
  let end = 'Infinity';
  if (block.getFieldValue('WHERE2') === 'FROM_START')
    end = pythonPosition(block, 'AT2', generator, 0);
  if (block.getFieldValue('WHERE2') === 'FROM_END') {
    // `-int(n - 1) or sys.maxsize`: up to the last letter is up to the end.
    const bound = pythonPosition(block, 'AT2', generator, -1, true);
    end =
      bound === '0'
        ? 'Infinity'
        : Blockly.utils.string.isNumber(bound)
          ? bound
          : `${bound} || Infinity`;
  }
  return [`${helper}(${text}, ${start}, ${end})`, Order.FUNCTION_CALL];
}

/**
 * `in text get letter` as the board's `text[i]` does it: letters are code points (an emoji is one
 * letter, not two UTF-16 units), and a position past either end, or any letter of an empty text,
 * raises IndexError where Blockly's JavaScript gave "".
 */
export function text_charAt(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const where = (block.getFieldValue('WHERE') as string) || 'FROM_START';
  const text = generator.valueToCode(block, 'VALUE', Order.NONE) || '""';
  const error = pythonError(generator);
  if (where === 'RANDOM') {
    // `text_random_letter`: text[int(random.random() * len(text))].
    const helper = generator.provideFunction_('pythonRandomLetter', [
      `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string): string {`,
      '  const letters = Array.from(text);',
      `  if (!letters.length) throw ${error}("IndexError", "string index out of range");`,
      '  return letters[Math.floor(Math.random() * letters.length)];',
      '}',
    ]);
    return [`${helper}(${text})`, Order.FUNCTION_CALL];
  }
  const helper = generator.provideFunction_('pythonLetter', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string, index: number): string {`,
    '  const letters = Array.from(text);',
    '  const letter = letters[index < 0 ? letters.length + index : index];',
    `  if (letter === undefined) throw ${error}("IndexError", "string index out of range");`,
    '  return letter;',
    '}',
  ]);
  const index =
    where === 'FIRST'
      ? '0'
      : where === 'LAST'
        ? '-1'
        : where === 'FROM_END'
          ? pythonPosition(block, 'AT', generator, 0, true)
          : pythonPosition(block, 'AT', generator, -1);
  return [`${helper}(${text}, ${index})`, Order.FUNCTION_CALL];
}

/** `length of` in letters as the board's `len()` counts them: an emoji is one, not two. */
export function text_length(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const text = generator.valueToCode(block, 'VALUE', Order.NONE) || '""';
  return [`Array.from(${text}).length`, Order.MEMBER];
}

/**
 * `find first/last occurrence` as the board's `find`/`rfind` + 1: the position counts letters
 * (code points) before the match, where JavaScript's `indexOf` counted UTF-16 units.
 */
export function text_indexOf(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const last = block.getFieldValue('END') !== 'FIRST';
  const helper = generator.provideFunction_(last ? 'pythonRfind' : 'pythonFind', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string, needle: string): number {`,
    `  const i = text.${last ? 'lastIndexOf' : 'indexOf'}(needle);`,
    '  return i < 0 ? -1 : Array.from(text.slice(0, i)).length;',
    '}',
  ]);
  const text = generator.valueToCode(block, 'VALUE', Order.NONE) || '""';
  const needle = generator.valueToCode(block, 'FIND', Order.NONE) || '""';
  return [`${helper}(${text}, ${needle}) + 1`, Order.ADDITION];
}

/** `count` as the board's `str.count`: an empty needle is found between letters (code points). */
export function text_count(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const helper = generator.provideFunction_('pythonCount', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string, needle: string): number {`,
    '  if (needle.length === 0) return Array.from(text).length + 1;',
    '  return text.split(needle).length - 1;',
    '}',
  ]);
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  const needle = generator.valueToCode(block, 'SUB', Order.NONE) || '""';
  return [`${helper}(${text}, ${needle})`, Order.FUNCTION_CALL];
}

/**
 * `trim spaces` as the board's `strip`, `lstrip`, `rstrip`: its whitespace is ASCII only (space,
 * tab, line breaks), so a no-break or ideographic space stays, where JavaScript's `trim` took it.
 */
export function text_trim(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const pattern = {
    BOTH: '/^[ \\t\\n\\r\\v\\f]+|[ \\t\\n\\r\\v\\f]+$/g',
    LEFT: '/^[ \\t\\n\\r\\v\\f]+/',
    RIGHT: '/[ \\t\\n\\r\\v\\f]+$/',
  }[block.getFieldValue('MODE') as 'BOTH' | 'LEFT' | 'RIGHT'];
  const text = generator.valueToCode(block, 'TEXT', Order.MEMBER) || '""';
  return [`${text}.replace(${pattern}, "")`, Order.FUNCTION_CALL];
}

/**
 * `to UPPER CASE`, `to lower case`, `to Title Case` as on the board, whose `upper()` and
 * `lower()` change ASCII letters only ("é" stays "é"; JavaScript made it "É"), and whose title
 * case starts a word after ASCII whitespace only (the board's `text_title_case`).
 */
export function text_changeCase(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const upper = generator.provideFunction_('pythonUpper', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string): string {`,
    '  return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());',
    '}',
  ]);
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  const mode = block.getFieldValue('CASE');
  if (mode === 'UPPERCASE') return [`${upper}(${text})`, Order.FUNCTION_CALL];
  const lower = generator.provideFunction_('pythonLower', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string): string {`,
    '  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());',
    '}',
  ]);
  if (mode === 'LOWERCASE') return [`${lower}(${text})`, Order.FUNCTION_CALL];
  const title = generator.provideFunction_('pythonTitle', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: unknown): string {`,
    '  let out = "";',
    '  let start = true;',
    '  for (const letter of String(text)) {',
    `    out += start ? ${upper}(letter) : ${lower}(letter);`,
    '    start = /^[ \\t\\n\\r\\v\\f]$/.test(letter);',
    '  }',
    '  return out;',
    '}',
  ]);
  return [`${title}(${text})`, Order.FUNCTION_CALL];
}

/**
 * `is odd` as on the board, where -1 % 2 is 1: Blockly's JavaScript said -1 was not odd.
 * `is divisible by` a divisor worked out as the program runs raises ZeroDivisionError for 0, as
 * the board's `%` does; a divisor typed in the block is Blockly's own (typed as 0, Blockly's
 * Python writes `False` and JavaScript's `6 % 0 === 0` is false).
 */
export function math_number_property(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): Generated {
  const property = block.getFieldValue('PROPERTY');
  const n = (order: Order) => generator.valueToCode(block, 'NUMBER_TO_CHECK', order) || '0';
  // `n` binds as tightly as `%` asks: `7 + light % 2` was (7 + light) % 2 on the board.
  if (property === 'ODD') return [`Math.abs(${n(Order.MODULUS)} % 2) === 1`, Order.EQUALITY];
  if (property === 'DIVISIBLE_BY' && literal(block, 'DIVISOR') === undefined) {
    const by = generator.valueToCode(block, 'DIVISOR', Order.NONE) || '0';
    // No divisor: Blockly's Python writes `False`.
    if (by === '0') return ['false', Order.ATOMIC];
    return [`${pythonModulo(generator)}(${n(Order.NONE)}, ${by}) === 0`, Order.EQUALITY];
  }
  return stock('math_number_property', block, generator);
}

/**
 * `round`, `round up`, `round down` give whole numbers as the board's `round()`, `math.ceil()`,
 * `math.floor()` do, raising for NaN and infinity (see `pythonInt`). `round` takes halves to
 * even as the board does (2.5 → 2); Blockly's `Math.round` took them up (2.5 → 3).
 */
export function math_round(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const n = generator.valueToCode(block, 'NUM', Order.NONE) || '0';
  const op = block.getFieldValue('OP');
  if (op === 'ROUNDUP') return [pythonInt(generator, `Math.ceil(${n})`), Order.FUNCTION_CALL];
  if (op === 'ROUNDDOWN') return [pythonInt(generator, `Math.floor(${n})`), Order.FUNCTION_CALL];
  const helper = generator.provideFunction_('pythonRound', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(x: number): number {`,
    '  const r = Math.round(x);',
    '  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;',
    '}',
  ]);
  return [pythonInt(generator, `${helper}(${n})`), Order.FUNCTION_CALL];
}

/**
 * The helper that runs a `Math` function as the board's `math` module does: where the result is
 * NaN from inputs that were not, or infinite from finite inputs (sqrt(-1), ln(0), asin(2),
 * exp(1000), sin(∞)), MicroPython raises `ValueError: math domain error`; JavaScript went on.
 */
function pythonMath(generator: TypeScriptGenerator): string {
  return generator.provideFunction_('pythonMath', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(f: (...args: number[]) => number, ...args: number[]): number {`,
    '  const result = f(...args);',
    '  const infinite = (x: number) => x === Infinity || x === -Infinity;',
    '  const nanFromNumbers = Number.isNaN(result) && !args.some((x) => Number.isNaN(x));',
    '  if (nanFromNumbers || (infinite(result) && !args.some(infinite))) {',
    `    throw ${pythonError(generator)}("ValueError", "math domain error");`,
    '  }',
    '  return result;',
    '}',
  ]);
}

/** The `Math` function for each `math_single` operation the board's `math` module may refuse. */
const CHECKED_SINGLE: Record<string, string> = {
  ROOT: 'Math.sqrt',
  LN: 'Math.log',
  LOG10: 'Math.log10',
  EXP: 'Math.exp',
};

/**
 * `-x` as `0 - x`: JavaScript's `-0` is a number of its own (`atan2(0, -0)` is 180°), while
 * the board negates a whole 0 to 0. `√`, `ln`, `log10`, `e^`, `10^` raise where the board's
 * `math` module does (see `pythonMath`); `log10` is `Math.log10` as the board's is its own
 * function (Blockly's `ln(x) / ln(10)` made log10(1000) 2.9999999999999996). `abs` is Blockly's.
 */
export function math_single(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const op = block.getFieldValue('OP');
  if (op === 'NEG') {
    const n = generator.valueToCode(block, 'NUM', Order.SUBTRACTION) || '0';
    return [`0 - ${n}`, Order.SUBTRACTION];
  }
  if (op !== 'POW10' && !CHECKED_SINGLE[op]) return stock('math_single', block, generator);
  const n = generator.valueToCode(block, 'NUM', Order.NONE) || '0';
  const args = op === 'POW10' ? `Math.pow, 10, ${n}` : `${CHECKED_SINGLE[op]}, ${n}`;
  return [`${pythonMath(generator)}(${args})`, Order.FUNCTION_CALL];
}

/**
 * `sin`, `cos`, `tan` of infinity and `asin`, `acos` outside -1…1 raise as the board's `math`
 * module does (see `pythonMath`); `atan` never does and is Blockly's own.
 */
export function math_trig(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const op = block.getFieldValue('OP') as string;
  if (op === 'SIN' || op === 'COS' || op === 'TAN') {
    const n = generator.valueToCode(block, 'NUM', Order.DIVISION) || '0';
    const f = `Math.${op.toLowerCase()}`;
    return [`${pythonMath(generator)}(${f}, ${n} / 180 * Math.PI)`, Order.FUNCTION_CALL];
  }
  if (op === 'ASIN' || op === 'ACOS') {
    const n = generator.valueToCode(block, 'NUM', Order.NONE) || '0';
    const f = `Math.${op.toLowerCase()}`;
    return [`${pythonMath(generator)}(${f}, ${n}) / Math.PI * 180`, Order.DIVISION];
  }
  return stock('math_trig', block, generator);
}

/**
 * `random integer from a to b` as the board's `random.randint(a, b)`: a range from high to low
 * raises ValueError (Blockly's JavaScript swapped the ends), and an end that is not a whole
 * number raises TypeError.
 */
export function math_random_int(block: Blockly.Block, generator: TypeScriptGenerator): Generated {
  const error = pythonError(generator);
  const helper = generator.provideFunction_('pythonRandint', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(low: number, high: number): number {`,
    '  if (!Number.isInteger(low) || !Number.isInteger(high)) {',
    `    throw ${error}("TypeError", "can't convert float to int");`,
    '  }',
    `  if (low > high) throw ${error}("ValueError", "");`,
    '  return low + Math.floor(Math.random() * (high - low + 1));',
    '}',
  ]);
  const low = generator.valueToCode(block, 'FROM', Order.NONE) || '0';
  const high = generator.valueToCode(block, 'TO', Order.NONE) || '0';
  return [`${helper}(${low}, ${high})`, Order.FUNCTION_CALL];
}
