/**
 * MicroPython source read into a tree with @lezer/python (see ./python-tree.ts), apart from the
 * tree's helpers so that only the importer itself loads the grammar.
 */
import { parser } from '@lezer/python';
import { Py, lineOf } from './python-tree.ts';

/** A syntax error: where the first error is (1-based line and column) and the line's text. */
export class PythonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly lineText: string,
  ) {
    super(`line ${line}, column ${column}: ${lineText.trim()}`);
  }
}

/** Parses `source`, or throws `PythonSyntaxError` at the first error. */
export function parsePython(source: string): Py {
  const tree = parser.parse(source);
  let error: number | null = null;
  tree.iterate({
    enter(n) {
      if (error !== null) return false;
      if (n.type.isError) error = n.from;
      return undefined;
    },
  });
  if (error !== null) {
    const start = source.lastIndexOf('\n', error - 1) + 1;
    const end = source.indexOf('\n', error);
    const lineText = source.slice(start, end === -1 ? undefined : end);
    throw new PythonSyntaxError(lineOf(source, error), error - start + 1, lineText);
  }
  return new Py(tree.topNode, source);
}
