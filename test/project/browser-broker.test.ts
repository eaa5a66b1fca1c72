import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PUBLIC_BROKERS,
  brokerTarget,
  consoleUrl,
  isBrokerUrl,
  maskedBrokerUrl,
  shownBrokerUrl,
  withStoredPassword,
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

describe('broker addresses as shown and printed', () => {
  it('hides the password of a custom address and keeps the rest as typed', () => {
    const cases: [url: string, shown: string][] = [
      ['ws://teacher:s3cret@192.168.1.20:8080/mqtt', 'ws://teacher:•••@192.168.1.20:8080/mqtt'],
      ['wss://u:p@broker.example', 'wss://u:•••@broker.example'],
      // The userinfo ends at the last `@` before the path, so a password may hold an `@`.
      ['ws://u:p@ss@host:9001/mqtt', 'ws://u:•••@host:9001/mqtt'],
      ['ws://u:p%40ss@host/mqtt?x=1#y', 'ws://u:•••@host/mqtt?x=1#y'],
      // An empty username still carries a password.
      ['ws://:hunter2@host/mqtt', 'ws://:•••@host/mqtt'],
      // Unparsable because of a `/` in the password: hidden all the same.
      ['ws://u:pa/ss@host/mqtt', 'ws://u:•••@host/mqtt'],
      // Not a WebSocket address, still a password.
      ['mqtt://u:secret@host:1883', 'mqtt://u:•••@host:1883'],
    ];
    for (const [url, shown] of cases) assert.equal(maskedBrokerUrl(url), shown, url);
  });

  it('leaves addresses without a password exactly as they are', () => {
    for (const url of [
      'ws://localhost:8080/mqtt',
      'ws://user@host/mqtt',
      'ws://u:@host/mqtt',
      'ws://host:9001/mqtt@x',
      PUBLIC_BROKERS.emqx,
      '',
      'not a url',
    ]) {
      assert.equal(maskedBrokerUrl(url), url, url);
    }
  });

  it('shows a program’s address without the run’s secret, its password masked', () => {
    const cases: [string, string][] = [
      ['ws://127.0.0.1:8080/mqtt?run=ab6beeedd82dcd06', 'ws://127.0.0.1:8080/mqtt'],
      ['ws://u:p@host/mqtt?x=1&run=abc#y', 'ws://u:•••@host/mqtt?x=1#y'],
      ['ws://host/mqtt?x=run', 'ws://host/mqtt?x=run'],
      ['not a url', 'not a url'],
    ];
    for (const [url, shown] of cases) assert.equal(shownBrokerUrl(url), shown, url);
  });

  it('an edited masked address keeps the stored password unless a new one was typed', () => {
    const stored = 'ws://teacher:s3cret@192.168.1.20:8080/mqtt';
    assert.equal(withStoredPassword(maskedBrokerUrl(stored), stored), stored);
    assert.equal(
      withStoredPassword('ws://teacher:•••@192.168.1.21:8080/mqtt', stored),
      'ws://teacher:s3cret@192.168.1.21:8080/mqtt',
    );
    assert.equal(
      withStoredPassword('ws://teacher:new@192.168.1.20:8080/mqtt', stored),
      'ws://teacher:new@192.168.1.20:8080/mqtt',
    );
    assert.equal(withStoredPassword('ws://host/mqtt', stored), 'ws://host/mqtt');
    // Nothing stored to put back: the mask stays what was typed.
    assert.equal(
      withStoredPassword('ws://u:•••@host/mqtt', 'ws://host/mqtt'),
      'ws://u:•••@host/mqtt',
    );
  });
});
