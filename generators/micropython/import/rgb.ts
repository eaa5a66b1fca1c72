/** Importers for the RGB LED blocks: `rgb.fill((r, g, b))` and `rgb[i] = (r, g, b)`, then `rgb.write()`. */
import { callNamed, numberValue, unwrap, type Py } from './python-tree.ts';
import { block, type BlockJson, type ImportContext, type ImportTable } from './context.ts';

/** One colour level: the generator's `rgb_level(x)` is `x`. */
function level(node: Py, cx: ImportContext): BlockJson {
  const helper = callNamed(unwrap(node), 'rgb_level');
  return cx.value(helper?.args.length === 1 ? helper.args[0] : node);
}

/** The three levels of `(r, g, b)`, or null. */
function colour(node: Py | undefined, cx: ImportContext): Record<string, BlockJson> | null {
  if (!node) return null;
  const tuple = cx.resolve(node);
  if (tuple.type !== 'TupleExpression' || tuple.kids.length !== 3) return null;
  const [RED, GREEN, BLUE] = tuple.kids.map((k) => level(k, cx));
  return { RED, GREEN, BLUE };
}

/** How many statements from `at` on: this one and a following `rgb.write()`. */
function withWrite(list: Py[], at: number): number {
  return callNamed(list[at + 1], 'rgb.write')?.args.length === 0 ? 2 : 1;
}

export const importers: ImportTable = {
  statements: {
    rgb_off: (list, at) => {
      const call = callNamed(list[at], 'rgb.fill');
      const tuple = call?.args.length === 1 ? unwrap(call.args[0]) : null;
      if (tuple?.type !== 'TupleExpression' || tuple.kids.some((k) => numberValue(k) !== 0))
        return null;
      if (tuple.kids.length !== 3) return null;
      return { block: block('rgb_off'), used: withWrite(list, at) };
    },
    rgb_fill: (list, at, cx) => {
      const call = callNamed(list[at], 'rgb.fill');
      const levels = call?.args.length === 1 ? colour(call.args[0], cx) : null;
      return levels ? { block: block('rgb_fill', {}, levels), used: withWrite(list, at) } : null;
    },
    rgb_set: (list, at, cx) => {
      const node = list[at];
      if (node.type !== 'AssignStatement' || node.kids.length !== 2) return null;
      const [target, value] = node.kids;
      if (target.type !== 'MemberExpression' || target.kids[0]?.text !== 'rgb') return null;
      const index = numberValue(target.kids[1]);
      const levels = colour(value, cx);
      if (index === null || ![0, 1, 2].includes(index) || !levels) return null;
      return { block: block('rgb_set', { LED: String(index) }, levels), used: withWrite(list, at) };
    },
    // A lone `rgb.write()` shows what is set already: every block above wrote it.
    rgb_write: (list, at) =>
      callNamed(list[at], 'rgb.write')?.args.length === 0 &&
      at > 0 &&
      /^rgb[.[]/.test(list[at - 1].text)
        ? { block: null, used: 1 }
        : null,
  },
};
