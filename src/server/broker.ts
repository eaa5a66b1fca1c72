/**
 * The classroom broker: aedes with OneNET-style command delivery, a tap that reports every message
 * and client for the console panel, MQTT over WebSocket (browsers) and over TCP (boards).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesOptions, type AedesPublishPacket, type Client } from 'aedes';
import mqttMatch from 'mqtt-match';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import { commandTopic, onenetProductId, platformAnswer } from '../onenet/platform.ts';
import { ConsoleChannel } from './console-channel.ts';
import { listenWithFallback } from './listen.ts';

/** One message through the broker, as the tap reports it. */
export interface TapMessage {
  /** When the broker handled it (ms since the epoch). */
  time: number;
  topic: string;
  payload: Buffer;
  /** The publishing client's ID, or null when the server itself published. */
  from: string | null;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Set on direct deliveries: the client ID the `$creq/…` message went to. */
  to?: string;
  /** True for a OneNET-style direct delivery of a `cmd/<clientId>` message. */
  direct?: boolean;
}

/** The tap's events and their arguments. */
export interface BrokerEvents {
  message: [message: TapMessage];
  connect: [clientId: string];
  disconnect: [clientId: string];
  /** A new connection took over a client ID that was connected; the earlier one was closed. */
  takeover: [clientId: string];
  /** The online client IDs, after every connect and disconnect. */
  clients: [online: string[]];
}

/** Options of createBroker. */
export interface BrokerOptions {
  /** Where the broker's few lines (takeovers, busy ports, errors) go; console.log by default. */
  log?: (line: string) => void;
  /** Passed on to aedes (timeouts, limits). */
  aedes?: AedesOptions;
}

/** What aedes keeps on the instance and the client but leaves out of its typings. */
interface AedesInternals {
  /** Connected (registered) clients by ID; `Object.create(null)`, so any key is safe. */
  clients: Record<string, Client>;
}
interface ClientInternals {
  /** The client's subscriptions keyed by topic filter (lib/handlers/subscribe.js, addSubs). */
  subscriptions: Record<string, unknown>;
}

/** The topic prefix whose messages also go straight to the client named after it. */
const COMMAND_PREFIX = 'cmd/';

/** aedes's own announcements (heartbeat, new clients…): broker chatter, not classroom traffic. */
const SYS_PREFIX = '$SYS/';

/** Why a topic cannot be published from the server side, or null when it can. */
export function topicProblem(topic: string): string | null {
  if (topic === '') return 'the topic is empty';
  if (/[+#]/.test(topic)) return 'a topic to publish on cannot contain + or #';
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (topic.startsWith(SYS_PREFIX)) return '$SYS/ topics are reserved for the broker';
  if (Buffer.byteLength(topic) > 65535) return 'the topic is longer than 65535 bytes';
  return null;
}

/** "ip:port" of the client's connection, for log lines. */
function addressOf(client: Client): string {
  const socket = (client.req?.socket ?? client.conn) as Partial<Socket>;
  const ip = socket.remoteAddress?.replace(/^::ffff:/, '');
  return ip ? `${ip}${socket.remotePort ? `:${socket.remotePort}` : ''}` : 'an unknown address';
}

/** The embedded broker; create it with createBroker(). Its events are the tap. */
export class StudioBroker extends EventEmitter<BrokerEvents> {
  readonly #log: (line: string) => void;
  readonly #clients: Record<string, Client>;
  /** Connections that, while connecting, found their client ID already connected. */
  readonly #takingOver = new WeakSet<Client>();
  /** Clients logged in as a device of OneNET's current platform: its product, commands unanswered. */
  readonly #onenet = new WeakMap<Client, { productId: string; pending: Set<string> }>();
  readonly #tcpServers = new Set<NetServer>();
  readonly #sockets = new Set<Socket>();
  readonly #detachers = new Set<() => void>();
  #closing: Promise<void> | null = null;

  /** Use createBroker(); this wires the tap to an already listening aedes. */
  constructor(
    readonly aedes: Aedes,
    log: (line: string) => void,
  ) {
    super();
    this.#log = log;
    this.#clients = (aedes as unknown as AedesInternals).clients;
    const authenticate = aedes.authenticate; // aedes's default, or one given in options.aedes
    aedes.authenticate = (client, username, password, done) => {
      // aedes closes the earlier connection only later, in registerClient; note it here, where
      // the new connection's ID is known and the earlier one is still registered.
      const earlier = this.#clients[client.id];
      if (earlier && earlier !== client && !earlier.closed) this.#takingOver.add(client);
      const productId = onenetProductId(client.id, username, password);
      if (productId) this.#onenet.set(client, { productId, pending: new Set() });
      authenticate.call(aedes, client, username, password, done);
    };
    aedes.on('publish', (packet, client) => this.#onPublish(packet, client));
    aedes.on('client', (client) => this.#onClient(client));
    aedes.on('clientDisconnect', (client) => {
      this.emit('disconnect', client.id);
      this.emit('clients', this.online());
    });
    // An 'error' without a listener would end the process (persistence failures land here);
    // aedes emits it but its typings leave it out.
    (aedes as EventEmitter).on('error', (error: Error) =>
      this.#log(`MQTT broker error: ${error.message}`),
    );
  }

  /** The IDs of the clients connected now, oldest first. */
  online(): string[] {
    return Object.keys(this.#clients);
  }

  #onClient(client: Client): void {
    this.emit('connect', client.id);
    this.emit('clients', this.online());
    if (this.#takingOver.has(client)) {
      this.#takingOver.delete(client);
      this.#log(
        `MQTT: client "${client.id}" connected again from ${addressOf(client)}; ` +
          'the earlier connection was closed',
      );
      this.emit('takeover', client.id);
    }
  }

  #onPublish(packet: AedesPublishPacket, client: Client | null): void {
    if (packet.topic.startsWith(SYS_PREFIX)) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const from = client?.id ?? null;
    const time = Date.now();
    this.emit('message', {
      time,
      topic: packet.topic,
      payload,
      from,
      qos: packet.qos,
      retain: !!packet.retain,
    });
    if (packet.topic.startsWith(COMMAND_PREFIX)) this.#deliverDirect(packet, payload, from, time);
    const device = client && this.#onenet.get(client);
    if (device) this.#answerAsOnenet(client, device, packet.topic, payload);
  }

  /** OneNET's answer to a device's command reply or data point upload (src/onenet/platform.ts). */
  #answerAsOnenet(
    client: Client,
    device: { productId: string; pending: Set<string> },
    topic: string,
    payload: Buffer,
  ): void {
    const answer = platformAnswer(device.productId, client.id, topic, payload, device.pending);
    if (!answer) return;
    this.publish(answer.topic, answer.payload).catch((error: Error) =>
      this.#log(`MQTT: could not answer "${client.id}" as OneNET: ${error.message}`),
    );
  }

  /**
   * OneNET sends a device's commands on `$creq/<uuid>` without any subscription; a board's
   * program written for OneNET expects exactly that. A client already subscribed to a filter
   * matching `cmd/<its id>` got the message through that subscription, so it is not sent twice.
   * A device of OneNET's current platform gets it as OneNET sends it there: on
   * `$sys/<product>/<device>/cmd/request/<new command ID>`, through its subscription.
   */
  #deliverDirect(packet: AedesPublishPacket, payload: Buffer, from: string | null, time: number) {
    const clientId = packet.topic.slice(COMMAND_PREFIX.length);
    const target = this.#clients[clientId];
    if (!target || target.closed) return;
    const send = () => {
      const filters = Object.keys((target as unknown as ClientInternals).subscriptions);
      if (target.closed || filters.some((filter) => mqttMatch(filter, packet.topic))) return;
      const device = this.#onenet.get(target);
      if (device) return this.#sendOnenetCommand(clientId, device, payload);
      const topic = `$creq/${randomUUID()}`;
      const direct = { cmd: 'publish', topic, payload, qos: packet.qos, retain: false } as const;
      target.publish({ ...direct, dup: false }, (error) => {
        if (error) this.#log(`MQTT: could not deliver to "${clientId}": ${error.message}`);
      });
      this.emit('message', { ...direct, time, from, to: clientId, direct: true });
    };
    // aedes registers a client before its CONNACK is written, and nothing may reach a client
    // before its CONNACK (MQTT-3.2.0-1): a command that comes that early waits for 'connected'.
    if (target.connected) send();
    else target.once('connected', send);
  }

  /** Publishes a command to a device of OneNET's current platform, with a fresh command ID. */
  #sendOnenetCommand(
    clientId: string,
    device: { productId: string; pending: Set<string> },
    payload: Buffer,
  ): void {
    const cmdId = randomUUID();
    device.pending.add(cmdId);
    // Unanswered commands expire on OneNET; here the oldest are forgotten past a hundred.
    if (device.pending.size > 100) device.pending.delete(device.pending.values().next().value!);
    this.publish(commandTopic(device.productId, clientId, cmdId), payload).catch((error: Error) =>
      this.#log(`MQTT: could not deliver to "${clientId}": ${error.message}`),
    );
  }

  /** Publishes from the server side (the console panel); `from` is null in the tap. */
  publish(topic: string, payload: string | Uint8Array, qos: 0 | 1 = 0): Promise<void> {
    const problem = topicProblem(topic);
    if (problem) return Promise.reject(new Error(problem));
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    return new Promise((resolve, reject) => {
      this.aedes.publish(
        { cmd: 'publish', topic, payload: bytes, qos, retain: false, dup: false },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }

  /**
   * Serves MQTT over WebSocket at `path` and the console channel at `consolePath` on an existing
   * HTTP server. Other upgrade requests are left alone: Vite's hot reload has its own. Returns a
   * function that detaches both (close() also does).
   */
  attachWebSocket(httpServer: HttpServer, path = '/mqtt', consolePath = '/console'): () => void {
    const mqttWss = new WebSocketServer({ noServer: true });
    const consoleChannel = new ConsoleChannel(this);
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = pathnameOf(req);
      if (pathname === path) {
        mqttWss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          this.aedes.handle(createWebSocketStream(ws), req);
        });
      } else if (pathname === consolePath) {
        consoleChannel.handleUpgrade(req, socket, head);
      }
    };
    httpServer.on('upgrade', onUpgrade);
    const detach = () => {
      httpServer.off('upgrade', onUpgrade);
      for (const ws of mqttWss.clients) ws.terminate();
      mqttWss.close();
      consoleChannel.close();
      this.#detachers.delete(detach);
    };
    this.#detachers.add(detach);
    return detach;
  }

  /**
   * MQTT over TCP for boards. Listens on `port` (0 = any free port), or the next free port when
   * it is busy (one line says so: a Mosquitto may hold 1883). Resolves to the real port.
   */
  async listenTcp(port: number, host?: string): Promise<number> {
    const server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      this.aedes.handle(socket);
    });
    if (this.#closing) throw new Error('the broker is closed');
    this.#tcpServers.add(server);
    try {
      const real = await listenWithFallback(server, {
        port,
        host,
        what: 'MQTT port',
        log: this.#log,
      });
      // close() may have come while this was listening; it could not close this server then.
      if (this.#closing) throw new Error('the broker is closed');
      return real;
    } catch (error) {
      this.#tcpServers.delete(server);
      if (server.listening) server.close();
      throw error;
    }
  }

  /** Closes every listener and connection this broker has, then aedes. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    for (const detach of [...this.#detachers]) detach();
    const serversClosed = [...this.#tcpServers].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    // A socket that never sent CONNECT is no aedes client, and would hold server.close() open.
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(serversClosed);
  }
}

/** The path of an upgrade request, or null when its URL cannot be read. */
function pathnameOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/** Starts a broker: aedes with the direct delivery and the tap wired, not yet listening anywhere. */
export async function createBroker(options: BrokerOptions = {}): Promise<StudioBroker> {
  const aedes = await Aedes.createBroker(options.aedes);
  return new StudioBroker(aedes, options.log ?? ((line) => console.log(line)));
}
