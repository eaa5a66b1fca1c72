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
      from: null,
      direct: false,
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
      '{"type":"clients","online":[1]}',
      '{"type":"clients"}',
      '{"type":"takeover","clientId":""}',
      '{"type":"connect"}',
    ];
    for (const frame of bad) assert.equal(parseConsoleFrame(frame), null, frame);
  });
});
