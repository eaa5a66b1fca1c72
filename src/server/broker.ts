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
import { openRedis, School, STUDIO_PREFIX, type RedisParts } from './school.ts';

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
  /**
   * The largest MQTT packet (a message with its topic) a client may send, in kB of 1000 bytes;
   * a client that sends a larger one is disconnected. By default MAX_MESSAGE_KB from the
   * environment, or 256.
   */
  maxMessageKb?: number;
  /** The most MQTT connections, TCP and WebSocket together; more are refused. Default 2000. */
  maxConnections?: number;
  /** The most retained messages kept; past it the oldest is dropped. Default 1000. */
  maxRetained?: number;
  /** Passed on to aedes (timeouts, limits); its drainTimeout is 5 s here unless given. */
  aedes?: AedesOptions;
  /**
   * A Redis address (`REDIS_URL`): the broker then shares one MQTT space with every studio
   * process on that Redis (school.ts). Unset: everything stays in this process's memory.
   */
  redisUrl?: string;
}

/** MAX_MESSAGE_KB when the environment does not set it. */
export const DEFAULT_MAX_MESSAGE_KB = 256;
/** MQTT's own ceiling: a packet's length field holds at most 268,435,455 bytes. */
const MQTT_MAX_PACKET_KB = 268_435;
/** Enough for a classroom's 40 boards and 40 pages many times over, and 500 + 500 clients. */
export const DEFAULT_MAX_CONNECTIONS = 2000;
/** Retained messages live until a restart: a program retaining on a new topic each time fills memory. */
export const DEFAULT_MAX_RETAINED = 1000;
/**
 * How long a client may leave its socket full (not reading) before it is disconnected: until then
 * every publisher to its topics waits (aedes's default is 60 s).
 */
export const DRAIN_TIMEOUT_MS = 5000;
/**
 * A WebSocket message may carry several MQTT packets (a browser's mqtt.js sends writes of one
 * tick together), so ws's own limit, which bounds what it buffers per connection, is a few times
 * the packet limit; the packet limit itself is checked on the MQTT stream.
 */
const WEBSOCKET_MESSAGE_FACTOR = 4;
/** A flood of refused connections makes one terminal line per this many ms, not one each. */
const REFUSAL_LINE_EVERY_MS = 10_000;
/** How long a WebSocket client told to close (code 1009) has before its socket is cut. */
const CLOSE_GRACE_MS = 1000;

/** MAX_MESSAGE_KB as kB (the default when unset), or a sentence saying why it is not one. */
export function parseMessageLimit(value: string | undefined): number | string {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_MESSAGE_KB;
  const kb = Number(value);
  if (!/^\d+$/.test(value.trim()) || kb < 1 || kb > MQTT_MAX_PACKET_KB) {
    return (
      `MAX_MESSAGE_KB must be a whole number of kilobytes from 1 to ${MQTT_MAX_PACKET_KB}, ` +
      `not "${value}"`
    );
  }
  return kb;
}

/** The limits a StudioBroker enforces (createBroker fills in the defaults). */
interface BrokerLimits {
  maxMessageBytes: number;
  maxConnections: number;
  maxRetained: number;
  drainTimeoutMs: number;
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
/** The part of aedes's persistence (aedes-persistence, set up by listen()) that keeps retained messages. */
interface RetainedStore {
  /** Keeps `packet` as its topic's retained message; an empty payload forgets the topic's. */
  storeRetained(packet: AedesPublishPacket): Promise<void>;
}

/** A message on the shared queue: aedes adds the publishing client's ID (lib emitPacket). */
type SharedPacket = AedesPublishPacket & { clientId?: string };

/** The topic prefix whose messages also go straight to the client named after it. */
const COMMAND_PREFIX = 'cmd/';

/** aedes's own announcements (heartbeat, new clients…): broker chatter, not classroom traffic. */
const SYS_PREFIX = '$SYS/';

/**
 * Topics only the broker publishes on: aedes's `$SYS/…`, and what it sends playing OneNET (see
 * src/onenet/platform.ts): legacy commands on `$creq/…`, current commands on
 * `$sys/<product>/<device>/cmd/request/…`, and the platform's `…/accepted` and `…/rejected`
 * answers. A client publishing there would forge commands to a classmate's board. `$studio/…` is
 * where studio processes sharing a Redis talk (school.ts).
 */
const BROKER_TOPICS = [
  /^\$SYS\//,
  /^\$studio\//,
  /^\$creq\//,
  /^\$sys\/[^/]+\/[^/]+\/cmd\/request\//,
  /^\$sys\/[^/]+\/[^/]+\/.+\/(accepted|rejected)$/,
];

/** Whether only the broker may publish on `topic`. */
export function isBrokerTopic(topic: string): boolean {
  return BROKER_TOPICS.some((pattern) => pattern.test(topic));
}

/** Why a topic cannot be published from the server side, or null when it can. */
export function topicProblem(topic: string): string | null {
  if (topic === '') return 'the topic is empty';
  if (/[+#]/.test(topic)) return 'a topic to publish on cannot contain + or #';
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (topic.startsWith(SYS_PREFIX)) return '$SYS/ topics are reserved for the broker';
  if (topic.startsWith(STUDIO_PREFIX)) return '$studio/ topics are reserved for the studio';
  if (Buffer.byteLength(topic) > 65535) return 'the topic is longer than 65535 bytes';
  return null;
}

/** "ip:port" of a socket, for log lines. */
function socketAddress(socket: Partial<Socket>): string {
  const ip = socket.remoteAddress?.replace(/^::ffff:/, '');
  return ip ? `${ip}${socket.remotePort ? `:${socket.remotePort}` : ''}` : 'an unknown address';
}

/** "ip:port" of the client's connection, for log lines. */
function addressOf(client: Client): string {
  return socketAddress((client.req?.socket ?? client.conn) as Partial<Socket>);
}

/**
 * `text` in double quotes with quotes, backslashes and control characters escaped: a client ID or
 * topic comes from the network and must not be able to drive the teacher's terminal.
 */
function quoted(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `client "id" from ip:port`, or `a client from ip:port` before its CONNECT was read. */
function who(client: Client): string {
  const id = client.id ? `client ${quoted(client.id)}` : 'a client';
  return `${id} from ${addressOf(client)}`;
}

/** A number of bytes as a person reads it: `512 bytes`, `256 kB`, `1.5 MB`, `100 MB`. */
export function sizeText(bytes: number): string {
  const round = (n: number) => (n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);
  if (bytes >= 1e6) return `${round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${round(bytes / 1e3)} kB`;
  return `${bytes} bytes`;
}

/**
 * Follows the MQTT packets in one connection's byte stream by their fixed headers, so that a
 * packet's length is known from its first bytes, before the rest of it is sent (aedes's parser,
 * mqtt-packet, has no size limit and would gather all of it).
 */
export class PacketLengths {
  /** Bytes of the current packet still to skip. */
  #toSkip = 0;
  /** Whether the next byte is a packet's first (its type), rather than one of its length. */
  #atType = true;
  #length = 0;
  #lengthBytes = 0;
  /** A length field longer than 4 bytes: aedes's parser refuses the connection, nothing to follow. */
  #lost = false;

  /** Reads `chunk`; returns the length of the first packet in it longer than `max`, or null. */
  check(chunk: Uint8Array, max: number): number | null {
    let i = 0;
    while (i < chunk.length && !this.#lost) {
      if (this.#toSkip > 0) {
        const skipped = Math.min(this.#toSkip, chunk.length - i);
        this.#toSkip -= skipped;
        i += skipped;
        continue;
      }
      const byte = chunk[i++];
      if (this.#atType) {
        this.#atType = false;
        this.#length = 0;
        this.#lengthBytes = 0;
        continue;
      }
      this.#length += (byte & 0x7f) * 128 ** this.#lengthBytes++;
      if (byte & 0x80) {
        this.#lost = this.#lengthBytes === 4;
        continue;
      }
      if (this.#length > max) return this.#length;
      this.#toSkip = this.#length;
      this.#atType = true;
    }
    return null;
  }
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
  readonly #limits: BrokerLimits;
  /** Open MQTT connections, TCP and WebSocket, counted from accept (before their CONNECT). */
  #connections = 0;
  /** Connections refused at the cap since the last line saying so, and when the next may be. */
  #refused = 0;
  #nextRefusalLine = 0;
  /** The topics with a retained message, the one set longest ago first. */
  readonly #retained = new Set<string>();
  #retainedDropped = false;
  /** On Redis (joinSchool): the link to the other studio processes, and the Redis parts. */
  #school: School | null = null;
  #redis: RedisParts | null = null;
  /** On Redis: who was online, the whole school, when the tap last said so. */
  #shown = new Set<string>();

  /** Use createBroker(); this wires the tap and the limits to an already listening aedes. */
  constructor(
    readonly aedes: Aedes,
    log: (line: string) => void,
    limits: BrokerLimits = {
      maxMessageBytes: DEFAULT_MAX_MESSAGE_KB * 1000,
      maxConnections: DEFAULT_MAX_CONNECTIONS,
      maxRetained: DEFAULT_MAX_RETAINED,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    },
  ) {
    super();
    this.#log = log;
    this.#limits = limits;
    this.#clients = (aedes as unknown as AedesInternals).clients;
    this.#guardBrokerTopics();
    this.#capRetained();
    const authenticate = aedes.authenticate; // aedes's default, or one given in options.aedes
    aedes.authenticate = (client, username, password, done) => {
      // aedes closes the earlier connection only later, in registerClient; note it here, where
      // the new connection's ID is known and the earlier one is still registered.
      const earlier = this.#clients[client.id];
      const here = earlier && earlier !== client && !earlier.closed;
      // aedes closes a connection with the same ID on another process too ($SYS/…/new/clients).
      if (here || this.#school?.holds(client.id)) this.#takingOver.add(client);
      const productId = onenetProductId(client.id, username, password);
      if (productId) this.#onenet.set(client, { productId, pending: new Set() });
      authenticate.call(aedes, client, username, password, done);
    };
    aedes.on('publish', (packet, client) => this.#onPublish(packet, client));
    aedes.on('client', (client) => this.#onClient(client));
    aedes.on('clientDisconnect', (client) => {
      if (this.#school) {
        this.#school.tell('disconnect', client.id);
        return this.#showOnline();
      }
      this.emit('disconnect', client.id);
      this.emit('clients', this.online());
    });
    // An 'error' without a listener would end the process (persistence failures land here);
    // aedes emits it but its typings leave it out.
    (aedes as EventEmitter).on('error', (error: Error) =>
      this.#log(`MQTT broker error: ${error.message}`),
    );
    aedes.on('clientError', (client, error) => {
      // aedes cuts a client whose socket stayed full for drainTimeout (lib/client.js).
      if (error.message !== 'drain timeout') return;
      this.#log(
        `MQTT: ${who(client)} did not read its messages for ` +
          `${this.#limits.drainTimeoutMs / 1000} s: disconnected`,
      );
    });
  }

  /**
   * Refuses client publishes on the broker's own topics (BROKER_TOPICS), wills included. MQTT
   * 3.1.1 cannot tell a client that a publish was refused (MQTT-3.3.5-2): aedes closes the
   * connection, as it does for `$SYS/…`. The server's own publishes do not come through here.
   * Subscriptions to `$studio/…` are refused too (SUBACK 0x80); the client stays connected.
   */
  #guardBrokerTopics(): void {
    const authorizePublish = this.aedes.authorizePublish; // aedes's default refuses $SYS/ too
    this.aedes.authorizePublish = (client, packet, done) => {
      if (!isBrokerTopic(packet.topic)) {
        authorizePublish.call(this.aedes, client, packet, done);
        return;
      }
      if (client) {
        this.#log(
          `MQTT: ${who(client)} tried to publish on ${quoted(packet.topic)}, ` +
            'a topic only the broker publishes on: disconnected',
        );
      }
      done(new Error(`only the broker publishes on ${packet.topic}`));
    };
    // Studio processes sharing a Redis talk on `$studio/…` (school.ts): nobody listens in there.
    const authorizeSubscribe = this.aedes.authorizeSubscribe;
    this.aedes.authorizeSubscribe = (client, subscription, done) => {
      if (subscription.topic.startsWith(STUDIO_PREFIX)) return done(null, null); // refused: 0x80
      authorizeSubscribe.call(this.aedes, client, subscription, done);
    };
  }

  /**
   * Keeps at most maxRetained retained messages: past it, the topic whose retained message was
   * set longest ago is forgotten (through the persistence, as an empty retained message would).
   */
  #capRetained(): void {
    const store = (this.aedes as unknown as { persistence: RetainedStore }).persistence;
    const storeRetained = store.storeRetained.bind(store);
    store.storeRetained = async (packet) => {
      // Kept in step at once: publishes from many clients store concurrently.
      this.#retained.delete(packet.topic);
      if (packet.payload.length > 0) this.#retained.add(packet.topic);
      const dropped: string[] = [];
      for (const topic of this.#retained) {
        if (this.#retained.size - dropped.length <= this.#limits.maxRetained) break;
        dropped.push(topic);
      }
      for (const topic of dropped) this.#retained.delete(topic);
      await storeRetained(packet);
      for (const topic of dropped) {
        await storeRetained({ ...packet, topic, payload: Buffer.alloc(0) });
      }
      if (dropped.length > 0 && !this.#retainedDropped) {
        this.#retainedDropped = true;
        this.#log(
          `MQTT: more than ${this.#limits.maxRetained} retained messages: ` +
            `the oldest are forgotten from now on (first ${quoted(dropped[0])})`,
        );
      }
    };
  }

  /**
   * Whether a new connection from `address` may come in under the connection cap; a refusal is
   * said in a line (one per REFUSAL_LINE_EVERY_MS during a flood, with the count).
   */
  #admit(address: string): boolean {
    if (this.#connections < this.#limits.maxConnections) return true;
    this.#refused++;
    const now = Date.now();
    if (now >= this.#nextRefusalLine) {
      const refused =
        this.#refused === 1
          ? `refused a connection from ${address}`
          : `refused ${this.#refused} connections, the last from ${address}`;
      this.#log(
        `MQTT: ${this.#connections} connections are open, the most this broker takes: ${refused}`,
      );
      this.#refused = 0;
      this.#nextRefusalLine = now + REFUSAL_LINE_EVERY_MS;
    }
    return false;
  }

  /**
   * Hands a new connection to aedes and watches the length of every packet it sends: one over
   * the limit gets a line and `refuse()` (which disconnects), before the packet's body arrives.
   */
  #handle(conn: Duplex, req: IncomingMessage | undefined, refuse: () => void): Client {
    const client = this.aedes.handle(conn, req);
    const lengths = new PacketLengths();
    const limit = this.#limits.maxMessageBytes;
    // aedes reads with read() on 'readable'; with a 'readable' listener present, 'data' reports
    // each chunk read() returns, just before aedes's parser gets it, and changes no flow.
    const onData = (chunk: Buffer) => {
      // A closing client's stream may flow on for a moment once aedes stops reading it.
      const length = client.closed ? null : lengths.check(chunk, limit);
      if (client.closed || length !== null) conn.off('data', onData);
      if (length === null) return;
      this.#log(
        `MQTT: ${who(client)} sent a ${sizeText(length)} message ` +
          `(limit ${sizeText(limit)}): disconnected`,
      );
      refuse();
    };
    conn.on('data', onData);
    return client;
  }

  /**
   * The IDs of the clients connected now, oldest first; on Redis, those of the other studio
   * processes follow.
   */
  online(): string[] {
    const here = Object.keys(this.#clients);
    return this.#school ? [...new Set([...here, ...this.#school.others()])] : here;
  }

  /**
   * Shares this broker's MQTT space with every studio process on the same Redis (createBroker
   * does this when given `redisUrl`): the tap and direct delivery then follow every message of the
   * school, and who is online, takeovers and direct deliveries are told between processes.
   */
  async joinSchool(redis: RedisParts): Promise<void> {
    this.#redis = redis;
    await new Promise<void>((resolve) =>
      redis.mq.on(
        '#',
        (packet, done) => {
          this.#onShared(packet as SharedPacket);
          done();
        },
        resolve,
      ),
    );
    this.#school = await School.join(redis.mq, this.aedes.id, () => Object.keys(this.#clients), {
      changed: () => this.#showOnline(),
      takeover: (clientId) => this.emit('takeover', clientId),
      direct: (message) => this.emit('message', message),
    });
    this.#showOnline();
  }

  /** On Redis: tells the tap who came and went in the whole school since it last said so. */
  #showOnline(): void {
    const online = this.online();
    const now = new Set(online);
    for (const id of now) if (!this.#shown.has(id)) this.emit('connect', id);
    for (const id of this.#shown) if (!now.has(id)) this.emit('disconnect', id);
    this.#shown = now;
    this.emit('clients', online);
  }

  #onClient(client: Client): void {
    if (this.#school) {
      this.#school.tell('connect', client.id);
      this.#showOnline();
    } else {
      this.emit('connect', client.id);
      this.emit('clients', this.online());
    }
    if (this.#takingOver.has(client)) {
      this.#takingOver.delete(client);
      this.#log(
        `MQTT: client ${quoted(client.id)} connected again from ${addressOf(client)}; ` +
          'the earlier connection was closed',
      );
      this.emit('takeover', client.id);
      this.#school?.tell('takeover', client.id);
    }
  }

  /** Every publish through this process (from its clients, or the server side). */
  #onPublish(packet: AedesPublishPacket, client: Client | null): void {
    if (packet.topic.startsWith(SYS_PREFIX)) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    // On Redis the tap hears every process's messages from the shared queue (#onShared).
    if (!this.#school) this.#tap(packet, payload, client?.id ?? null);
    const device = client && this.#onenet.get(client);
    if (device) this.#answerAsOnenet(client, device, packet.topic, payload);
  }

  /** On Redis: every message of the school, whichever process it came through. */
  #onShared(packet: SharedPacket): void {
    const { topic } = packet;
    if (topic.startsWith(SYS_PREFIX) || topic.startsWith(STUDIO_PREFIX)) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.#tap(packet, payload, packet.clientId ?? null);
  }

  /** Tells the tap of one message, and delivers a `cmd/<clientId>` one to its client. */
  #tap(packet: AedesPublishPacket, payload: Buffer, from: string | null): void {
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
   * `$sys/<product>/<device>/cmd/request/<new command ID>`, through its subscription. On Redis
   * every process hears the message, and the one that holds the client delivers it.
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
      const tapped = { ...direct, time, from, to: clientId, direct: true };
      this.emit('message', tapped);
      this.#school?.tellDirect(tapped);
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

  /**
   * Publishes from the server side (the console panel); `from` is null in the tap. The message
   * size limit is for clients: the console's own frames are capped (console-channel.ts).
   */
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
    const limit = this.#limits.maxMessageBytes;
    const mqttWss = new WebSocketServer({
      noServer: true,
      maxPayload: WEBSOCKET_MESSAGE_FACTOR * limit,
    });
    const consoleChannel = new ConsoleChannel(this);
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = pathnameOf(req);
      if (pathname === path) {
        if (!this.#admit(socketAddress(req.socket))) {
          socket.once('finish', () => socket.destroy());
          socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
          return;
        }
        mqttWss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
          this.#connections++;
          ws.once('close', () => this.#connections--);
          // 1009 "Message Too Big": the one way a WebSocket client can be told why.
          let refused = false;
          const refuse = () => {
            refused = true;
            ws.pause();
            ws.close(1009, 'MQTT message over the limit');
            setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
          };
          const client = this.#handle(createWebSocketStream(ws), req, refuse);
          ws.on('error', (error: Error & { code?: string }) => {
            // ws itself closes (1009) a message past its maxPayload, unread; a client already
            // refused for a packet's header has had its line.
            if (refused || error.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return;
            this.#log(
              `MQTT: ${who(client)} sent over ${sizeText(WEBSOCKET_MESSAGE_FACTOR * limit)} in ` +
                `one WebSocket message (limit ${sizeText(limit)}): disconnected`,
            );
          });
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
      if (!this.#admit(socketAddress(socket))) {
        socket.destroy();
        return;
      }
      this.#connections++;
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#connections--;
        this.#sockets.delete(socket);
      });
      // MQTT 3.1.1 has no way to say why (no reason codes): the connection is closed.
      this.#handle(socket, undefined, () => socket.destroy());
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
    this.#school?.leave();
    for (const detach of [...this.#detachers]) detach();
    const serversClosed = [...this.#tcpServers].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await this.#redis?.close();
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

/** MAX_MESSAGE_KB from this process's environment (`npm start`, Vite's servers), in kB. */
function messageLimitFromEnvironment(log: (line: string) => void): number {
  const kb = parseMessageLimit(process.env.MAX_MESSAGE_KB);
  if (typeof kb === 'number') return kb;
  log(`${kb}; using ${DEFAULT_MAX_MESSAGE_KB}`);
  return DEFAULT_MAX_MESSAGE_KB;
}

/**
 * Starts a broker: aedes with the direct delivery, the tap and the limits wired, not yet
 * listening anywhere.
 */
export async function createBroker(options: BrokerOptions = {}): Promise<StudioBroker> {
  const log = options.log ?? ((line: string) => console.log(line));
  const drainTimeoutMs = options.aedes?.drainTimeout ?? DRAIN_TIMEOUT_MS;
  const maxMessageBytes = (options.maxMessageKb ?? messageLimitFromEnvironment(log)) * 1000;
  const redis = options.redisUrl ? await openRedis(options.redisUrl, log) : null;
  const shared = redis ? { mq: redis.mq, persistence: redis.persistence } : {};
  const aedes = await Aedes.createBroker({
    ...options.aedes,
    ...shared,
    drainTimeout: drainTimeoutMs,
  });
  const broker = new StudioBroker(aedes, log, {
    maxMessageBytes,
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxRetained: options.maxRetained ?? DEFAULT_MAX_RETAINED,
    drainTimeoutMs,
  });
  if (redis) await broker.joinSchool(redis);
  return broker;
}
