// Issue 14, row "Upgrades to other paths hang": `npm start`'s server answered nothing to an
// upgrade request for a path other than /mqtt and /console, and the socket stayed open for ever
// (CLOSE-WAIT once the client gave up), so one of them made Ctrl-C hang at "Stopping the studio…".
// Now every such request is answered 400 and closed, and Ctrl-C ends the studio with one open.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, ROOT, startTestStudio } from '../e2e/studio.ts';

const HOST = '127.0.0.1';

/** An upgrade request as curl sends it (`-H 'Connection: Upgrade' -H 'Upgrade: …'`). */
function upgradeRequest(port: number, path: string, protocol = 'websocket'): string {
  const websocket =
    protocol === 'websocket'
      ? 'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
      : '';
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: Upgrade\r\n` +
    `Upgrade: ${protocol}\r\n${websocket}\r\n`
  );
}

/**
 * Sends `request` on a new connection and resolves with everything the server wrote once it
 * closes the connection; rejects if it has not closed it by the deadline (the socket hangs).
 */
function answerAndClose(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST, () => socket.write(request));
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and close in ${DEADLINE} ms; got ${JSON.stringify(answer)}`));
    }, DEADLINE);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

describe('Upgrades to other paths hang', () => {
  let studio: Studio;

  before(async () => {
    ({ studio } = await startTestStudio());
  });

  after(() => studio?.close());

  for (const [path, protocol] of [
    ['/ws', 'websocket'],
    ['/', 'websocket'],
    ['/mqtt/more', 'websocket'],
    ['/assets/x.js', 'websocket'],
    ['/', 'h2c'],
    ['/mqtt', 'h2c'],
  ]) {
    it(`an upgrade to ${path} (${protocol}) is answered 400 and closed`, async () => {
      const answer = await answerAndClose(
        studio.httpPort,
        upgradeRequest(studio.httpPort, path, protocol),
      );
      assert.match(answer, /^HTTP\/1\.1 400 /, answer);
    });
  }

  it('the broker’s own paths still upgrade', async () => {
    const socket = connect(studio.httpPort, HOST);
    socket.write(upgradeRequest(studio.httpPort, '/mqtt'));
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    assert.match(chunk.toString('latin1'), /^HTTP\/1\.1 101 /);
    socket.destroy();
  });
});

describe('Ctrl-C with an upgrade to another path open', () => {
  const entry = fileURLToPath(new URL('../../src/server/start.js', import.meta.url));
  let child: ChildProcess | undefined;

  after(() => {
    // Only if a failed assertion left it running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('stops the studio', { timeout: 180_000 }, async () => {
    const started = spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    started.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = once(started, 'exit');
    const port = await new Promise<number>((resolve, reject) => {
      const check = () => {
        const line = output.match(/^Studio: http:\/\/[^:]+:(\d+)\/$/m);
        if (line) resolve(Number(line[1]));
      };
      started.stdout!.on('data', check);
      started.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });

    // The client never closes its side, as curl's -m5 leaves it until it gives up.
    const socket = connect(port, HOST, () => socket.write(upgradeRequest(port, '/ws')));
    socket.on('error', () => {});
    socket.resume();
    const closed = once(socket, 'close');
    // The page answers on another connection: the studio is up and reading requests.
    const page = await fetch(`http://${HOST}:${port}/`);
    assert.equal(page.status, 200);
    await page.arrayBuffer();

    started.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not stopped in ${DEADLINE} ms:\n${output}`)),
        DEADLINE,
      );
    });
    const [code, signal] = (await Promise.race([exited, deadline]).finally(() =>
      clearTimeout(timer),
    )) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, null, output);
    assert.equal(code, 0, output);
    assert.match(output, /^Stopping the studio…$/m);
    await closed;
  });
});
