import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { payloadText } from '../../src/console/payload-text.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('payloadText', () => {
  const cases: [string, Uint8Array, string, boolean][] = [
    ['ASCII', utf8('on'), 'on', false],
    ['Chinese and emoji', utf8('亮 🌈'), '亮 🌈', false],
    [
      'HTML stays text',
      utf8('<img src=x onerror=alert(1)>'),
      '<img src=x onerror=alert(1)>',
      false,
    ],
    ['newlines and tabs kept', utf8('a\n\tb\r\n'), 'a\n\tb\r\n', false],
    ['empty', bytes(), '', false],
    ['a byte that is never UTF-8', bytes(0x61, 0xff, 0x62), 'a\\xFFb', true],
    ['a cut-off character', bytes(0x61, 0xe4, 0xba), 'a\\xE4\\xBA', true],
    ['an overlong slash', bytes(0xc0, 0xaf), '\\xC0\\xAF', true],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), '\\xED\\xA0\\x80', true],
    ['past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '\\xF4\\x90\\x80\\x80', true],
    ['valid text around a bad byte', bytes(0xe4, 0xba, 0xae, 0x80, 0x21), '亮\\x80!', true],
    ['control characters', bytes(0x00, 0x41, 0x1b, 0x7f), '\\x00A\\x1B\\x7F', true],
    ['a byte-order mark is kept', bytes(0xef, 0xbb, 0xbf, 0x41), '\ufeffA', false],
  ];
  for (const [name, input, text, binary] of cases) {
    it(name, () => assert.deepEqual(payloadText(input), { text, binary, omittedBytes: 0 }));
  }

  it('shows at most maxBytes, cutting between characters', () => {
    const input = utf8('ab亮亮');
    assert.deepEqual(payloadText(input, 4), { text: 'ab', binary: false, omittedBytes: 6 });
    assert.deepEqual(payloadText(input, 5), { text: 'ab亮', binary: false, omittedBytes: 3 });
  });

  it('counts the bytes the server left out of a long payload', () => {
    // The console sends pages a few kB of a long message, and its full length.
    const start = utf8('a'.repeat(4096));
    assert.deepEqual(payloadText(start, 2048, 100_000_000), {
      text: 'a'.repeat(2048),
      binary: false,
      omittedBytes: 100_000_000 - 2048,
    });
    assert.equal(payloadText(utf8('on'), 2048, 5).omittedBytes, 3);
    // A size smaller than what arrived is not believed.
    assert.equal(payloadText(utf8('on'), 2048, 1).omittedBytes, 0);
  });
});
