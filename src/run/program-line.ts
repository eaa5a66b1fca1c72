/**
 * Where in a generated program an error was thrown. The program Worker runs the JavaScript that
 * sucrase made of the generated TypeScript as the body of `new AsyncFunction(...)`; sucrase keeps
 * every line where it was, so a line in V8's stack is the same line in the TypeScript.
 */

/** A generated program as the Worker runs it: the body of an async function. */
export type ProgramFunction = (
  require: (name: string) => unknown,
  exports: object,
) => Promise<void>;

/** The constructor of async functions, which has no global name. */
export const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...params: string[]
) => ProgramFunction;

/** `<anonymous>:LINE:COL`: how V8 names a position in code made by `new AsyncFunction`. */
const ANONYMOUS_FRAME = /<anonymous>:(\d+):\d+/g;

/** The lines of the positions in `stack` that lie in code made by `new AsyncFunction`. */
function anonymousLines(stack: unknown): number[] {
  if (typeof stack !== 'string') return [];
  return [...stack.matchAll(ANONYMOUS_FRAME)].map((match) => Number(match[1]));
}

/**
 * How many lines V8 puts before the body of `new AsyncFunction('require', 'exports', body)` (its
 * `async function anonymous(require,exports\n) {` header), measured once rather than assumed:
 * an async function's body runs synchronously up to its first `await`, so the probe's Error is
 * there at once.
 */
const BODY_LINE_OFFSET: number = (() => {
  const out: { error?: Error } = {};
  void new AsyncFunction('require', 'exports', 'exports.error = new Error("probe");')(
    () => null,
    out,
  );
  return (anonymousLines(out.error?.stack)[0] ?? 3) - 1;
})();

/**
 * The generated program's lines in `error`'s stack, innermost first (a helper's line, then the
 * line of the block that called it, …); a syntax error's own line when sucrase gives one.
 */
export function programLinesOf(error: unknown): number[] {
  if (typeof error !== 'object' || error === null) return [];
  // sucrase's syntax errors carry their position in `loc` (line counted from 1).
  const loc = (error as { loc?: { line?: unknown } }).loc;
  if (typeof loc?.line === 'number') return [loc.line];
  return anonymousLines((error as { stack?: unknown }).stack)
    .map((line) => line - BODY_LINE_OFFSET)
    .filter((line) => line >= 1);
}
