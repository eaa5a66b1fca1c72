// Issue 14, row "Headers": `curl -sI localhost:8080/` showed only `nosniff`. Now the studio's
// pages say that no other site may frame them and that their addresses go in a Referer to the
// studio only, and the program Worker's script comes with a policy that lets it reach only the
// broker named in its address (checked: anything but a plain ws:/wss: address is refused).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { Studio } from '../../src/server/studio-server.ts';
import { ROOT, startTestStudio } from '../e2e/studio.ts';

const HOST = '127.0.0.1';

/** `curl -sI`: a HEAD request's status and headers. */
function head(
  port: number,
  path: string,
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, method: 'HEAD' }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A CSP header as a map from directive to its sources. */
function directives(csp: string | string[] | undefined): Map<string, string[]> {
  assert.equal(typeof csp, 'string', 'one Content-Security-Policy header');
  return new Map(
    (csp as string)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

describe('Headers', () => {
  let studio: Studio;
  let worker: string;

  before(async () => {
    ({ studio } = await startTestStudio());
    const assets = await readdir(join(ROOT, 'dist', 'assets'));
    const name = assets.find((file) => /^program-worker-[\w-]+\.js$/.test(file));
    assert.ok(name, `no program worker in dist/assets: ${assets.join(' ')}`);
    worker = `/assets/${name}`;
  });

  after(() => studio?.close());

  for (const path of ['/', '/index.html', '/src/help/', '/assets/x-missing.js']) {
    it(`${path}: no framing by other sites, no Referer to them, nosniff`, async () => {
      const { headers } = await head(studio.httpPort, path);
      const csp = directives(headers['content-security-policy']);
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('object-src'), ["'none'"]);
      assert.deepEqual(csp.get('base-uri'), ["'self'"]);
      // Blockly adds <style> elements: styles are not restricted.
      assert.equal(csp.has('style-src'), false);
      assert.equal(csp.has('default-src'), false);
      assert.equal(headers['referrer-policy'], 'same-origin');
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['x-frame-options'], 'DENY');
    });
  }

  it('the program Worker may reach only the broker its address names', async () => {
    for (const broker of [
      'ws://127.0.0.1:8080/mqtt',
      'wss://broker.emqx.io:8084/mqtt',
      'ws://classroom.example/mqtt',
    ]) {
      const res = await head(studio.httpPort, `${worker}?broker=${encodeURIComponent(broker)}`);
      assert.equal(res.status, 200, broker);
      const csp = directives(res.headers['content-security-policy']);
      assert.deepEqual(csp.get('connect-src'), [broker], broker);
      assert.deepEqual(csp.get('script-src'), ["'self'", "'unsafe-eval'"]);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
    }
  });

  it('a broker address is written so that it cannot add to the policy', async () => {
    const broker = 'ws://h:1/a;b,c%20d%3Be';
    const res = await head(studio.httpPort, `${worker}?broker=${encodeURIComponent(broker)}`);
    assert.equal(res.status, 200);
    const csp = directives(res.headers['content-security-policy']);
    assert.deepEqual(csp.get('connect-src'), ['ws://h:1/a%3Bb%2Cc%20d%3Be']);
  });

  it('the program Worker without a well-formed ws:/wss: broker is refused', async () => {
    for (const query of [
      '',
      '?broker=',
      `?broker=${encodeURIComponent('http://127.0.0.1:8080/mqtt')}`,
      `?broker=${encodeURIComponent('javascript:alert(1)')}`,
      `?broker=${encodeURIComponent('ws://user:secret@127.0.0.1:8080/mqtt')}`,
      `?broker=${encodeURIComponent('ws://*/mqtt')}`,
      `?broker=${encodeURIComponent('ws://x/mqtt#frag')}`,
      `?broker=${encodeURIComponent('ws:///mqtt')}`,
      // Chromium cannot name an IPv6 address in a policy.
      `?broker=${encodeURIComponent('ws://[::1]:8080/mqtt')}`,
      `?broker=a&broker=b`,
      `?broker=${encodeURIComponent('ws://127.0.0.1:8080/mqtt?x=1')}`,
    ]) {
      const res = await head(studio.httpPort, `${worker}${query}`);
      assert.equal(res.status, 400, query);
    }
  });
});
