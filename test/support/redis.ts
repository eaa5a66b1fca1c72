/**
 * Redis for tests and the benchmark: Debian's redis-server in its own process, on a loopback port
 * that was free a moment ago, with its data in a temporary folder, never a system Redis on 6379.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './mosquitto.ts';

const BINARIES = ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server'];
/** How long redis-server may take to answer after it starts. */
const START_DEADLINE_MS = 20_000;

/** A running redis-server. */
export interface RedisServer {
  /** Its address, for REDIS_URL. */
  url: string;
  port: number;
  /** Its process ID. */
  pid: number;
  /** Ends the process and removes its folder. */
  stop(): Promise<void>;
}

/** The redis-server binary, or undefined when it is not installed. */
function redisBinary(): string | undefined {
  return BINARIES.find((path) => existsSync(path));
}

/**
 * Why tests that need Redis are skipped, or false when they run: on a clone without
 * redis-server they are skipped with a reason; in CI (`CI` set, as `.ci/run` does) they run and
 * fail instead, since CI installs it.
 */
export const noRedis: string | false =
  !redisBinary() && !process.env.CI
    ? 'redis-server is not installed (Debian: apt-get install redis-server)'
    : false;

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts redis-server without saving to disk, on `port` (a free one by default), and resolves
 * once it answers PING.
 */
export async function startRedis(port?: number): Promise<RedisServer> {
  const binary = redisBinary();
  if (!binary) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const dir = await mkdtemp(join(tmpdir(), 'iot-blocks-redis-'));
  port ??= await freePort();
  const child = spawn(
    binary,
    ['--port', `${port}`, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const server: RedisServer = {
    url,
    port,
    pid: child.pid!,
    stop: async () => {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 100 });
  probe.on('error', () => {}); // refused until it listens
  try {
    await Promise.race([
      probe.ping(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`redis-server did not answer on ${url}`)),
          START_DEADLINE_MS,
        ).unref(),
      ),
    ]);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  } finally {
    probe.disconnect();
  }
}
