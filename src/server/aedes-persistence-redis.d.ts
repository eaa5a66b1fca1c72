// aedes-persistence-redis ships no typings; this is the part the studio uses.
declare module 'aedes-persistence-redis' {
  import type { Redis } from 'ioredis';

  /** An aedes persistence in Redis (aedes's `persistence` option). */
  interface RedisPersistence {
    /** Stops listening to the broker and closes its Redis connection. */
    destroy(done: () => void): void;
  }

  /** A persistence on an existing connection (`conn`); it keeps the connection open until destroy. */
  export default function aedesPersistenceRedis(options: {
    conn: Redis;
    /** How many queued messages a persistent session gets at most when it connects (1000). */
    maxSessionDelivery?: number;
  }): RedisPersistence;
}
