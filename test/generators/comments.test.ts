// Block comments in both languages: how a comment's text is written (every line break starts a
// new comment line, hidden characters become escapes), where its lines go (above the block's code,
// owned by the block in the line map), and that a program full of hostile comments compiles and
// runs as the same program without them.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { pythonComment } from '../../generators/micropython/quote.ts';
import { typescriptComment } from '../../generators/typescript/quote.ts';
import { extractLineMap, markBlock } from '../../generators/line-map.ts';
import {
  connect,
  generateLines,
  onMessage,
  print,
  stack,
  txt,
  type BlockJson,
} from '../support/block-json.ts';
import { message, runOnBoard } from '../support/micropython-board.ts';
import { runTypeScript } from '../support/recording-runtime.ts';
import { typeCheck, diagnosticText } from '../support/type-check.ts';

registerBlocks();

/** [what, comment text, MicroPython lines, TypeScript lines] (the lines without `# ` / `// `). */
const WRITTEN: [string, string, string[], string[]?][] = [
  ['plain text', 'turn the lights on', ['turn the lights on']],
  ['a line feed', 'a\nb', ['a', 'b']],
  ['a carriage return', 'a\rb', ['a', 'b']],
  ['CRLF (one break)', 'a\r\nb', ['a', 'b']],
  ['LF CR (two breaks)', 'a\n\rb', ['a', '', 'b']],
  ['U+2028 and U+2029', 'a\u2028b\u2029c', ['a', 'b', 'c']],
  ['U+0085, vertical tab, form feed', 'a\u0085b\vc\fd', ['a', 'b', 'c', 'd']],
  ['file, group and record separators', 'a\u001cb\u001dc\u001ed', ['a', 'b', 'c', 'd']],
  ['a trailing line break', 'a\n', ['a', '']],
  ['NUL', 'a\u0000b', ['a\\x00b'], ['a\\u0000b']],
  [
    "the line map's markers",
    '\u0001id\u0002x\u0001\u0002',
    ['\\x01id\\x02x\\x01\\x02'],
    ['\\u0001id\\u0002x\\u0001\\u0002'],
  ],
  [
    'escape, DEL and C1 controls',
    '\u001b[1m\u007f\u009b',
    ['\\x1b[1m\\x7f\\x9b'],
    ['\\u001b[1m\\u007f\\u009b'],
  ],
  ['bidirectional controls', 'a\u202eb\u2066c\u200fd', ['a\\u202eb\\u2066c\\u200fd']],
  ['a BOM', '\ufeffa', ['\\ufeffa']],
  ['lone surrogates', 'a\ud800b\udc00', ['a\ufffdb\ufffd']],
  ['a tab (only space)', 'a\tb', ['a\tb']],
  ['quotes, backslashes and comment signs', `"'\`\\ # */ /* // """`, [`"'\`\\ # */ /* // """`]],
  ['Chinese', '打开灯：你好，世界。', ['打开灯：你好，世界。']],
  ['emoji and combining marks', '😀👨‍👩‍👧🇨🇳 e\u0301 👍🏽', ['😀👨‍👩‍👧🇨🇳 e\u0301 👍🏽']],
];

describe('block comments: the text', () => {
  for (const [what, text, python, typescript = python] of WRITTEN) {
    it(`${what}: one comment line per line, nothing hidden`, () => {
      assert.equal(pythonComment(text), python.map((line) => `# ${line}\n`).join(''));
      assert.equal(typescriptComment(text), typescript.map((line) => `// ${line}\n`).join(''));
    });
  }

  it('a marker in a comment is text, not a marker: the line map is unchanged', () => {
    const hostile = '\u0001evil\u0002\u0001\u0002';
    const marked = markBlock('b', pythonComment(hostile) + 'x = 1\n');
    const { code, lineBlocks } = extractLineMap(marked);
    assert.equal(code, '# \\x01evil\\x02\\x01\\x02\nx = 1\n');
    assert.deepEqual(lineBlocks, ['b', 'b']);
  });
});

/** A comment icon for a block. */
const note = (text: string) => ({ icons: { comment: { text } } });

/** A comment that would hide code in both languages if a line break ended it. */
const HOSTILE = 'note\rprint("hidden")\u2028print("hidden");\u0000\u0001x\u0002\ud800 #\r\n//';

/** Statement blocks with comments in every place: top level, in a handler, in an if, on values. */
function commentedProgram(comment: (where: string) => string | undefined): BlockJson[] {
  const with_ = (where: string, block: BlockJson): BlockJson => {
    const text = comment(where);
    return text === undefined ? block : { ...block, ...note(text) };
  };
  const main = stack(
    { ...connect(), id: 'connect' },
    with_('print-top', { ...print(txt('top')), id: 'print-top' }),
    with_('print-value', {
      ...print({
        block: with_('text-value', { type: 'text', id: 'text-value', fields: { TEXT: 'v' } }),
      }),
      id: 'print-value',
    }),
    with_('clear', { type: 'oled_clear', id: 'clear' }),
    { type: 'mqtt_listen_forever', id: 'listen' },
  );
  const handler = with_('handler', {
    ...onMessage(
      with_('if', {
        type: 'controls_if',
        id: 'if',
        inputs: {
          IF0: { block: { type: 'logic_boolean', fields: { BOOL: 'TRUE' } } },
          DO0: { block: with_('print-in-if', { ...print(txt('in if')), id: 'print-in-if' }) },
        },
      }),
      with_('print-in-handler', { ...print(txt('in handler')), id: 'print-in-handler' }),
    ),
    id: 'handler',
  });
  return [
    { ...main, x: 0, y: 0 },
    { ...handler, x: 0, y: 500 },
  ];
}

const LANGUAGES = [
  { name: 'MicroPython', generate: generateMicroPython, sign: '#' },
  { name: 'TypeScript', generate: generateTypeScript, sign: '//' },
] as const;

describe('block comments: where their lines go', () => {
  for (const { name, generate, sign } of LANGUAGES) {
    it(`${name}: each comment's lines are above its block's code and belong to the block`, () => {
      const commented = generateLines(
        generate,
        commentedProgram((where) => `about ${where}`),
      );
      const plain = generateLines(
        generate,
        commentedProgram(() => undefined),
      );
      const comments = commented.lines
        .map((line, n) => [line.trim(), commented.lineBlocks[n]] as const)
        .filter(([line]) => line.startsWith(sign));
      // The handler comes first in both programs (handlers before the main line).
      assert.deepEqual(comments, [
        [`${sign} about if`, 'if'],
        [`${sign} about print-in-if`, 'print-in-if'],
        [`${sign} about print-in-handler`, 'print-in-handler'],
        [`${sign} about print-top`, 'print-top'],
        // A value block's comment goes above the statement that holds it.
        [`${sign} about print-value`, 'print-value'],
        [`${sign} about text-value`, 'print-value'],
        [`${sign} about clear`, 'clear'],
      ]);
      // Each comment line is just before its block's first line of code, at its indentation.
      for (const [n, line] of commented.lines.entries()) {
        if (!line.trim().startsWith(sign)) continue;
        const below = commented.lines.slice(n + 1).find((l) => !l.trim().startsWith(sign))!;
        const indent = (l: string) => l.length - l.trimStart().length;
        assert.equal(indent(line), indent(below), `indentation of ${line}`);
      }
      // The code's lines and their blocks are those of the program without comments.
      const code = (g: typeof plain) =>
        g.lines
          .map((line, n) => [line, g.lineBlocks[n]] as const)
          .filter(([line]) => !line.trim().startsWith(sign));
      assert.deepEqual(code(commented), code(plain));
    });
  }

  it("a handler block's own comment is not written (the handler is a function elsewhere)", () => {
    for (const { generate, sign } of LANGUAGES) {
      const { lines } = generateLines(generate, [
        { ...onMessage(print(txt('x'))), ...note('on a handler') },
      ]);
      assert.equal(lines.filter((line) => line.includes(`${sign} on a handler`)).length, 0);
    }
  });
});

describe('block comments: hostile ones change nothing', () => {
  const script = [message('t', 'm')];
  const program = (withComments: boolean) =>
    commentedProgram((where) => (withComments ? `${HOSTILE} ${where}` : undefined));

  it('MicroPython compiles on the real interpreter and runs as without the comments', async () => {
    const commented = generateLines(generateMicroPython, program(true));
    const plain = generateLines(generateMicroPython, program(false));
    const [run, expected] = [
      await runOnBoard(commented.code, script),
      await runOnBoard(plain.code, script),
    ];
    assert.equal(expected.stdout, 'top\nv\nin if\nin handler\n');
    assert.equal(run.error, undefined, commented.code);
    assert.equal(run.stdout, expected.stdout);
    assert.deepEqual(run.trace, expected.trace);
  });

  it('TypeScript type-checks and runs as without the comments', async () => {
    const commented = generateLines(generateTypeScript, program(true));
    const plain = generateLines(generateTypeScript, program(false));
    const checked = typeCheck(new Map([['/comments/p.ts', commented.code]]));
    assert.deepEqual(checked.diagnostics.map(diagnosticText), []);
    const [run, expected] = [
      await runTypeScript(commented.code, script),
      await runTypeScript(plain.code, script),
    ];
    assert.equal(expected.stdout, 'top\nv\nin if\nin handler\n');
    assert.equal(run.error, undefined, commented.code);
    assert.equal(run.stdout, expected.stdout);
    assert.deepEqual(run.trace, expected.trace);
  });
});
