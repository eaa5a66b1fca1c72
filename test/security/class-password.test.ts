// Issue 14, row "No door at all", the people's side: with `CLASS_PASSWORD=…` the studio's pages
// ask for the class password once per browser (an HttpOnly, SameSite=Strict cookie), and the
// broker's WebSocket (/mqtt) and the console (/console) need that cookie; the TCP port for boards
// stays as open as a classroom broker usually is. Without a password everything is as before.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { buildIfStale } from '../../src/server/build.ts';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  ROOT,
  handshake,
  launchChromium,
  waitForOnline,
  waitForStudio,
} from '../e2e/studio.ts';

const HOST = '127.0.0.1';
const PASSWORD = 'apple tree 苹果';

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with exactly these headers and body. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The form post the password page makes. */
function postPassword(port: number, password: string, next = '/'): Promise<Response> {
  return send(
    port,
    'POST',
    '/class-password',
    { 'Content-Type': 'application/x-www-form-urlencoded', Origin: `http://${HOST}:${port}` },
    new URLSearchParams({ password, next }).toString(),
  );
}

describe('No door at all: the class password', () => {
  let studio: Studio;
  let port: number;

  before(async () => {
    await buildIfStale(ROOT, () => {});
    studio = await startStudio({
      root: ROOT,
      port: 0,
      mqttPort: 0,
      host: HOST,
      log: () => {},
      classPassword: PASSWORD,
    });
    port = studio.httpPort;
  });

  after(() => studio?.close());

  it('a page without the cookie is the password page, in Chinese and English', async () => {
    for (const path of ['/', '/index.html', '/src/help/', '/?example=onenet-rgb']) {
      const res = await send(port, 'GET', path);
      assert.equal(res.status, 401, path);
      assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /<form method="post" action="\/class-password">/);
      assert.match(res.body, /type="password"/);
      assert.match(res.body, /班级密码/);
      assert.match(res.body, /class password/i);
      assert.doesNotMatch(res.body, /<script/i);
      assert.doesNotMatch(res.body, /<iot-studio>/);
      // The page comes back to where the child was going.
      assert.ok(res.body.includes(`value="${path.replace('&', '&amp;')}"`), res.body);
    }
  });

  it('files and the program Worker without the cookie are refused', async () => {
    const res = await send(port, 'GET', '/assets/missing.js');
    assert.equal(res.status, 401);
  });

  it('a wrong password is told, and sets no cookie', async () => {
    const res = await postPassword(port, 'pear');
    assert.equal(res.status, 401);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.match(res.body, /不对/);
    assert.match(res.body, /not right/);
  });

  it('the right one sets an HttpOnly, SameSite=Strict cookie and goes back to the page', async () => {
    const res = await postPassword(port, PASSWORD, '/?example=onenet-rgb');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/?example=onenet-rgb');
    const [cookie] = res.headers['set-cookie'] ?? [];
    assert.ok(cookie, 'a cookie');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    assert.ok(!cookie.includes(PASSWORD) && !cookie.includes(encodeURIComponent(PASSWORD)));
    const pair = cookie.split(';')[0];
    const page = await send(port, 'GET', '/', { Cookie: pair });
    assert.equal(page.status, 200);
    assert.match(page.body, /<iot-studio>/);
  });

  it('goes back only to a page of the studio', async () => {
    for (const next of ['//evil.example/', 'http://evil.example/', '/\\evil.example', '']) {
      const res = await postPassword(port, PASSWORD, next);
      assert.equal(res.status, 303, next);
      assert.equal(res.headers.location, '/', next);
    }
  });

  it('another site cannot post the password form', async () => {
    const res = await send(
      port,
      'POST',
      '/class-password',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://evil.example' },
      new URLSearchParams({ password: PASSWORD, next: '/' }).toString(),
    );
    assert.equal(res.status, 403);
    assert.equal(res.headers['set-cookie'], undefined);
  });

  it('/mqtt and /console need the cookie; boards over TCP do not', async () => {
    const login = await postPassword(port, PASSWORD);
    const pair = login.headers['set-cookie']![0].split(';')[0];
    const origin = `http://${HOST}:${port}`;
    for (const path of ['/mqtt', '/console']) {
      const url = `ws://${HOST}:${port}${path}`;
      assert.equal(await handshake(url, { Origin: origin }), 401, path);
      assert.equal(await handshake(url, {}), 401, path);
      assert.equal(await handshake(url, { Origin: origin, Cookie: 'iot-blocks-class=x' }), 401);
      assert.equal(await handshake(url, { Origin: origin, Cookie: pair }), 101, path);
    }
    const board = await mqtt.connectAsync(`mqtt://${HOST}:${studio.mqttPort}`, {
      reconnectPeriod: 0,
      connectTimeout: DEADLINE,
    });
    assert.ok(board.connected);
    await board.endAsync();
  });

  describe('in Chromium', () => {
    let browser: Browser;

    before(async () => {
      browser = await launchChromium();
    });

    after(() => browser?.close());

    it('asks once per browser; then the studio runs a program on its broker', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${studio.url}?example=onenet-rgb`);
      const field = page.locator('input[type="password"]');
      await field.fill('pear');
      await field.press('Enter');
      await page.getByText('not right').waitFor({ timeout: DEADLINE });
      await page.locator('input[type="password"]').fill(PASSWORD);
      await page.locator('button[type="submit"]').click();
      await waitForStudio(page);
      await page.waitForURL((url) => !url.searchParams.has('example'), { timeout: DEADLINE });
      await page.locator('[data-action="run"]').click();
      await waitForOnline(page);
      const cookies = await context.cookies();
      assert.equal(cookies.length, 1);
      assert.equal(cookies[0].httpOnly, true);
      assert.equal(cookies[0].sameSite, 'Strict');

      // A second tab of the same browser goes straight to the studio.
      const second = await context.newPage();
      await second.goto(studio.url);
      await waitForStudio(second);
      await context.close();
    });
  });
});

describe('CLASS_PASSWORD for npm start', () => {
  const entry = fileURLToPath(new URL('../../src/server/start.js', import.meta.url));
  let child: ChildProcess | undefined;

  after(() => {
    // Only if a failed assertion left it running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('turns the password on, and says so', { timeout: 180_000 }, async () => {
    const started = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST, CLASS_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = once(started, 'exit');
    const httpPort = await new Promise<number>((resolve, reject) => {
      const check = () => {
        const line = output.match(/^Studio: http:\/\/[^:]+:(\d+)\/$/m);
        if (line && /class password/i.test(output)) resolve(Number(line[1]));
      };
      started.stdout!.on('data', check);
      started.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });
    assert.ok(!output.includes(PASSWORD), 'the password itself is not printed');
    assert.equal((await send(httpPort, 'GET', '/')).status, 401);
    assert.equal((await postPassword(httpPort, PASSWORD)).status, 303);
    started.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, output);
  });
});
