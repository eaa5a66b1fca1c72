// The studio server against a fixture dist/ (caching, precompressed files, busy ports), and
// `npm start`'s entry run as a teacher runs it: a child process against the real repository.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { isStale } from '../../src/server/build.ts';
import { pageToReturnTo } from '../../src/server/class-password.ts';
import { listenWithFallback } from '../../src/server/listen.ts';
import { parsePort } from '../../src/server/main.ts';
import { servedPath } from '../../src/server/program-worker-policy.ts';
import { QUIET_MS, ResourceAlarm } from '../../src/server/resource-alarm.ts';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';

const TIMEOUT = 10_000;
const HOST = '127.0.0.1';
const ASSET = 'assets/app-abc123.js';
const ASSET_TEXT = `export const greeting = ${JSON.stringify('你好, '.repeat(400))};\n`;
const HTML = '<!doctype html><html><body><iot-studio></iot-studio></body></html>\n';
const WORKER = 'assets/program-worker-Ab_1-c.js';
const WORKER_TEXT = `self.postMessage(${JSON.stringify('ready '.repeat(400))});\n`;

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'iot-blocks-studio-'));
  await mkdir(join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(join(root, 'dist', 'index.html'), HTML);
  await writeFile(join(root, 'dist', ASSET), ASSET_TEXT);
  await writeFile(join(root, 'dist', `${ASSET}.br`), brotliCompressSync(ASSET_TEXT));
  await writeFile(join(root, 'dist', `${ASSET}.gz`), gzipSync(ASSET_TEXT));
  await writeFile(join(root, 'dist', WORKER), WORKER_TEXT);
  await writeFile(join(root, 'dist', `${WORKER}.br`), brotliCompressSync(WORKER_TEXT));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with exactly the headers given (fetch would add Accept-Encoding and decompress). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, path, headers, timeout: TIMEOUT }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** A port held by a server of the test's own, as another program on the laptop would hold it. */
async function occupyPort(): Promise<Server> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  return server;
}

describe('startStudio', () => {
  let studio: Studio;
  const lines: string[] = [];

  before(async () => {
    studio = await startStudio({
      port: 0,
      mqttPort: 0,
      host: HOST,
      root,
      log: (line) => lines.push(line),
    });
  });

  after(() => studio.close());

  it('serves index.html with no-cache', async () => {
    const res = await get(studio.httpPort, '/');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.body.toString(), HTML);
  });

  it('serves hashed assets precompressed, cached for a year', async () => {
    const br = await get(studio.httpPort, `/${ASSET}`, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(String(br.headers['content-type']), /javascript/);
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.deepEqual(br.body, brotliCompressSync(ASSET_TEXT));

    const gz = await get(studio.httpPort, `/${ASSET}`, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');

    const plain = await get(studio.httpPort, `/${ASSET}`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), ASSET_TEXT);
  });

  it('answers 404 for a missing file', async () => {
    assert.equal((await get(studio.httpPort, '/nope.js')).status, 404);
  });

  it('prints its real ports', () => {
    assert.ok(studio.httpPort > 0 && studio.mqttPort > 0);
    assert.equal(studio.url, `http://${HOST}:${studio.httpPort}/`);
    assert.ok(lines.includes(`Studio: http://${HOST}:${studio.httpPort}/`), lines.join('\n'));
    assert.ok(lines.includes(`MQTT TCP: ${HOST}:${studio.mqttPort}`), lines.join('\n'));
  });

  it('accepts MQTT over TCP and over WebSocket on the page port', async () => {
    const board = await mqtt.connectAsync(`mqtt://${HOST}:${studio.mqttPort}`, {
      clientId: 'studio-board',
      reconnectPeriod: 0,
    });
    const page = await mqtt.connectAsync(`ws://${HOST}:${studio.httpPort}/mqtt`, {
      clientId: 'studio-page',
      reconnectPeriod: 0,
    });
    const received = new Promise<[string, Buffer]>((resolve) =>
      board.once('message', (topic, payload) => resolve([topic, payload])),
    );
    await page.publishAsync('cmd/studio-board', 'on');
    const [topic, payload] = await received;
    assert.match(topic, /^\$creq\//);
    assert.equal(payload.toString(), 'on');
    await Promise.all([board.endAsync(), page.endAsync()]);
  });
});

describe('the program Worker’s script', () => {
  let studio: Studio;
  const broker = encodeURIComponent('ws://127.0.0.1:8080/mqtt');

  before(async () => {
    studio = await startStudio({ port: 0, mqttPort: 0, host: HOST, root, log: () => {} });
  });

  after(() => studio.close());

  it('goes out with the policy for the broker it names, precompressed too', async () => {
    const br = await get(studio.httpPort, `/${WORKER}?broker=${broker}`, {
      'Accept-Encoding': 'br',
    });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.match(
      String(br.headers['content-security-policy']),
      /connect-src ws:\/\/127\.0\.0\.1:8080\/mqtt;/,
    );
    assert.equal((await get(studio.httpPort, `/${WORKER}`)).status, 400);
  });

  it('asked for by another path to the same file, it is judged the same', async () => {
    for (const path of [`/${WORKER}/`, `/${WORKER.replace('.js', '%2Ejs')}`]) {
      assert.equal((await get(studio.httpPort, path)).status, 400, path);
      const res = await get(studio.httpPort, `${path}?broker=${broker}`);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers['content-security-policy']), /connect-src ws:/, path);
    }
  });

  it('precompressed copies are not files of their own', async () => {
    assert.equal((await get(studio.httpPort, `/${WORKER}.br`)).status, 404);
    assert.equal((await get(studio.httpPort, `/${ASSET}.gz`)).status, 404);
  });

  it('servedPath is the path sirv looks up', () => {
    assert.equal(servedPath('/a/b.js?x=1#y'), '/a/b.js');
    assert.equal(servedPath('/a/b.js/'), '/a/b.js');
    assert.equal(servedPath('/a/b%2Ejs'), '/a/b.js');
    assert.equal(servedPath('/a/%E0%A4%A'), '/a/%E0%A4%A');
    assert.equal(servedPath('/'), '/');
    assert.equal(servedPath('/?broker=x'), '/');
  });
});

describe('the class password’s return address', () => {
  it('is a path of the studio, or /', () => {
    assert.equal(pageToReturnTo('/src/help/?x=1#rgb'), '/src/help/?x=1');
    for (const other of ['//evil.example/x', '/\\evil.example', 'http://evil.example/', '', null]) {
      assert.equal(pageToReturnTo(other), '/', String(other));
    }
  });
});

describe('resource shortages', () => {
  it('are one line, then quiet until a quiet minute has passed', () => {
    const lines: string[] = [];
    let now = 0;
    const alarm = new ResourceAlarm(
      (line) => lines.push(line),
      () => now,
    );
    const emfile = Object.assign(new Error('too many open files'), { code: 'EMFILE' });
    assert.equal(alarm.report(new Error('other')), false);
    for (let i = 0; i < 100; i++) {
      assert.equal(alarm.report(emfile), true);
      now += 1000;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^Out of file descriptors \(EMFILE\)/);
    now += QUIET_MS + 1;
    alarm.report(emfile);
    assert.equal(lines.length, 2);
  });

  it('a listening server’s errors are told, never thrown', async () => {
    const lines: string[] = [];
    const server = createServer();
    await listenWithFallback(server, {
      port: 0,
      host: HOST,
      what: 'Test port',
      log: (line) => lines.push(line),
    });
    try {
      server.emit('error', Object.assign(new Error('accept failed'), { code: 'ECONNABORTED' }));
      server.emit('error', Object.assign(new Error('too many open files'), { code: 'EMFILE' }));
      server.emit('error', Object.assign(new Error('too many open files'), { code: 'EMFILE' }));
      assert.equal(lines.length, 2, lines.join('\n'));
      assert.match(lines[0], /^Test port \d+: accept failed$/);
      assert.match(lines[1], /^Out of file descriptors/);
    } finally {
      server.close();
    }
  });
});

describe('busy ports', () => {
  it('says so in one line and uses another port', async () => {
    const [busyHttp, busyMqtt] = await Promise.all([occupyPort(), occupyPort()]);
    const httpBusy = (busyHttp.address() as AddressInfo).port;
    const mqttBusy = (busyMqtt.address() as AddressInfo).port;
    const lines: string[] = [];
    const studio = await startStudio({
      port: httpBusy,
      mqttPort: mqttBusy,
      host: HOST,
      root,
      log: (line) => lines.push(line),
    });
    try {
      assert.notEqual(studio.httpPort, httpBusy);
      assert.notEqual(studio.mqttPort, mqttBusy);
      const busyLines = lines.filter((line) => line.includes('busy'));
      assert.deepEqual(busyLines, [
        `Port ${httpBusy} is busy; using ${studio.httpPort} instead.`,
        `MQTT port ${mqttBusy} is busy; using ${studio.mqttPort} instead.`,
      ]);
      assert.equal((await get(studio.httpPort, '/')).status, 200);
      assert.ok(lines.includes(`Studio: http://${HOST}:${studio.httpPort}/`));
    } finally {
      await studio.close();
      busyHttp.close();
      busyMqtt.close();
    }
  });

  it('refuses to start without a built dist/, in words', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'iot-blocks-empty-'));
    try {
      await assert.rejects(
        startStudio({ port: 0, mqttPort: 0, host: HOST, root: empty }),
        /not built/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('isStale', () => {
  it('is true without a build, or when a page source is newer; src/server/ does not count', async () => {
    const project = await mkdtemp(join(tmpdir(), 'iot-blocks-stale-'));
    try {
      await mkdir(join(project, 'src', 'server'), { recursive: true });
      await mkdir(join(project, 'blocks'));
      await writeFile(join(project, 'src', 'main.ts'), '');
      await writeFile(join(project, 'blocks', 'io.json'), '{}');
      assert.equal(isStale(project), true, 'no dist/index.html');
      await mkdir(join(project, 'dist'));
      await writeFile(join(project, 'dist', 'index.html'), HTML);
      const past = new Date(Date.now() - 60_000);
      await utimes(join(project, 'src', 'main.ts'), past, past);
      await utimes(join(project, 'blocks', 'io.json'), past, past);
      assert.equal(isStale(project), false);
      await writeFile(join(project, 'src', 'server', 'main.ts'), '');
      assert.equal(isStale(project), false, 'the server is not part of the page');
      await writeFile(join(project, 'blocks', 'io.json'), '{"changed":true}');
      const future = new Date(Date.now() + 60_000);
      await utimes(join(project, 'blocks', 'io.json'), future, future);
      assert.equal(isStale(project), true, 'a block file changed');
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});

describe('parsePort', () => {
  it('takes 0–65535, defaults when unset and explains anything else', () => {
    assert.equal(parsePort('PORT', undefined, 8080), 8080);
    assert.equal(parsePort('PORT', '', 8080), 8080);
    assert.equal(parsePort('PORT', '0', 8080), 0);
    assert.equal(parsePort('MQTT_PORT', '1884', 1883), 1884);
    for (const bad of ['abc', '-1', '65536', '80.5', '0x50']) {
      assert.match(String(parsePort('PORT', bad, 8080)), /^PORT must be a port number/);
    }
  });
});

describe('npm start (src/server/start.js)', () => {
  const entry = fileURLToPath(new URL('../../src/server/start.js', import.meta.url));
  let child: ChildProcess | undefined;

  after(() => {
    // Only if a failed assertion left it running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it(
    'builds if needed, serves the studio and a broker, and stops on SIGTERM',
    { timeout: 180_000 },
    async () => {
      const started = spawn(process.execPath, [entry], {
        cwd: tmpdir(),
        env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      let output = '';
      started.stdout!.on('data', (chunk: Buffer) => (output += chunk));
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      const exited = once(started, 'exit');

      // Building dist/ from scratch takes a while on a slow machine.
      const ports = await new Promise<{ http: number; mqtt: number }>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no Studio line in 120 s:\n${output}`)),
          120_000,
        );
        const check = () => {
          const studioLine = output.match(/^Studio: http:\/\/[^:]+:(\d+)\/$/m);
          const mqttLine = output.match(/^MQTT TCP: [^\n]+:(\d+)$/m);
          if (!studioLine || !mqttLine) return;
          clearTimeout(timer);
          started.stdout!.off('data', check);
          resolve({ http: Number(studioLine[1]), mqtt: Number(mqttLine[1]) });
        };
        started.stdout!.on('data', check);
        started.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });
      assert.match(output, /^(Building the studio…|Studio is up to date\.)$/m);

      // The build wrote Brotli and gzip copies of the large scripts next to them.
      const assets = await readdir(fileURLToPath(new URL('../../dist/assets', import.meta.url)));
      assert.ok(
        assets.some((name) => name.endsWith('.js.br')),
        assets.join(),
      );
      assert.ok(
        assets.some((name) => name.endsWith('.js.gz')),
        assets.join(),
      );

      const page = await get(ports.http, '/');
      assert.equal(page.status, 200);
      assert.ok(page.body.toString().includes('<iot-studio>'), page.body.toString());

      const board = await mqtt.connectAsync(`mqtt://${HOST}:${ports.mqtt}`, {
        clientId: 'start-test-board',
        reconnectPeriod: 0,
        connectTimeout: TIMEOUT,
      });
      assert.ok(board.connected);
      await board.endAsync();

      started.kill('SIGTERM');
      const [code, signal] = await exited;
      assert.equal(signal, null, output);
      assert.equal(code, 0, output);
    },
  );
});
