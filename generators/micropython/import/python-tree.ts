/**
 * MicroPython source as a tree, read with @lezer/python (a maintained Python grammar in plain
 * JavaScript, about 44 kB, that marks syntax errors as error nodes; tree-sitter's Python grammar
 * ships a 12 MB WebAssembly package). `Py` is a node with its source text at hand and without
 * punctuation, so importers read `call.args` instead of walking tokens. Parsing is in
 * `parse.ts`: importers use these helpers without loading the grammar (a board part's importer
 * is loaded with its blocks).
 */
import type { SyntaxNode } from '@lezer/common';

/** Punctuation and keywords that carry no meaning of their own in the tree. */
const TOKENS = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', 'Comment', 'AssignOp']);

/** A tree node with its source. */
export class Py {
  constructor(
    readonly node: SyntaxNode,
    readonly source: string,
  ) {}

  get type(): string {
    return this.node.name;
  }
  get from(): number {
    return this.node.from;
  }
  get to(): number {
    return this.node.to;
  }
  get text(): string {
    return this.source.slice(this.node.from, this.node.to);
  }

  /** Every child, tokens and comments included. */
  all(): Py[] {
    const out: Py[] = [];
    for (let c = this.node.firstChild; c; c = c.nextSibling) out.push(new Py(c, this.source));
    return out;
  }

  /** The children that mean something (no punctuation, no comments, no `=`). */
  get kids(): Py[] {
    return this.all().filter((c) => !TOKENS.has(c.type));
  }

  /** The first child of `type`. */
  child(type: string): Py | undefined {
    return this.all().find((c) => c.type === type);
  }

  /** The statements of a `Body` (or of the script). */
  get statements(): Py[] {
    return this.kids.filter((c) => c.type !== ':' && !/^[a-z]+$/.test(c.type));
  }

  /** The 1-based line this node starts on. */
  get line(): number {
    return lineOf(this.source, this.from);
  }
}

/** The 1-based line of `offset` in `source`. */
export function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** A call `f(a, b, k=v)`: its callee, positional arguments and keyword arguments. */
export interface Call {
  callee: Py;
  args: Py[];
  keywords: Map<string, Py>;
}

/** `node` as a call, or null. */
export function asCall(node: Py | undefined): Call | null {
  if (node?.type !== 'CallExpression') return null;
  const [callee, argList] = node.kids;
  if (!argList || argList.type !== 'ArgList') return null;
  const args: Py[] = [];
  const keywords = new Map<string, Py>();
  const parts = argList.all();
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (TOKENS.has(part.type)) continue;
    if (parts[i + 1]?.type === 'AssignOp' && part.type === 'VariableName') {
      keywords.set(part.text, parts[i + 2]);
      i += 2;
      continue;
    }
    if (part.type === '*' || part.type === '**') return null;
    args.push(part);
  }
  return { callee, args, keywords };
}

/** `node` without the parentheses around it (a tuple keeps them). */
export function unwrap(node: Py): Py {
  while (node.type === 'ParenthesizedExpression' && node.kids.length === 1) node = node.kids[0];
  return node;
}

/** The call `name(...)` or `object.name(...)` when `node` is one (an expression statement too). */
export function callNamed(node: Py | undefined, name: string): Call | null {
  if (node?.type === 'ExpressionStatement') node = node.kids[0];
  const call = asCall(node);
  return call && call.callee.text.replace(/\s+/g, '') === name ? call : null;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

/**
 * The value of a string or bytes literal (`"a\n"`, `'b'`, `b"\xe4"`, `"""x"""`), bytes decoded
 * as UTF-8; null for f-strings and anything else. Adjacent literals (`"a" "b"`) are joined.
 */
export function stringValue(node: Py): string | null {
  node = unwrap(node);
  if (node.type === 'ContinuedString') {
    const parts = node.kids.map(stringValue);
    return parts.every((p) => p !== null) ? parts.join('') : null;
  }
  if (node.type !== 'String' && node.type !== 'FormatString') return null;
  const match = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(node.text);
  if (!match || /f/i.test(match[1])) return null;
  const raw = /r/i.test(match[1]);
  const isBytes = /b/i.test(match[1]);
  const body = match[3];
  if (raw) return body;
  const bytes: number[] = [];
  const push = (text: string) => bytes.push(...new TextEncoder().encode(text));
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      push(String.fromCodePoint(code));
      if (code > 0xffff) i++;
      continue;
    }
    const next = body[++i];
    if (next === 'x') {
      const code = parseInt(body.slice(i + 1, i + 3), 16);
      if (isBytes) bytes.push(code);
      else push(String.fromCharCode(code));
      i += 2;
    } else if (!isBytes && (next === 'u' || next === 'U')) {
      const size = next === 'u' ? 4 : 8;
      push(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + size), 16)));
      i += size;
    } else if (next in ESCAPES) {
      push(ESCAPES[next]);
    } else {
      push('\\' + next);
    }
  }
  // Lone surrogates written as \ud800 come back as U+FFFD, as the generator writes them.
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Whether `node` is a bytes literal (`b"on"`). */
export function isBytes(node: Py): boolean {
  node = unwrap(node);
  return node.type === 'String' && /^[rR]?[bB]/.test(node.text);
}

/** The value of a number literal, with its sign (`-2.5`), or null. */
export function numberValue(node: Py): number | null {
  node = unwrap(node);
  if (node.type === 'UnaryExpression') {
    const [op, operand] = node.kids;
    // `-(-2.5)` is the negation of a number, not a number.
    const n = operand?.type === 'Number' ? numberValue(operand) : null;
    if (n === null || n === undefined) return null;
    return op.text === '-' ? -n : op.text === '+' ? n : null;
  }
  if (node.type !== 'Number') return null;
  const text = node.text.replace(/_/g, '');
  if (/[jJ]$/.test(text)) return null;
  const n = /^0[xob]/i.test(text) ? Number(text.toLowerCase()) : Number(text);
  return Number.isNaN(n) ? null : n;
}

/** The `Body` node's statements of a compound statement, in order (`if`/`elif`/`else` parts). */
export function bodies(node: Py): Py[] {
  return node.kids.filter((c) => c.type === 'Body');
}
