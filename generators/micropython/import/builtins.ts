/**
 * Importers for Blockly's built-in blocks (logic, loops, math, text, variables): each reads back
 * what Blockly's Python generator and ours (../builtins.ts) write for the block, and the usual
 * hand-written spellings of the same thing (`while 1:`, `x += 1`, `"a" + b`).
 */
import {
  asCall,
  bodies,
  callNamed,
  numberValue,
  stringValue,
  unwrap,
  type Py,
} from './python-tree.ts';
import { block, type BlockJson, type ImportContext, type ImportTable } from './context.ts';

/** The parts of `a OP b`, or null. */
function binary(node: Py, ...ops: string[]): [Py, string, Py] | null {
  if (node.type !== 'BinaryExpression') return null;
  const [a, op, b] = node.kids;
  return b && ops.includes(op.text) ? [a, op.text, b] : null;
}

/** The one argument of `name(x)`, or null. */
function arg1(node: Py, name: string): Py | null {
  const call = callNamed(node, name);
  return call && call.args.length === 1 && !call.keywords.size ? call.args[0] : null;
}

/** `object.method()` with no arguments: the object, or null. */
function method0(node: Py, method: string): Py | null {
  const call = asCall(node);
  if (!call || call.args.length || call.keywords.size) return null;
  if (call.callee.type !== 'MemberExpression') return null;
  const [object, property] = call.callee.kids;
  return property?.text === method ? object : null;
}

/** `object.method(x)`: [object, x], or null. */
function method1(node: Py, method: string): [Py, Py] | null {
  const call = asCall(node);
  if (!call || call.args.length !== 1 || call.keywords.size) return null;
  if (call.callee.type !== 'MemberExpression') return null;
  const [object, property] = call.callee.kids;
  return property?.text === method ? [object, call.args[0]] : null;
}

const isText = (node: Py) => stringValue(node) !== null && !/^[rR]?[bB]/.test(node.text);

/** The value inside `int(x - 1)` (a position counted from 1), or null. */
function fromStart(node: Py): Py | null {
  const inner = arg1(node, 'int');
  const parts = inner && binary(unwrap(inner), '-');
  return parts && numberValue(parts[2]) === 1 ? parts[0] : null;
}

/** The value inside `-int(x)` (a position counted from the end), or null. */
function fromEnd(node: Py): Py | null {
  if (node.type !== 'UnaryExpression' || node.kids[0].text !== '-') return null;
  return arg1(unwrap(node.kids[1]), 'int');
}

const num = (n: number) => block('math_number', { NUM: n });

/** The subscript of `text[...]`: the object and the parts around a colon (null when absent). */
function subscript(
  node: Py,
): { object: Py; index?: Py; start?: Py | null; end?: Py | null } | null {
  if (node.type !== 'MemberExpression' || !node.child('[')) return null;
  const parts = node.all();
  const object = parts[0];
  const inside = parts.slice(2, -1).filter((p) => p.type !== 'Comment');
  const colon = inside.findIndex((p) => p.type === ':');
  if (colon === -1) return inside.length === 1 ? { object, index: inside[0] } : null;
  if (inside.filter((p) => p.type === ':').length > 1) return null;
  return { object, start: inside[colon - 1] ?? null, end: inside[colon + 1] ?? null };
}

const TRIG: Record<string, string> = { sin: 'SIN', cos: 'COS', tan: 'TAN' };
const ARC: Record<string, string> = { asin: 'ASIN', acos: 'ACOS', atan: 'ATAN' };
const SINGLE: Record<string, string> = {
  'math.sqrt': 'ROOT',
  'math.fabs': 'ABS',
  abs: 'ABS',
  'math.log': 'LN',
  'math.log10': 'LOG10',
  'math.exp': 'EXP',
};
const COMPARE: Record<string, string> = {
  '==': 'EQ',
  '!=': 'NEQ',
  '<': 'LT',
  '<=': 'LTE',
  '>': 'GT',
  '>=': 'GTE',
};
const ARITHMETIC: Record<string, string> = {
  '+': 'ADD',
  '-': 'MINUS',
  '*': 'MULTIPLY',
  '/': 'DIVIDE',
  '**': 'POWER',
};

/** The items of a text join: `str(a) + str(b)` or `''.join([str(x) for x in [a, b, c]])`. */
function joinItems(node: Py): Py[] | null {
  const two = binary(node, '+');
  if (two) {
    const [a, , b] = two;
    const [x, y] = [arg1(unwrap(a), 'str'), arg1(unwrap(b), 'str')];
    if (x && y) return [x, y];
    // Hand-written `"a" + b`: text joined.
    if (isText(unwrap(a)) || isText(unwrap(b))) return [a, b];
    return null;
  }
  const call = asCall(node);
  if (!call || call.args.length !== 1 || call.callee.type !== 'MemberExpression') return null;
  const [glue, property] = call.callee.kids;
  if (property?.text !== 'join' || stringValue(glue) !== '') return null;
  const comprehension = call.args[0];
  if (comprehension.type !== 'ArrayComprehensionExpression') return null;
  if (!/^\[\s*str\((\w+)\)\s+for\s+\1\s+in\s+\[/.test(comprehension.text)) return null;
  const list = comprehension.kids.at(-1);
  return list?.type === 'ArrayExpression' ? list.kids : null;
}

function textJoin(items: Py[], cx: ImportContext): BlockJson {
  return joinBlocks(items.map((item) => cx.value(item)));
}

function joinBlocks(items: BlockJson[]): BlockJson {
  return block('text_join', {}, Object.fromEntries(items.map((b, i) => [`ADD${i}`, b])), {
    extraState: { itemCount: items.length },
  });
}

/** `"Connected to %s" % server`: the text with its `%s` filled when it is known, else a join. */
function formatted(node: Py, cx: ImportContext): BlockJson | null {
  const parts = binary(node, '%');
  if (!parts) return null;
  const format = stringValue(parts[0]);
  if (format === null || /^[rR]?[bB]/.test(parts[0].text)) return null;
  const pieces = format.split('%s');
  if (pieces.some((p) => p.includes('%') && !/^(%%|[^%])*$/.test(p))) return null;
  const right = unwrap(parts[2]);
  const values = right.type === 'TupleExpression' ? right.kids : [parts[2]];
  if (values.length !== pieces.length - 1) return null;
  const known = values.map((v) => {
    const r = cx.resolve(v);
    return stringValue(r) ?? (numberValue(r) !== null ? String(numberValue(r)) : null);
  });
  const clean = (p: string) => p.replace(/%%/g, '%');
  if (known.every((k) => k !== null)) {
    return block('text', { TEXT: pieces.map((p, i) => clean(p) + (known[i] ?? '')).join('') });
  }
  const items: BlockJson[] = [];
  pieces.forEach((p, i) => {
    if (p) items.push(block('text', { TEXT: clean(p) }));
    if (i < values.length) items.push(cx.value(values[i]));
  });
  return joinBlocks(items);
}

/** Charat/substring positions: a literal index or Blockly's `int(x - 1)` / `-int(x)`. */
function position(
  node: Py,
  cx: ImportContext,
  side: 'index' | 'start' | 'end',
): { where: string; at: BlockJson } | null {
  const n = numberValue(node);
  if (n !== null && Number.isInteger(n)) {
    if (side === 'end')
      return n < 0 ? { where: 'FROM_END', at: num(1 - n) } : { where: 'FROM_START', at: num(n) };
    return n < 0 ? { where: 'FROM_END', at: num(-n) } : { where: 'FROM_START', at: num(n + 1) };
  }
  if (side === 'end') {
    const plain = arg1(node, 'int');
    if (plain) return { where: 'FROM_START', at: cx.value(plain) };
    const or = binary(node, 'or');
    if (or && or[2].text === 'sys.maxsize') {
      const minus = unwrap(or[0]);
      const inner =
        minus.type === 'UnaryExpression' &&
        minus.kids[0].text === '-' &&
        arg1(unwrap(minus.kids[1]), 'int');
      const parts = inner && binary(unwrap(inner), '-');
      if (parts && numberValue(parts[2]) === 1)
        return { where: 'FROM_END', at: cx.value(parts[0]) };
    }
    return null;
  }
  const start = fromStart(node);
  if (start) return { where: 'FROM_START', at: cx.value(start) };
  const end = fromEnd(node);
  if (end) return { where: 'FROM_END', at: cx.value(end) };
  return null;
}

export const importers: ImportTable = {
  values: {
    math_number: (node) => {
      const n = numberValue(node);
      return n === null ? null : num(n);
    },
    text: (node) => {
      if (!isText(node) || node.text.startsWith("''")) return null;
      return block('text', { TEXT: stringValue(node) });
    },
    logic_boolean: (node) =>
      node.type === 'Boolean'
        ? block('logic_boolean', { BOOL: node.text === 'True' ? 'TRUE' : 'FALSE' })
        : null,
    logic_null: (node) => (node.type === 'None' ? block('logic_null') : null),
    math_constant: (node) => {
      const constant: Record<string, string> = {
        'math.pi': 'PI',
        'math.e': 'E',
        '(1 + math.sqrt(5)) / 2': 'GOLDEN_RATIO',
        'math.sqrt(2)': 'SQRT2',
        'math.sqrt(1.0 / 2)': 'SQRT1_2',
        "float('inf')": 'INFINITY',
      };
      const name = constant[node.text];
      return name ? block('math_constant', { CONSTANT: name }) : null;
    },
    math_trig: (node, cx) => {
      const call = asCall(node);
      const op = call?.callee.text.replace(/^math\./, '');
      if (call?.args.length === 1 && call.callee.text.startsWith('math.') && op && TRIG[op]) {
        const outer = binary(unwrap(call.args[0]), '*');
        const inner = outer && outer[2].text === 'math.pi' && binary(unwrap(outer[0]), '/');
        if (inner && inner[2].text === '180.0') {
          return block('math_trig', { OP: TRIG[op] }, { NUM: cx.value(inner[0]) });
        }
      }
      const outer = binary(node, '*');
      const inner = outer && numberValue(outer[2]) === 180 && binary(unwrap(outer[0]), '/');
      const arc = inner && inner[2].text === 'math.pi' && asCall(unwrap(inner[0]));
      const name = arc && arc.callee.text.replace(/^math\./, '');
      if (arc && arc.args.length === 1 && name && ARC[name]) {
        return block('math_trig', { OP: ARC[name] }, { NUM: cx.value(arc.args[0]) });
      }
      return null;
    },
    math_atan2: (node, cx) => {
      const outer = binary(node, '*');
      const inner = outer && numberValue(outer[2]) === 180 && binary(unwrap(outer[0]), '/');
      const call =
        inner && inner[2].text === 'math.pi' && callNamed(unwrap(inner[0]), 'math.atan2');
      return call && call.args.length === 2
        ? block('math_atan2', {}, { X: cx.value(call.args[1]), Y: cx.value(call.args[0]) })
        : null;
    },
    math_single: (node, cx) => {
      if (
        node.type === 'UnaryExpression' &&
        node.kids[0].text === '-' &&
        numberValue(node) === null
      ) {
        return block('math_single', { OP: 'NEG' }, { NUM: cx.value(node.kids[1]) });
      }
      const call = asCall(node);
      if (!call || call.keywords.size) return null;
      const name = call.callee.text;
      if (name === 'math.pow' && call.args.length === 2 && numberValue(call.args[0]) === 10) {
        return block('math_single', { OP: 'POW10' }, { NUM: cx.value(call.args[1]) });
      }
      return SINGLE[name] && call.args.length === 1
        ? block('math_single', { OP: SINGLE[name] }, { NUM: cx.value(call.args[0]) })
        : null;
    },
    math_number_property: (node, cx) => {
      const n = arg1(node, 'math_is_prime');
      return n
        ? block('math_number_property', { PROPERTY: 'PRIME' }, { NUMBER_TO_CHECK: cx.value(n) })
        : null;
    },
    math_round: (node, cx) => {
      const ops: Record<string, string> = {
        round: 'ROUND',
        'math.ceil': 'ROUNDUP',
        'math.floor': 'ROUNDDOWN',
      };
      for (const [name, op] of Object.entries(ops)) {
        const n = arg1(node, name);
        if (n) return block('math_round', { OP: op }, { NUM: cx.value(n) });
      }
      return null;
    },
    math_constrain: (node, cx) => {
      const outer = callNamed(node, 'min');
      const inner = outer?.args.length === 2 ? callNamed(unwrap(outer.args[0]), 'max') : null;
      if (!outer || !inner || inner.args.length !== 2) return null;
      return block(
        'math_constrain',
        {},
        {
          VALUE: cx.value(inner.args[0]),
          LOW: cx.value(inner.args[1]),
          HIGH: cx.value(outer.args[1]),
        },
      );
    },
    math_random_int: (node, cx) => {
      const call = callNamed(node, 'random.randint');
      return call?.args.length === 2
        ? block('math_random_int', {}, { FROM: cx.value(call.args[0]), TO: cx.value(call.args[1]) })
        : null;
    },
    math_random_float: (node) =>
      callNamed(node, 'random.random')?.args.length === 0 ? block('math_random_float') : null,
    text_join: (node, cx) => {
      if (
        node.type === 'String' &&
        (node.text === "''" || node.text === '""') &&
        node.text === "''"
      ) {
        return block('text_join', {}, {}, { extraState: { itemCount: 0 } });
      }
      const single = arg1(node, 'str');
      if (single) return textJoin([single], cx);
      const items = joinItems(node);
      return items ? textJoin(items, cx) : formatted(node, cx);
    },
    text_reverse: (node, cx) => {
      const call = asCall(node);
      if (
        !call ||
        call.callee.type !== 'MemberExpression' ||
        stringValue(call.callee.kids[0]) !== ''
      )
        return null;
      if (call.callee.kids[1]?.text !== 'join' || call.args.length !== 1) return null;
      const reversed = arg1(unwrap(call.args[0]), 'reversed');
      const text = reversed && arg1(unwrap(reversed), 'str');
      return text ? block('text_reverse', {}, { TEXT: cx.value(text) }) : null;
    },
    text_isEmpty: (node, cx) => {
      if (node.type !== 'UnaryExpression' || node.kids[0].text !== 'not') return null;
      const value = arg1(unwrap(node.kids[1]), 'len');
      return value ? block('text_isEmpty', {}, { VALUE: cx.value(value) }) : null;
    },
    text_length: (node, cx) => {
      const value = arg1(node, 'len');
      return value ? block('text_length', {}, { VALUE: cx.value(value) }) : null;
    },
    text_indexOf: (node, cx) => {
      const plus = binary(node, '+');
      if (!plus || numberValue(plus[2]) !== 1) return null;
      for (const [method, end] of [
        ['find', 'FIRST'],
        ['rfind', 'LAST'],
      ]) {
        const parts = method1(unwrap(plus[0]), method);
        if (parts)
          return block(
            'text_indexOf',
            { END: end },
            { VALUE: cx.value(parts[0]), FIND: cx.value(parts[1]) },
          );
      }
      return null;
    },
    text_charAt: (node, cx) => {
      const random = arg1(node, 'text_random_letter');
      if (random) {
        return block(
          'text_charAt',
          { WHERE: 'RANDOM' },
          { VALUE: cx.value(random) },
          { extraState: '<mutation at="false"></mutation>' },
        );
      }
      const parts = subscript(node);
      if (!parts?.index || parts.object.text === 'rgb') return null;
      const n = numberValue(parts.index);
      if (n === 0 || n === -1) {
        return block(
          'text_charAt',
          { WHERE: n === 0 ? 'FIRST' : 'LAST' },
          { VALUE: cx.value(parts.object) },
          { extraState: '<mutation at="false"></mutation>' },
        );
      }
      const at = position(parts.index, cx, 'index');
      return at
        ? block(
            'text_charAt',
            { WHERE: at.where },
            { VALUE: cx.value(parts.object), AT: at.at },
            { extraState: '<mutation at="true"></mutation>' },
          )
        : null;
    },
    text_getSubstring: (node, cx) => {
      const parts = subscript(node);
      if (!parts || parts.index) return null;
      const start = parts.start ? position(parts.start, cx, 'start') : { where: 'FIRST', at: null };
      const end = parts.end ? position(parts.end, cx, 'end') : { where: 'LAST', at: null };
      if (!start || !end) return null;
      return block(
        'text_getSubstring',
        { WHERE1: start.where, WHERE2: end.where },
        { STRING: cx.value(parts.object), AT1: start.at, AT2: end.at },
        { extraState: `<mutation at1="${!!start.at}" at2="${!!end.at}"></mutation>` },
      );
    },
    text_changeCase: (node, cx) => {
      const title = arg1(node, 'text_title_case');
      if (title) return block('text_changeCase', { CASE: 'TITLECASE' }, { TEXT: cx.value(title) });
      for (const [method, name] of [
        ['upper', 'UPPERCASE'],
        ['lower', 'LOWERCASE'],
      ]) {
        const object = method0(node, method);
        if (object) return block('text_changeCase', { CASE: name }, { TEXT: cx.value(object) });
      }
      return null;
    },
    text_trim: (node, cx) => {
      for (const [method, mode] of [
        ['strip', 'BOTH'],
        ['lstrip', 'LEFT'],
        ['rstrip', 'RIGHT'],
      ]) {
        const object = method0(node, method);
        if (object) return block('text_trim', { MODE: mode }, { TEXT: cx.value(object) });
      }
      return null;
    },
    text_count: (node, cx) => {
      const parts = method1(node, 'count');
      return parts
        ? block('text_count', {}, { SUB: cx.value(parts[1]), TEXT: cx.value(parts[0]) })
        : null;
    },
    text_replace: (node, cx) => {
      const helper = callNamed(node, 'text_replace');
      if (helper?.args.length === 3) {
        const [text, from, to] = helper.args;
        return block(
          'text_replace',
          {},
          { FROM: cx.value(from), TO: cx.value(to), TEXT: cx.value(text) },
        );
      }
      const call = asCall(node);
      if (call?.callee.type !== 'MemberExpression' || call.callee.kids[1]?.text !== 'replace')
        return null;
      if (call.args.length !== 2) return null;
      return block(
        'text_replace',
        {},
        {
          FROM: cx.value(call.args[0]),
          TO: cx.value(call.args[1]),
          TEXT: cx.value(call.callee.kids[0]),
        },
      );
    },
    logic_negate: (node, cx) => booleans(node, cx),
    logic_operation: (node, cx) => booleans(node, cx),
    logic_compare: (node, cx) => {
      const parts = binary(node, ...Object.keys(COMPARE));
      if (!parts || node.kids.length !== 3) return null;
      // `a < b == c` is a chain in Python (`a < b and b == c`), not a comparison of a comparison.
      if (binary(parts[0], ...Object.keys(COMPARE)) || binary(parts[2], ...Object.keys(COMPARE))) {
        return null;
      }
      return block(
        'logic_compare',
        { OP: COMPARE[parts[1]] },
        { A: cx.value(parts[0]), B: cx.value(parts[2]) },
      );
    },
    logic_ternary: (node, cx) => {
      if (node.type !== 'ConditionalExpression') return null;
      const [then, , test, , otherwise] = node.all().filter((p) => p.type !== 'Comment');
      return block(
        'logic_ternary',
        {},
        { IF: cx.value(test), THEN: cx.value(then), ELSE: cx.value(otherwise) },
      );
    },
    math_modulo: (node, cx) => {
      const parts = binary(node, '%');
      return parts
        ? block('math_modulo', {}, { DIVIDEND: cx.value(parts[0]), DIVISOR: cx.value(parts[2]) })
        : null;
    },
    math_arithmetic: (node, cx) => {
      const parts = binary(node, ...Object.keys(ARITHMETIC));
      return parts
        ? block(
            'math_arithmetic',
            { OP: ARITHMETIC[parts[1]] },
            { A: cx.value(parts[0]), B: cx.value(parts[2]) },
          )
        : null;
    },
    variables_get: (node, cx) =>
      node.type === 'VariableName'
        ? block('variables_get', { VAR: cx.variableField(node.text) })
        : null,
  },
  statements: {
    controls_repeat_ext: (list, at, cx) => {
      const loop = forLoop(list[at]);
      if (!loop || !/^(count\d*|_)$/.test(loop.name) || cx.variables.has(loop.name)) return null;
      const range = callNamed(unwrap(loop.over), 'range');
      if (range?.args.length !== 1) return null;
      const times = arg1(unwrap(range.args[0]), 'int') ?? range.args[0];
      return {
        block: block(
          'controls_repeat_ext',
          {},
          { TIMES: cx.value(times), DO: cx.statements(loop.body) },
        ),
        used: 1,
      };
    },
    controls_for: (list, at, cx) => {
      // Blockly first names bounds that are neither numbers nor names: `i_start = a + 1`.
      const temps = new Map<string, Py>();
      let i = at;
      for (; i < list.length && i < at + 3; i++) {
        const assign = assignment(list[i]);
        if (!assign || !/_(start|end|inc)\d*$/.test(assign.name)) break;
        temps.set(assign.name, assign.value);
      }
      const loop = forLoop(list[i]);
      if (!loop) return null;
      const bound = (node: Py) => temps.get(unwrap(node).text) ?? node;
      const over = unwrap(loop.over);
      let from: Py | number, to: Py | number, by: Py | number;
      const range = callNamed(over, 'range');
      const ints = range?.args.map((a) => numberValue(a));
      if (range && ints && ints.every((n) => n !== null && Number.isInteger(n))) {
        const [a, b, c] = ints as number[];
        if (ints.length === 1) [from, to, by] = [0, a - 1, 1];
        else if (ints.length === 2) [from, to, by] = [a, b - 1, 1];
        else if (c > 0) [from, to, by] = [a, b - 1, c];
        else [from, to, by] = [a, b + 1, -c];
      } else {
        const ranged = (node: Py) => {
          const call = asCall(node);
          const name = call?.callee.text;
          return call && (name === 'upRange' || name === 'downRange') && call.args.length === 3
            ? call.args
            : null;
        };
        let args = ranged(over);
        const or = binary(over, 'or');
        if (!args && or) {
          const and = binary(unwrap(or[0]), 'and');
          args = and && ranged(unwrap(and[2]));
        }
        if (!args) return null;
        [from, to, by] = args.map(bound);
      }
      const value = (v: Py | number) => (typeof v === 'number' ? num(v) : cx.value(v));
      if (temps.size && i === at) return null;
      return {
        block: block(
          'controls_for',
          { VAR: cx.variableField(loop.name) },
          { FROM: value(from), TO: value(to), BY: value(by), DO: cx.statements(loop.body) },
        ),
        used: i - at + 1,
      };
    },
    text_print: (list, at, cx) => {
      const call = callNamed(list[at], 'print');
      if (!call || call.keywords.size || call.args.length !== 1) return null;
      const arg = unwrap(call.args[0]);
      // `print((topic, msg))` prints both: as blocks, the two joined by a space.
      const value =
        arg.type === 'TupleExpression' && arg.kids.length > 1
          ? joinBlocks(
              arg.kids.flatMap((k, i) =>
                i ? [block('text', { TEXT: ' ' }), cx.value(k)] : [cx.value(k)],
              ),
            )
          : cx.value(call.args[0]);
      return { block: block('text_print', {}, { TEXT: value }), used: 1 };
    },
    math_change: (list, at, cx) => {
      const node = list[at];
      if (node.type === 'UpdateStatement') {
        const [target, op, delta] = node.kids;
        if (target.type !== 'VariableName' || !['+=', '-='].includes(op.text)) return null;
        const by =
          op.text === '+='
            ? cx.value(delta)
            : block('math_single', { OP: 'NEG' }, { NUM: cx.value(delta) });
        return {
          block: block('math_change', { VAR: cx.variableField(target.text) }, { DELTA: by }),
          used: 1,
        };
      }
      const assign = assignment(node);
      if (!assign) return null;
      const match = new RegExp(
        `^\\(${assign.name} if isinstance\\(${assign.name}, \\(int, float\\)\\) else 0\\) \\+ `,
      ).exec(assign.value.text);
      const sum = match && binary(assign.value, '+');
      if (!sum) return null;
      return {
        block: block(
          'math_change',
          { VAR: cx.variableField(assign.name) },
          { DELTA: cx.value(sum[2]) },
        ),
        used: 1,
      };
    },
    text_append: (list, at, cx) => {
      const assign = assignment(list[at]);
      const sum = assign && binary(assign.value, '+');
      if (!assign || !sum || unwrap(sum[0]).text !== `str(${assign.name})`) return null;
      const added = arg1(unwrap(sum[2]), 'str');
      if (!added) return null;
      return {
        block: block(
          'text_append',
          { VAR: cx.variableField(assign.name) },
          { TEXT: cx.value(added) },
        ),
        used: 1,
      };
    },
    variables_set: (list, at, cx) => {
      const assign = assignment(list[at]);
      if (!assign) return null;
      return {
        block: block(
          'variables_set',
          { VAR: cx.variableField(assign.name) },
          { VALUE: cx.value(assign.value) },
        ),
        used: 1,
      };
    },
    controls_if: (list, at, cx) => {
      const node = list[at];
      if (node.type !== 'IfStatement') return null;
      const parts = node.all().filter((p) => p.type !== 'Comment');
      const inputs: Record<string, BlockJson | undefined> = {};
      let elseIfCount = -1;
      let hasElse = false;
      for (let i = 0; i < parts.length; i++) {
        const word = parts[i].type;
        if (word === 'if' || word === 'elif') {
          elseIfCount++;
          inputs[`IF${elseIfCount}`] = cx.value(parts[i + 1]);
          inputs[`DO${elseIfCount}`] = cx.statements(parts[i + 2]);
          i += 2;
        } else if (word === 'else') {
          hasElse = true;
          inputs.ELSE = cx.statements(parts[i + 1]);
          i++;
        }
      }
      return {
        block: block('controls_if', {}, inputs, { extraState: { elseIfCount, hasElse } }),
        used: 1,
      };
    },
    controls_whileUntil: (list, at, cx) => {
      const node = list[at];
      if (node.type !== 'WhileStatement') return null;
      const [, test] = node.all();
      const condition = unwrap(test);
      const until = condition.type === 'UnaryExpression' && condition.kids[0].text === 'not';
      const literal = numberValue(condition);
      const bool =
        literal !== null
          ? block('logic_boolean', { BOOL: literal ? 'TRUE' : 'FALSE' })
          : cx.value(until ? condition.kids[1] : test);
      return {
        block: block(
          'controls_whileUntil',
          { MODE: until ? 'UNTIL' : 'WHILE' },
          { BOOL: bool, DO: cx.statements(bodies(node)[0]) },
        ),
        used: 1,
      };
    },
    controls_flow_statements: (list, at) => {
      const type = list[at].type;
      if (type !== 'BreakStatement' && type !== 'ContinueStatement') return null;
      return {
        block: block('controls_flow_statements', {
          FLOW: type === 'BreakStatement' ? 'BREAK' : 'CONTINUE',
        }),
        used: 1,
      };
    },
  },
};

/**
 * `and`, `or` and `not` as blocks. @lezer/python reads `not a and b` as `not (a and b)` (Python:
 * `(not a) and b`), so the operands and operators are read flat and grouped again as Python does:
 * `not` binds tighter than `and`, `and` tighter than `or`, both from the left.
 */
function booleans(node: Py, cx: ImportContext): BlockJson | null {
  const isNot = (n: Py) => n.type === 'UnaryExpression' && n.kids[0].text === 'not';
  if (!binary(node, 'and', 'or') && !isNot(node)) return null;
  const flat = (n: Py): (Py | string)[] => {
    const parts = binary(n, 'and', 'or');
    if (parts) return [...flat(parts[0]), parts[1], ...flat(parts[2])];
    return isNot(n) ? ['not', ...flat(n.kids[1])] : [n];
  };
  const tokens = flat(node);
  let at = 0;
  const operation = (op: string, next: () => BlockJson): BlockJson => {
    let a = next();
    while (tokens[at] === op) {
      at++;
      a = block('logic_operation', { OP: op.toUpperCase() }, { A: a, B: next() });
    }
    return a;
  };
  const negation = (): BlockJson => {
    if (tokens[at] !== 'not') return cx.value(tokens[at++] as Py);
    at++;
    const operand = tokens[at];
    const length = typeof operand !== 'string' && arg1(unwrap(operand), 'len');
    if (length) {
      at++;
      return block('text_isEmpty', {}, { VALUE: cx.value(length) });
    }
    return block('logic_negate', {}, { BOOL: negation() });
  };
  return operation('or', () => operation('and', negation));
}

/** `name = value` with one plain name on the left, or null. */
export function assignment(node: Py | undefined): { name: string; value: Py } | null {
  if (node?.type !== 'AssignStatement') return null;
  const parts = node.kids;
  if (parts.length !== 2 || parts[0].type !== 'VariableName') return null;
  return { name: parts[0].text, value: parts[1] };
}

/** `for name in over:` with one plain name, or null. */
function forLoop(node: Py | undefined): { name: string; over: Py; body: Py } | null {
  if (node?.type !== 'ForStatement') return null;
  const parts = node.kids.filter((p) => p.type !== 'for' && p.type !== 'in');
  if (parts.length !== 3 || parts[0].type !== 'VariableName' || node.child('else')) return null;
  return { name: parts[0].text, over: parts[1], body: parts[2] };
}
