// Issue 14, row "Out of file descriptors crashes the process": with every descriptor taken (by
// boards and pages), sirv's read stream for a page's file emitted EMFILE with no 'error' listener,
// and the uncaught error ended the process: the classroom's broker was gone. `npm start` runs
// here as a child under `ulimit -n 64`; MQTT connections take every descriptor left, then pages
// ask for files on connections opened before. The studio says so in one line, and serves again
// once the connections are gone.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../../src/server/build.ts';
import { DEADLINE, ROOT } from '../e2e/studio.ts';

const HOST = '127.0.0.1';
/** How many connections ask for a file while no descriptor is left. */
const PAGES = 8;
/** MQTT CONNECT, protocol 3.1.1, clean session, no keep-alive, empty client ID. */
const CONNECT = Buffer.from([
  0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00,
]);

/** A connection that has sent one request and reads its answers. */
interface HttpConnection {
  socket: Socket;
  /** Everything received so far. */
  received: () => string;
  closed: Promise<unknown>;
}

function openHttp(port: number): Promise<HttpConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.once('connect', () =>
      resolve({ socket, received: () => text, closed: once(socket, 'close') }),
    );
    socket.once('error', reject);
  });
}

/** Resolves once `connection` has received a whole response to its first request. */
async function wholeResponse(connection: HttpConnection): Promise<void> {
  const end = Date.now() + DEADLINE;
  for (;;) {
    const text = connection.received();
    const headerEnd = text.indexOf('\r\n\r\n');
    const length = /\r\ncontent-length: (\d+)/i.exec(text)?.[1];
    if (headerEnd >= 0 && length && text.length >= headerEnd + 4 + Number(length)) return;
    if (connection.socket.destroyed) throw new Error(`closed after ${JSON.stringify(text)}`);
    if (Date.now() > end) throw new Error(`no whole response: ${JSON.stringify(text)}`);
    await once(connection.socket, 'data');
  }
}

/**
 * An MQTT connection over TCP: resolves with the socket once the broker answered CONNACK, or
 * null when the server closed it unanswered (it had no descriptor to take it with).
 */
function mqttConnection(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST, () => socket.write(CONNECT));
    socket.on('error', () => {});
    socket.once('data', () => resolve(socket));
    socket.once('close', () => resolve(null));
  });
}

/** GET `path` on a new connection; the status, or the error's code when it failed. */
async function status(port: number, path: string): Promise<number | string> {
  try {
    const res = await fetch(`http://${HOST}:${port}${path}`, { headers: { Connection: 'close' } });
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
}

describe('Out of file descriptors crashes the process', () => {
  const entry = fileURLToPath(new URL('../../src/server/start.js', import.meta.url));
  let child: ChildProcess | undefined;
  const boards: Socket[] = [];

  after(() => {
    for (const socket of boards) socket.destroy();
    // Only if a failed assertion left it running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it(
    'prints one line, and serves again when descriptors are back',
    { timeout: 240_000 },
    async () => {
      await buildIfStale(ROOT, () => {});
      const assets = await readdir(join(ROOT, 'dist', 'assets'));
      const asset = assets.find((name) => /^studio-[\w-]+\.js$/.test(name));
      assert.ok(asset, assets.join(' '));

      const started = spawn(
        'bash',
        ['-c', 'ulimit -n 64 && exec "$0" "$1"', process.execPath, entry],
        {
          cwd: ROOT,
          env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      child = started;
      let output = '';
      started.stdout!.on('data', (chunk: Buffer) => (output += chunk));
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk));
      const exited = once(started, 'exit');
      const ports = await new Promise<{ http: number; mqtt: number }>((resolve, reject) => {
        const check = () => {
          const http = output.match(/^Studio: http:\/\/[^:]+:(\d+)\/$/m);
          const mqtt = output.match(/^MQTT TCP: [^\n]+:(\d+)$/m);
          if (http && mqtt) resolve({ http: Number(http[1]), mqtt: Number(mqtt[1]) });
        };
        started.stdout!.on('data', check);
        started.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
      });

      // Pages that were already open: each connection has had one answer and stays open.
      const pages = await Promise.all(Array.from({ length: PAGES }, () => openHttp(ports.http)));
      for (const page of pages)
        page.socket.write(`GET /no-such-file HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      await Promise.all(pages.map(wholeResponse));

      // Boards connect until the studio has no descriptor left for one more.
      for (;;) {
        const board = await mqttConnection(ports.mqtt);
        if (!board) break;
        boards.push(board);
        assert.ok(boards.length < 1000, 'the studio took 1000 connections under ulimit -n 64');
      }

      // Now each page asks for a file.
      for (const page of pages) {
        page.socket.write(
          `GET /assets/${asset} HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`,
        );
      }
      await Promise.all(pages.map((page) => page.closed));
      assert.equal(started.exitCode, null, `the studio ended:\n${output}`);

      for (const socket of boards.splice(0)) socket.destroy();
      const end = Date.now() + DEADLINE;
      for (;;) {
        const last = await status(ports.http, `/assets/${asset}`);
        if (last === 200) break;
        assert.equal(started.exitCode, null, `the studio ended:\n${output}`);
        assert.ok(Date.now() < end, `not serving again in ${DEADLINE} ms (${last}):\n${output}`);
      }
      assert.equal(await status(ports.http, '/'), 200);
      const board = await mqttConnection(ports.mqtt);
      assert.ok(board, 'a board connects again');
      board.destroy();

      const lines = output.split('\n').filter((line) => /descriptor/i.test(line));
      assert.equal(lines.length, 1, output);
      assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');

      started.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, output);
    },
  );
});
