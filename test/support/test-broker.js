/**
 * A real MQTT broker for browser tests: aedes 1.x behind a WebSocket listener at
 * `ws://127.0.0.1:<free port>/mqtt`, and a @web/test-runner plugin that starts it with the test
 * server and lets tests drive it through server commands (WTR `executeCommand`; from the page,
 * `serverCommand` in test/browser/server-command.ts):
 *
 *   broker-url                              → 'ws://127.0.0.1:PORT/mqtt'
 *   broker-publish     {topic, payload}     publishes from the broker side (payload: text or byte array)
 *   broker-deliver     {clientId, topic, payload}  delivers to one client that never subscribed,
 *                                           as OneNET delivers commands → true if it is connected
 *   broker-clients                          → {mqtt, sockets}: MQTT clients and open WebSockets
 *   broker-subscribers {topic}              → how many connected clients subscribe to exactly `topic`
 *   broker-messages    {topic}              → payloads (byte arrays) clients published on `topic`
 *   broker-login       {clientId}           → {username, password} of its last CONNECT, or false
 *   broker-restart                          drops every connection and starts a fresh broker
 *                                           (no sessions, no subscriptions) on the same port
 *
 * Username `wrong-user` is refused with "bad username or password", so tests can see that error.
 */
import { createServer } from 'node:http';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

/** The username the broker refuses (CONNACK return code 4). */
export const REFUSED_USERNAME = 'wrong-user';

const listen = (server, port) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });

const bytesOf = (payload) =>
  typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload ?? []);

/** Starts a broker on `port` (0: a free one). Resolves with handles to drive and inspect it. */
export async function startTestBroker(port = 0) {
  let broker;
  let server;
  let wss;
  /** topic → payloads (Buffers) published by clients. */
  const published = new Map();
  /** clientId → {username, password} of its last CONNECT. */
  const logins = new Map();
  /** clientId → subscribed topics, while the client is connected. */
  const subscriptions = new Map();

  async function start(atPort) {
    broker = await Aedes.createBroker({
      authenticate(client, username, password, done) {
        logins.set(client.id, {
          username: username ?? null,
          password: password?.toString() ?? null,
        });
        if (username === REFUSED_USERNAME) {
          const error = new Error('bad username or password');
          error.returnCode = 4;
          done(error, false);
        } else {
          done(null, true);
        }
      },
    });
    broker.on('publish', (packet, client) => {
      if (!client) return;
      const list = published.get(packet.topic) ?? [];
      list.push(Buffer.from(packet.payload));
      published.set(packet.topic, list);
    });
    broker.on('subscribe', (subs, client) => {
      const topics = subscriptions.get(client.id) ?? new Set();
      for (const sub of subs) topics.add(sub.topic);
      subscriptions.set(client.id, topics);
    });
    broker.on('unsubscribe', (topics, client) => {
      for (const topic of topics) subscriptions.get(client.id)?.delete(topic);
    });
    broker.on('clientDisconnect', (client) => subscriptions.delete(client.id));
    wss = new WebSocketServer({ noServer: true });
    server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/mqtt') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => broker.handle(createWebSocketStream(ws)));
    });
    // Right after a close the port can be briefly busy; a few tries cover it.
    for (let attempt = 0; ; attempt++) {
      try {
        return await listen(server, atPort);
      } catch (error) {
        if (error.code !== 'EADDRINUSE' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  async function stop() {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(() => resolve()));
    await new Promise((resolve) => broker.close(() => resolve()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
    subscriptions.clear();
  }

  const actualPort = await start(port);
  const url = `ws://127.0.0.1:${actualPort}/mqtt`;

  return {
    url,
    /** Publishes `payload` (text or bytes) on `topic` to every subscriber. */
    publish(topic, payload) {
      return new Promise((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: bytesOf(payload), qos: 0, retain: false, dup: false },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    },
    /** Sends a message to `clientId` whether or not it subscribed; false if it is not connected. */
    deliver(clientId, topic, payload) {
      const client = broker.clients[clientId];
      if (!client) return Promise.resolve(false);
      return new Promise((resolve, reject) =>
        client.publish(
          { cmd: 'publish', topic, payload: bytesOf(payload), qos: 0, retain: false, dup: false },
          (error) => (error ? reject(error) : resolve(true)),
        ),
      );
    },
    clients() {
      return { mqtt: broker.connectedClients, sockets: wss.clients.size };
    },
    subscribers(topic) {
      let count = 0;
      for (const [clientId, topics] of subscriptions) {
        if (broker.clients[clientId] && topics.has(topic)) count++;
      }
      return count;
    },
    messages(topic) {
      return (published.get(topic) ?? []).map((payload) => [...payload]);
    },
    login(clientId) {
      return logins.get(clientId) ?? false;
    },
    /** Drops every connection and starts a fresh, empty broker on the same port. */
    async restart() {
      await stop();
      await start(actualPort);
    },
    close: stop,
  };
}

/** A @web/test-runner plugin: the broker lives as long as the test server (see the top). */
export function testBrokerPlugin() {
  let brokerPromise;
  return {
    name: 'test-broker',
    async serverStart() {
      brokerPromise = startTestBroker();
      await brokerPromise;
    },
    async serverStop() {
      if (brokerPromise) await (await brokerPromise).close();
    },
    async executeCommand({ command, payload }) {
      if (!command.startsWith('broker-') || !brokerPromise) return undefined;
      const broker = await brokerPromise;
      switch (command) {
        case 'broker-url':
          return broker.url;
        case 'broker-publish':
          await broker.publish(payload.topic, payload.payload);
          return true;
        case 'broker-deliver':
          return broker.deliver(payload.clientId, payload.topic, payload.payload);
        case 'broker-clients':
          return broker.clients();
        case 'broker-subscribers':
          return broker.subscribers(payload.topic);
        case 'broker-messages':
          return broker.messages(payload.topic);
        case 'broker-login':
          return broker.login(payload.clientId);
        case 'broker-restart':
          await broker.restart();
          return true;
        default:
          return undefined;
      }
    },
  };
}
