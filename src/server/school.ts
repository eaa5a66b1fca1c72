/**
 * A whole school on one broker: studio processes sharing one MQTT space through Redis
 * (`REDIS_URL`). aedes's own distributed parts carry MQTT (mqemitter-redis: every message between
 * processes; aedes-persistence-redis: subscriptions, retained messages, QoS 1 queues, wills).
 * What the studio adds travels on one topic only processes use, SCHOOL_TOPIC: which clients each
 * process holds, takeover notices, and the direct deliveries a process made, so that every
 * process's console shows the whole school.
 */
import type { EventEmitter } from 'node:events';
import aedesPersistenceRedis from 'aedes-persistence-redis';
import { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import type { TapMessage } from './broker.ts';

/** Topics under this prefix are the studio processes' own: no client publishes or subscribes there. */
export const STUDIO_PREFIX = '$studio/';
/** Where the processes of one school tell each other what the studio adds to MQTT. */
const SCHOOL_TOPIC = `${STUDIO_PREFIX}school`;
/** How often a process says which clients it holds (a process that crashed cannot say goodbye). */
const ANNOUNCE_MS = 10_000;
/** A process not heard from for this long has gone: its clients are no longer listed. */
const SILENT_MS = 3 * ANNOUNCE_MS + 5000;
/** How long `npm start` waits for Redis to answer before it gives up with a sentence. */
const REDIS_ANSWER_MS = 5000;

/** Why REDIS_URL is not a Redis address, or null when it is one (or unset). */
export function redisUrlProblem(value: string | undefined): string | null {
  if (value === undefined || value.trim() === '') return null;
  const like = `REDIS_URL must be an address like redis://127.0.0.1:6379, not "${value}"`;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return like;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return `REDIS_URL must start with redis:// or rediss://, not "${value}"`;
  }
  return url.hostname ? null : like;
}

/** A Redis address as it may be printed: its password as `•••`. */
export function shownRedisUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '•••';
  return url.href.replace('%E2%80%A2%E2%80%A2%E2%80%A2', '•••');
}

/** The message queue between processes, as aedes and the school link use it. */
export interface SharedQueue {
  on(
    topic: string,
    listener: (packet: unknown, done: () => void) => void,
    done?: () => void,
  ): unknown;
  emit(packet: { topic: string } & Record<string, unknown>, done?: (error?: Error) => void): void;
}

/** What aedes needs to run on Redis, and how to let go of it once aedes is closed. */
export interface RedisParts {
  /** aedes's `mq`: messages between processes. */
  mq: SharedQueue;
  /** aedes's `persistence`. */
  persistence: unknown;
  /** Closes the persistence's connection, once aedes is closed (aedes closes `mq` itself). */
  close(): Promise<void>;
}

/**
 * Connects to Redis at `url` (three connections: the persistence's, and the queue's publishing
 * and subscribing ones) and waits until it answers; rejects with a sentence when it does not.
 * A Redis that goes away later is one line, and one more when it is back: ioredis reconnects by
 * itself (and subscribes again); what was sent meanwhile may be lost.
 */
export async function openRedis(url: string, log: (line: string) => void): Promise<RedisParts> {
  const shown = shownRedisUrl(url);
  // Auto-pipelining sends the commands of one tick together, as mqemitter-redis does for its own.
  const [db, pubConn, subConn] = [0, 1, 2].map(
    () => new Redis(url, { enableAutoPipelining: true }),
  );
  let answered = false;
  let lastError: Error | null = null;
  let down = false;
  for (const connection of [db, pubConn, subConn]) {
    connection.on('error', (error: Error) => {
      lastError = error;
      if (!answered || down) return;
      down = true;
      log(`Redis at ${shown}: ${error.message}; waiting for it (studio processes cannot talk)`);
    });
    connection.on('ready', () => {
      if (!down) return;
      down = false;
      log(`Redis at ${shown}: connected again`);
    });
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all([db.ping(), pubConn.ping(), subConn.ping()]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), REDIS_ANSWER_MS);
      }),
    ]);
  } catch (error) {
    for (const connection of [db, pubConn, subConn]) connection.disconnect();
    const why = (lastError ?? (error as Error)).message || 'no answer';
    throw new Error(
      `Redis at ${shown} does not answer (${why}): start redis-server there, or check REDIS_URL`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
  answered = true;
  const mq = mqemitterRedis({
    pubConn,
    subConn,
    // As aedes makes its own in-memory queue: [MQTT-4.7.1-3], and its default concurrency.
    matchEmptyLevels: true,
    concurrency: 100,
  });
  // mqemitter-redis re-emits its connections' errors on `state`: without a listener, a Redis
  // that goes away would end the process. The connections' own listeners above tell of them.
  (mq as unknown as { state: EventEmitter }).state.on('error', () => {});
  return {
    mq: mq as unknown as SharedQueue,
    persistence: aedesPersistenceRedis({ conn: db }),
    // Not the persistence's destroy(): it first unsubscribes from the queue aedes has closed, and
    // mqemitter-redis never answers that. Its one connection is all it holds.
    close: async () => {
      await db.quit().catch(() => db.disconnect());
    },
  };
}

/** One message on SCHOOL_TOPIC (mqemitter-redis carries any fields, Buffers included). */
export type SchoolPacket = { topic: string } & (
  | { broker: string; type: 'hello' | 'bye' }
  | { broker: string; type: 'online'; clients: string[] }
  | { broker: string; type: 'connect' | 'disconnect' | 'takeover'; clientId: string }
  | { broker: string; type: 'direct'; message: TapMessage }
);

/** What the school link tells its broker. */
export interface SchoolListener {
  /** Another process's clients changed (or a process came or went): who is online may differ. */
  changed(): void;
  /** A client ID was taken over on another process. */
  takeover(clientId: string): void;
  /** Another process delivered a `cmd/<clientId>` message straight to its client. */
  direct(message: TapMessage): void;
}

/** This process's link to the other studio processes of the school. */
export class School {
  /** The clients of every other process, by broker ID, and when it was last heard. */
  readonly #others = new Map<string, { clients: Set<string>; heard: number }>();
  readonly #timer: NodeJS.Timeout;
  #left = false;

  private constructor(
    private readonly mq: SharedQueue,
    private readonly brokerId: string,
    private readonly local: () => string[],
    private readonly listener: SchoolListener,
  ) {
    this.#timer = setInterval(() => this.#announce(), ANNOUNCE_MS);
    this.#timer.unref();
  }

  /** Joins: listens to the other processes, then asks them who they hold. */
  static async join(
    mq: SharedQueue,
    brokerId: string,
    local: () => string[],
    listener: SchoolListener,
  ): Promise<School> {
    const school = new School(mq, brokerId, local, listener);
    await new Promise<void>((resolve) =>
      mq.on(
        SCHOOL_TOPIC,
        (packet, done) => {
          school.#hear(packet as SchoolPacket);
          done();
        },
        resolve,
      ),
    );
    school.#send({ type: 'hello' });
    school.#send({ type: 'online', clients: local() });
    return school;
  }

  /** Whether another process holds a client with this ID. */
  holds(clientId: string): boolean {
    for (const { clients } of this.#others.values()) if (clients.has(clientId)) return true;
    return false;
  }

  /** The client IDs the other processes hold. */
  *others(): Iterable<string> {
    for (const { clients } of this.#others.values()) yield* clients;
  }

  /** Tells the others a client connected or left here, or took over its ID. */
  tell(type: 'connect' | 'disconnect' | 'takeover', clientId: string): void {
    this.#send({ type, clientId });
  }

  /** Tells the others of a direct delivery made here (for their consoles). */
  tellDirect(message: TapMessage): void {
    this.#send({ type: 'direct', message });
  }

  /** Says goodbye (the others stop listing this process's clients) and stops announcing. */
  leave(): void {
    if (this.#left) return;
    this.#send({ type: 'bye' });
    this.#left = true;
    clearInterval(this.#timer);
  }

  #send(fields: Record<string, unknown>): void {
    if (this.#left) return;
    // A lost announcement is made good by the next one (ANNOUNCE_MS).
    this.mq.emit({ topic: SCHOOL_TOPIC, broker: this.brokerId, ...fields }, () => {});
  }

  #announce(): void {
    this.#send({ type: 'online', clients: this.local() });
    const now = Date.now();
    let changed = false;
    for (const [broker, { heard }] of this.#others) {
      if (now - heard <= SILENT_MS) continue;
      this.#others.delete(broker);
      changed = true;
    }
    if (changed) this.listener.changed();
  }

  #hear(packet: SchoolPacket): void {
    if (packet.broker === this.brokerId || this.#left) return;
    let other = this.#others.get(packet.broker);
    if (!other) {
      other = { clients: new Set(), heard: Date.now() };
      this.#others.set(packet.broker, other);
    }
    other.heard = Date.now();
    switch (packet.type) {
      case 'hello':
        this.#send({ type: 'online', clients: this.local() });
        return;
      case 'bye':
        this.#others.delete(packet.broker);
        return this.listener.changed();
      case 'online':
        other.clients = new Set(packet.clients);
        return this.listener.changed();
      case 'connect':
        other.clients.add(packet.clientId);
        return this.listener.changed();
      case 'disconnect':
        other.clients.delete(packet.clientId);
        return this.listener.changed();
      case 'takeover':
        return this.listener.takeover(packet.clientId);
      case 'direct':
        return this.listener.direct(packet.message);
    }
  }
}
