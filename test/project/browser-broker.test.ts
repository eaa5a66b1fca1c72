import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PUBLIC_BROKERS,
  brokerTarget,
  consoleUrl,
  isBrokerUrl,
} from '../../src/project/browser-broker.ts';

describe('browser broker setting', () => {
  it('the embedded broker is /mqtt on the page’s own origin, ws or wss to match', () => {
    assert.deepEqual(brokerTarget({ kind: 'embedded' }, 'http://192.168.1.20:8080/'), {
      url: 'ws://192.168.1.20:8080/mqtt',
      sendCredentials: true,
    });
    assert.equal(
      brokerTarget({ kind: 'embedded' }, 'https://school.example/').url,
      'wss://school.example/mqtt',
    );
    assert.equal(consoleUrl('http://localhost:5173/?x=1'), 'ws://localhost:5173/console');
  });

  it('credentials never go to a public preset, but do go to a custom address', () => {
    for (const preset of Object.keys(PUBLIC_BROKERS) as (keyof typeof PUBLIC_BROKERS)[]) {
      const target = brokerTarget({ kind: 'preset', preset }, 'http://localhost/');
      assert.equal(target.sendCredentials, false, preset);
      assert.ok(target.url.startsWith('wss://'), preset);
    }
    assert.equal(
      brokerTarget({ kind: 'custom', url: 'ws://pi.local:9001' }, 'http://x/').sendCredentials,
      true,
    );
  });

  it('only ws:// and wss:// addresses are broker URLs', () => {
    assert.ok(isBrokerUrl('ws://localhost:9001'));
    assert.ok(isBrokerUrl('wss://broker.emqx.io:8084/mqtt'));
    for (const bad of ['http://localhost', 'localhost:1883', '', 'mqtt://x']) {
      assert.equal(isBrokerUrl(bad), false, bad);
    }
  });
});
