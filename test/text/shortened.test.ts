// Text cut for the virtual board's screen and the message console: never half an emoji.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortened } from '../../src/text/shortened.ts';

describe('shortened', () => {
  const cases: [name: string, text: string, max: number, expected: string][] = [
    ['short text as it is', 'hello', 5, 'hello'],
    ['long text cut at max', 'hello world', 5, 'hello'],
    ['an emoji across the cut is left out whole', 'ab😀cd', 3, 'ab'],
    ['an emoji ending at the cut is kept', 'ab😀cd', 4, 'ab😀'],
    ['Chinese is one unit a character', '你好世界', 2, '你好'],
  ];
  for (const [name, text, max, expected] of cases) {
    it(name, () => assert.equal(shortened(text, max), expected));
  }
});
