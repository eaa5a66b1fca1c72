/**
 * The line → block map. While generating, every statement block's code is wrapped in two
 * markers made of control characters; the quoting functions escape every control character in
 * a child's text, so a marker can only come from here. At the end the markers are stripped and
 * each output line is given the id of the innermost block that was open where its text starts.
 */

const OPEN = '\u0001';
const CLOSE = '\u0002';
// eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
const MARKER = /\u0001([^\u0001\u0002]*)\u0002/g;

/** A generated program and, for each of its lines, the id of the block that produced it. */
export interface GeneratedProgram {
  /** The program text. */
  code: string;
  /** `lineBlocks[n]` is the block id for line n + 1, or null for lines no block made. */
  lineBlocks: (string | null)[];
}

/**
 * Wraps `code` so the lines it becomes are attributed to block `id`. The closing marker goes
 * before the final newline, so Blockly's indenting of nested code never lands after it.
 */
export function markBlock(id: string, code: string): string {
  if (!code || id.includes(OPEN) || id.includes(CLOSE)) return code;
  const body = code.endsWith('\n') ? code.slice(0, -1) : code;
  return `${OPEN}${id}${CLOSE}${body}${OPEN}${CLOSE}${code.endsWith('\n') ? '\n' : ''}`;
}

/** Strips the markers out of `marked`, returning the clean program and its line → block map. */
export function extractLineMap(marked: string): GeneratedProgram {
  const lines: string[] = [];
  const lineBlocks: (string | null)[] = [];
  const open: string[] = [];
  let line = '';
  let owner: string | null | undefined;
  const emit = (text: string) => {
    const pieces = text.split('\n');
    pieces.forEach((piece, index) => {
      if (index > 0) {
        lines.push(line);
        lineBlocks.push(owner ?? open.at(-1) ?? null);
        line = '';
        owner = undefined;
      }
      if (owner === undefined && /[^ \t]/.test(piece)) owner = open.at(-1) ?? null;
      line += piece;
    });
  };
  let last = 0;
  for (const match of marked.matchAll(MARKER)) {
    emit(marked.slice(last, match.index));
    if (match[1]) open.push(match[1]);
    else open.pop();
    last = match.index + match[0].length;
  }
  emit(marked.slice(last));
  if (line) {
    lines.push(line);
    lineBlocks.push(owner ?? null);
  }
  // Tidy like Blockly does (no leading blank lines, no trailing spaces, one final newline),
  // keeping lines and their owners in step.
  while (lines.length && !lines[0].trim()) {
    lines.shift();
    lineBlocks.shift();
  }
  while (lines.length && !lines.at(-1)!.trim()) {
    lines.pop();
    lineBlocks.pop();
  }
  const code = lines.map((l) => l.trimEnd()).join('\n');
  return { code: code ? code + '\n' : '', lineBlocks };
}
