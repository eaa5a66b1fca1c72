/**
 * A stand-in for the studio server's console WebSocket (`/console`), for browser tests of the
 * message console: a real `ws` server on a free loopback port that speaks the console protocol
 * (see src/console/console-protocol.ts), driven from tests through WTR server commands:
 *
 * - `console-server-start {online?}` → `{url}`: starts it (once) and forgets earlier frames;
 *   `online` is the `clients` list each new connection is sent first.
 * - `console-server-received` → the frames consoles sent, parsed (text that is not JSON as is).
 * - `console-server-push {frames}` → `{clients}`: sends each frame to every console; a string is
 *   sent as it is (so a test can send a malformed frame), anything else as JSON.
 * - `console-server-drop` → `{clients}`: cuts every console's connection, as a server restart would.
 *
 * Like the real server it echoes what consoles send: `publish` comes back as a `message` frame,
 * `send` as the `cmd/<clientId>` message plus its direct delivery on `$creq/<uuid>`.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';

/** A WTR plugin that owns one console test server, started on first use and closed with WTR. */
export function consoleTestServer() {
  /** @type {WebSocketServer | null} */
  let server = null;
  /** @type {unknown[]} */
  let received = [];
  /** @type {string[]} */
  let online = [];

  const url = () => `ws://127.0.0.1:${server.address().port}/console`;

  function broadcast(text) {
    let clients = 0;
    for (const socket of server?.clients ?? []) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      socket.send(text);
      clients++;
    }
    return clients;
  }

  const messageFrame = (topic, payloadText, extra = {}) =>
    JSON.stringify({
      type: 'message',
      time: Date.now(),
      topic,
      payloadBase64: Buffer.from(payloadText, 'utf8').toString('base64'),
      from: null,
      ...extra,
    });

  function onFrame(data, isBinary) {
    const text = data.toString('utf8');
    let frame;
    try {
      frame = isBinary ? text : JSON.parse(text);
    } catch {
      frame = text;
    }
    received.push(frame);
    if (frame?.type === 'publish') {
      broadcast(messageFrame(frame.topic, frame.payloadText));
    } else if (frame?.type === 'send') {
      // As the broker: the delivery carries the time and sender of the message it delivers.
      const time = Date.now();
      broadcast(messageFrame(`cmd/${frame.clientId}`, frame.payloadText, { time }));
      broadcast(
        messageFrame(`$creq/${randomUUID()}`, frame.payloadText, {
          time,
          to: frame.clientId,
          direct: true,
        }),
      );
    }
  }

  async function start() {
    if (server) return;
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/console' });
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'clients', online }));
      socket.on('message', onFrame);
    });
    await once(server, 'listening');
  }

  const commands = {
    async 'console-server-start'(payload) {
      await start();
      received = [];
      online = payload?.online ?? [];
      return { url: url() };
    },
    'console-server-received'() {
      return received;
    },
    'console-server-push'(payload) {
      let clients = 0;
      for (const frame of payload.frames) {
        clients = broadcast(typeof frame === 'string' ? frame : JSON.stringify(frame));
      }
      return { clients };
    },
    'console-server-drop'() {
      const clients = server?.clients.size ?? 0;
      for (const socket of server?.clients ?? []) socket.terminate();
      return { clients };
    },
  };

  return {
    name: 'console-test-server',
    /** Answers our commands; `undefined` lets WTR ask the next plugin. */
    async executeCommand({ command, payload }) {
      if (!Object.hasOwn(commands, command)) return undefined;
      return commands[command](payload);
    },
    async serverStop() {
      if (!server) return;
      for (const socket of server.clients) socket.terminate();
      await new Promise((resolve) => server.close(resolve));
      server = null;
    },
  };
}
