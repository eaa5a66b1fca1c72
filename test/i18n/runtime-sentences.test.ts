// Runtime sentences as data: what the Worker posts beside an error's or a notice's text so the
// page can word it again in the language a child switches to.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  SentenceError,
  runtimeStringMaps,
  sentence,
  sentenceOf,
  setRuntimeLanguage,
  wordSentence,
} from '../../src/runtime/strings.ts';

describe('runtime sentences', () => {
  afterEach(() => setRuntimeLanguage('en'));

  it('words a sentence, with a sentence among its values, in either language', () => {
    const said = sentence('connectFirst', sentence('actionPublish'));
    for (const language of ['en', 'zh-hans'] as const) {
      const words = runtimeStringMaps[language];
      assert.equal(wordSentence(said, language), words.connectFirst(words.actionPublish));
    }
    assert.equal(
      wordSentence(sentence('brokerTimedOut', 'ws://x/mqtt', 10), 'zh-hans'),
      runtimeStringMaps['zh-hans'].brokerTimedOut('ws://x/mqtt', 10),
    );
  });

  it('survives being posted (structured clone) as plain data', () => {
    const said = sentence('ledIndex', '4');
    assert.deepEqual(structuredClone(said), said);
    assert.equal(wordSentence(structuredClone(said), 'en'), runtimeStringMaps.en.ledIndex('4'));
  });

  it('gives an error its message in the run’s language, and its sentence back', () => {
    setRuntimeLanguage('zh-hans');
    const error = new SentenceError(sentence('clientIdEmpty'));
    assert.equal(error.message, runtimeStringMaps['zh-hans'].clientIdEmpty);
    assert.deepEqual(sentenceOf(error), { key: 'clientIdEmpty', args: [] });
  });

  it('finds the sentence of an error thrown again with the same message, and no other', () => {
    const first = new SentenceError(sentence('subscribeRefused', 'room'));
    assert.deepEqual(sentenceOf(new Error(first.message, { cause: first })), first.sentence);
    // Another message around it (the program's own error) is not that sentence.
    assert.equal(sentenceOf(new Error('boom', { cause: first })), undefined);
    assert.equal(sentenceOf(new TypeError('x is not a function')), undefined);
    assert.equal(sentenceOf('text'), undefined);
  });
});
