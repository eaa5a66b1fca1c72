// The message console's log as data, in Node: its limits, how a `cmd/<id>` send and its direct
// delivery become one line, and lines that are worded again in another language.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConsoleLog,
  MAX_LINE_CHARS,
  MAX_LOG_ENTRIES,
  entryText,
  type LogChange,
} from '../../src/console/console-log.ts';
import type { ConsoleEvent } from '../../src/console/console-protocol.ts';
import { en, zhHans } from '../../src/console/strings.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A message event as the console link hands it over. */
function message(
  topic: string,
  text: string,
  extra: Partial<ConsoleEvent & { type: 'message' }> = {},
): ConsoleEvent & { type: 'message' } {
  const payload = utf8(text);
  return {
    type: 'message',
    time: 1000,
    topic,
    payload,
    size: payload.length,
    from: null,
    direct: false,
    ...extra,
  };
}

const texts = (log: ConsoleLog) =>
  log.entries.map((entry) =>
    entry.kind === 'message' ? entry.payload.text : entryText(entry, 'en').text,
  );

describe('ConsoleLog', () => {
  it(`keeps the newest ${MAX_LOG_ENTRIES} entries, the oldest dropped first`, () => {
    const log = new ConsoleLog();
    for (let i = 0; i < MAX_LOG_ENTRIES + 30; i++) log.addMessage(message('count', `n${i}`));
    // Waiting entries are capped too (a hidden tab draws nothing for a while).
    assert.equal(log.pending.length, MAX_LOG_ENTRIES);
    const added = log.take();
    assert.equal(added.length, MAX_LOG_ENTRIES);
    assert.equal(log.pending.length, 0);
    log.addProgramLine({ kind: 'print', text: 'last' });
    log.take();
    assert.equal(log.entries.length, MAX_LOG_ENTRIES);
    assert.equal(texts(log)[0], 'n31');
    assert.equal(texts(log).at(-1), 'last');
  });

  it('cuts printed text to MAX_LINE_CHARS and counts what was left out', () => {
    const log = new ConsoleLog();
    const entry = log.addProgramLine({ kind: 'print', text: 'x'.repeat(MAX_LINE_CHARS + 10) });
    assert.equal(typeof entry.text, 'string');
    assert.equal((entry.text as string).length, MAX_LINE_CHARS);
    assert.deepEqual(entryText(entry, 'en'), {
      text: 'x'.repeat(MAX_LINE_CHARS),
      omittedChars: 10,
    });
    // Text worded later is cut when it is worded.
    const long = log.addProgramLine({ kind: 'error', text: () => 'y'.repeat(MAX_LINE_CHARS + 3) });
    assert.equal(entryText(long, 'en').omittedChars, 3);
  });

  it('keeps a print as printed and words sentences in the language asked for', () => {
    const log = new ConsoleLog();
    const printed = log.addProgramLine({ kind: 'print', text: 'on 亮' });
    const said = log.addProgramLine({
      kind: 'info',
      text: (language) => (language === 'en' ? 'Program started.' : '程序开始运行。'),
    });
    const info = log.addInfo('deviceOnline', { id: 'board-1' });
    assert.equal(entryText(printed, 'en').text, 'on 亮');
    assert.equal(entryText(printed, 'zh-hans').text, 'on 亮');
    assert.equal(entryText(said, 'en').text, 'Program started.');
    assert.equal(entryText(said, 'zh-hans').text, '程序开始运行。');
    assert.equal(entryText(info, 'en').text, en.deviceOnline.replace('{id}', 'board-1'));
    assert.equal(entryText(info, 'zh-hans').text, zhHans.deviceOnline.replace('{id}', 'board-1'));
  });

  it('puts the direct delivery of a cmd/<id> send inside the send’s line', () => {
    const log = new ConsoleLog();
    const changes: LogChange[] = [];
    log.listen((change) => changes.push(change));
    const sent = log.addMessage(message('cmd/board-1', 'on', { from: 'console-1' }))!;
    log.take();
    const delivery = message('board-1/cmd', 'on', {
      from: 'console-1',
      to: 'board-1',
      direct: true,
    });
    assert.equal(log.addMessage(delivery), null);
    assert.deepEqual(sent.delivered, { to: 'board-1', topic: 'board-1/cmd' });
    assert.deepEqual(changes.at(-1), { type: 'updated', entry: sent });
    // A second delivery of the same send has no line to go into: it gets its own.
    const own = log.addMessage(delivery)!;
    assert.equal(own.directTo, 'board-1');
    // A delivery that matches no send (another payload) is a line of its own too.
    assert.equal(
      log.addMessage({ ...delivery, payload: utf8('off'), size: 3 })!.directTo,
      'board-1',
    );
  });

  it('empties, and tells its listeners', () => {
    const log = new ConsoleLog();
    const changes: LogChange['type'][] = [];
    const stop = log.listen((change) => changes.push(change.type));
    log.addInfo('notSent');
    log.take();
    log.addInfo('notSent');
    assert.equal(log.empty, false);
    log.clear();
    assert.equal(log.empty, true);
    assert.deepEqual(log.entries, []);
    assert.deepEqual(log.pending, []);
    stop();
    log.addInfo('notSent');
    assert.deepEqual(changes, ['added', 'added', 'cleared']);
  });

  it('numbers entries so a line can be found again', () => {
    const log = new ConsoleLog();
    const ids = [
      log.addInfo('notSent').id,
      log.addMessage(message('a', 'b'))!.id,
      log.addProgramLine({ kind: 'print', text: 'c' }).id,
    ];
    assert.equal(new Set(ids).size, 3);
  });
});
