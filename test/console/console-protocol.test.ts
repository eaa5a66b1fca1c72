import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConsoleFrame } from '../../src/console/console-protocol.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseConsoleFrame', () => {
  const message = {
    type: 'message',
    time: 1700000000000,
    topic: 'cmd/deviceID',
    payloadBase64: 'b24=',
    from: null,
  };

  it('reads a message, a direct delivery and the other frames', () => {
    assert.deepEqual(parseConsoleFrame(JSON.stringify(message)), {
      type: 'message',
      time: 1700000000000,
      topic: 'cmd/deviceID',
      payload: utf8('on'),
      size: 2,
      from: null,
      direct: false,
    });
    // The start of a long message, with its full length.
    const long = parseConsoleFrame(JSON.stringify({ ...message, size: 100_000_000 }));
    assert.equal(long?.type === 'message' && long.size, 100_000_000);
    assert.deepEqual(long?.type === 'message' && long.payload, utf8('on'));
    assert.deepEqual(parseConsoleFrame('{"type":"skipped","count":12}'), {
      type: 'skipped',
      count: 12,
    });
    const direct = { ...message, topic: '$creq/1', from: 'web', to: 'deviceID', direct: true };
    const parsed = parseConsoleFrame(JSON.stringify(direct));
    assert.equal(parsed?.type === 'message' && parsed.to, 'deviceID');
    assert.equal(parsed?.type === 'message' && parsed.direct, true);
    assert.deepEqual(parseConsoleFrame('{"type":"clients","online":["a","b"]}'), {
      type: 'clients',
      online: ['a', 'b'],
    });
    for (const type of ['takeover', 'connect', 'disconnect']) {
      assert.deepEqual(parseConsoleFrame(JSON.stringify({ type, clientId: 'a' })), {
        type,
        clientId: 'a',
      });
    }
  });

  it('drops frames it does not understand', () => {
    const bad = [
      'not json',
      'null',
      '[]',
      '"message"',
      '{}',
      '{"type":"launch"}',
      JSON.stringify({ ...message, time: '12:00' }),
      JSON.stringify({ ...message, time: null }),
      JSON.stringify({ ...message, topic: '' }),
      JSON.stringify({ ...message, payloadBase64: '%%' }),
      JSON.stringify({ ...message, payloadBase64: undefined }),
      JSON.stringify({ ...message, from: 7 }),
      JSON.stringify({ ...message, to: ['a'] }),
      JSON.stringify({ ...message, direct: 'yes' }),
      JSON.stringify({ ...message, size: '100' }),
      JSON.stringify({ ...message, size: 1 }),
      JSON.stringify({ ...message, size: 2.5 }),
      '{"type":"skipped","count":0}',
      '{"type":"skipped","count":"3"}',
      '{"type":"skipped"}',
      '{"type":"clients","online":[1]}',
      '{"type":"clients"}',
      '{"type":"takeover","clientId":""}',
      '{"type":"connect"}',
    ];
    for (const frame of bad) assert.equal(parseConsoleFrame(frame), null, frame);
  });
});
