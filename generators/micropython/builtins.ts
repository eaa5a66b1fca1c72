/**
 * Blockly's built-in blocks where its Python differs from what MicroPython on the board can run:
 * MicroPython's str has no `title()` and no slices with a step, and it has no `numbers` module.
 */
import type * as Blockly from 'blockly';
import { pythonGenerator } from 'blockly/python';
import { Order, type MicroPythonGenerator } from './generator.ts';

type Generated = [string, Order];

/** Blockly's own Python for a built-in block type. */
function stock(type: string, block: Blockly.Block, generator: MicroPythonGenerator): Generated {
  const generate = pythonGenerator.forBlock[type] as unknown as (
    block: Blockly.Block,
    generator: MicroPythonGenerator,
  ) => Generated;
  return generate(block, generator);
}

export function text_reverse(block: Blockly.Block, generator: MicroPythonGenerator): Generated {
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return [`"".join(reversed(str(${text})))`, Order.FUNCTION_CALL];
}

export function text_changeCase(block: Blockly.Block, generator: MicroPythonGenerator): Generated {
  if (block.getFieldValue('CASE') !== 'TITLECASE') {
    return stock('text_changeCase', block, generator);
  }
  const helper = generator.provideFunction_('text_title_case', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(text):`,
    '  out = []',
    '  start = True',
    '  for ch in str(text):',
    '    out.append(ch.upper() if start else ch.lower())',
    '    start = ch.isspace()',
    '  return "".join(out)',
  ]);
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return [`${helper}(${text})`, Order.FUNCTION_CALL];
}

export function math_number_property(
  block: Blockly.Block,
  generator: MicroPythonGenerator,
): Generated {
  if (block.getFieldValue('PROPERTY') !== 'PRIME') {
    return stock('math_number_property', block, generator);
  }
  const helper = generator.provideFunction_('math_is_prime', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(n):`,
    '  if not isinstance(n, (int, float)) or n % 1 != 0 or n < 2:',
    '    return False',
    '  n = int(n)',
    '  i = 2',
    '  while i * i <= n:',
    '    if n % i == 0:',
    '      return False',
    '    i += 1',
    '  return True',
  ]);
  const n = generator.valueToCode(block, 'NUMBER_TO_CHECK', Order.NONE) || '0';
  return [`${helper}(${n})`, Order.FUNCTION_CALL];
}

/** `change … by …`: Blockly's Python checks `isinstance(x, Number)` from `numbers`. */
export function math_change(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const delta = generator.valueToCode(block, 'DELTA', Order.ADDITIVE) || '0';
  const name = generator.getVariableName(block.getFieldValue('VAR'));
  return `${name} = (${name} if isinstance(${name}, (int, float)) else 0) + ${delta}\n`;
}

/**
 * `replace` with an empty needle puts the replacement between letters, as in Python and in the
 * browser: MicroPython's `str.replace("", …)` put it between the bytes of each Chinese letter,
 * breaking them (`"中".replace("", "a")` gave `a\xe4a\xb8a\xada`).
 */
export function text_replace(block: Blockly.Block, generator: MicroPythonGenerator): Generated {
  const helper = generator.provideFunction_('text_replace', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(text, old, new):`,
    '  if old == "":',
    '    return new.join([""] + list(text) + [""])',
    '  return text.replace(old, new)',
  ]);
  const text = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  const from = generator.valueToCode(block, 'FROM', Order.NONE) || '""';
  const to = generator.valueToCode(block, 'TO', Order.NONE) || '""';
  return [`${helper}(${text}, ${from}, ${to})`, Order.FUNCTION_CALL];
}
