/** Blockly's built-in blocks where its JavaScript must change for our runtime. */
import * as Blockly from 'blockly';
import { javascriptGenerator } from 'blockly/javascript';
import { Order, type TypeScriptGenerator } from './index.ts';

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
 * `count < N` ran 2.5 times as 3.
 */
export function controls_repeat_ext(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const times = generator.valueToCode(block, 'TIMES', Order.NONE) || '0';
  const count = generator.nameDB_!.getDistinctName('count', Blockly.Names.NameType.VARIABLE);
  const body = generator.addLoopTrap(generator.statementToCode(block, 'DO'), block);
  let code = '';
  let end = times;
  if (!/^\d+$/.test(times)) {
    end = generator.nameDB_!.getDistinctName('repeat_end', Blockly.Names.NameType.VARIABLE);
    code += `var ${end} = Math.trunc(${times});\n`;
  }
  return `${code}for (var ${count} = 0; ${count} < ${end}; ${count}++) {\n${body}}\n`;
}

/**
 * `remainder of a ÷ b` as the board's Python `%` gives it, with the sign of `b`: JavaScript's `%`
 * keeps the sign of `a` (10 % -100 is -90 on the board, 10 in JavaScript).
 */
export function math_modulo(block: Blockly.Block, generator: TypeScriptGenerator): [string, Order] {
  const helper = generator.provideFunction_('pythonModulo', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(a: number, b: number): number {`,
    '  const r = a % b;',
    // `+ 0` makes -0 (from -1 % 1) the board's 0: atan2(0, -0) would be 180°.
    '  return r !== 0 && r < 0 !== b < 0 ? r + b : r + 0;',
    '}',
  ]);
  const dividend = generator.valueToCode(block, 'DIVIDEND', Order.NONE) || '0';
  const divisor = generator.valueToCode(block, 'DIVISOR', Order.NONE) || '0';
  return [`${helper}(${dividend}, ${divisor})`, Order.FUNCTION_CALL];
}

/**
 * `in text get substring` with the board's Python slicing, which keeps positions past either end
 * within the text: Blockly's JavaScript let a position from the end that lies before the start
 * wrap round (the first letters of "2.5" up to #5 from the end were "2.", on the board "").
 */
export function text_getSubstring(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  const helper = generator.provideFunction_('pythonSlice', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(text: string, start: number, end: number): string {`,
    '  const clamp = (i: number) => Math.min(text.length, Math.max(0, i < 0 ? i + text.length : i));',
    '  return text.slice(clamp(start), clamp(end));',
    '}',
  ]);
  const text = generator.valueToCode(block, 'STRING', Order.NONE) || '""';
  const at = (name: string) => generator.valueToCode(block, name, Order.NONE) || '1';
  // Positions count from 1; Python's slice bounds from 0, negative ones from the end.
  const start = { FROM_START: () => `${at('AT1')} - 1`, FROM_END: () => `-(${at('AT1')})` }[
    block.getFieldValue('WHERE1') as string
  ];
  const end = { FROM_START: () => at('AT2'), FROM_END: () => `1 - (${at('AT2')}) || Infinity` }[
    block.getFieldValue('WHERE2') as string
  ];
  const code = `${helper}(${text}, ${start ? start() : '0'}, ${end ? end() : 'Infinity'})`;
  return [code, Order.FUNCTION_CALL];
}

/** `is odd` as on the board, where -1 % 2 is 1: Blockly's JavaScript said -1 was not odd. */
export function math_number_property(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  if (block.getFieldValue('PROPERTY') !== 'ODD') {
    const stock = javascriptGenerator.forBlock.math_number_property as unknown as (
      block: Blockly.Block,
      generator: TypeScriptGenerator,
    ) => [string, Order];
    return stock(block, generator);
  }
  const n = generator.valueToCode(block, 'NUMBER_TO_CHECK', Order.NONE) || '0';
  return [`Math.abs(${n} % 2) === 1`, Order.EQUALITY];
}

/**
 * `round` halves to even, as the board's `round()` does (2.5 → 2); Blockly's `Math.round` took
 * halves up (2.5 → 3). `round up` and `round down` are Blockly's own.
 */
export function math_round(block: Blockly.Block, generator: TypeScriptGenerator): [string, Order] {
  if (block.getFieldValue('OP') !== 'ROUND') {
    const stock = javascriptGenerator.forBlock.math_round as unknown as (
      block: Blockly.Block,
      generator: TypeScriptGenerator,
    ) => [string, Order];
    return stock(block, generator);
  }
  const helper = generator.provideFunction_('pythonRound', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(x: number): number {`,
    '  const r = Math.round(x);',
    '  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;',
    '}',
  ]);
  const n = generator.valueToCode(block, 'NUM', Order.NONE) || '0';
  return [`${helper}(${n})`, Order.FUNCTION_CALL];
}

/**
 * `-x` as `0 - x`: JavaScript's `-0` is a number of its own (`atan2(0, -0)` is 180°), while
 * the board negates a whole 0 to 0. Other single-number functions are Blockly's own.
 */
export function math_single(block: Blockly.Block, generator: TypeScriptGenerator): [string, Order] {
  if (block.getFieldValue('OP') !== 'NEG') {
    const stock = javascriptGenerator.forBlock.math_single as unknown as (
      block: Blockly.Block,
      generator: TypeScriptGenerator,
    ) => [string, Order];
    return stock(block, generator);
  }
  const n = generator.valueToCode(block, 'NUM', Order.SUBTRACTION) || '0';
  return [`0 - ${n}`, Order.SUBTRACTION];
}
