/**
 * `npm start` (src/server/start.js) in a process of its own, on free loopback ports, for tests and
 * the benchmark that need the real server as a teacher runs it, or several of them. The studio
 * must be built first (buildIfStale): two processes building at once would race.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const START = join(fileURLToPath(new URL('../..', import.meta.url)), 'src/server/start.js');
/** How long a studio may take to print its addresses. */
const START_DEADLINE_MS = 60_000;

/** A running studio process. */
export interface StudioProcess {
  /** The page's address, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** MQTT over TCP, `mqtt://127.0.0.1:<port>`, and over WebSocket, `ws://…/mqtt`. */
  tcp: string;
  ws: string;
  /** Every line it printed so far. */
  lines: string[];
  /** Its process ID. */
  pid: number;
  /** Ends it as Ctrl+C would (SIGTERM), and resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts `npm start` with `env` added to this process's environment. */
export async function startStudioProcess(env: Record<string, string> = {}): Promise<StudioProcess> {
  const child = spawn(process.execPath, [START], {
    env: { ...process.env, PORT: '0', MQTT_PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const end = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const url = lines.map((line) => /^Studio: (http:\/\/\S+)/.exec(line)?.[1]).find(Boolean);
    const tcp = lines.map((line) => /^MQTT TCP: (\S+)/.exec(line)?.[1]).find(Boolean);
    if (url && tcp) {
      const ws = `${url.replace(/^http/, 'ws')}mqtt`;
      return { url, tcp: `mqtt://${tcp}`, ws, lines, pid: child.pid!, stop };
    }
    if (child.exitCode !== null || Date.now() > end) {
      await stop();
      throw new Error(`npm start did not start:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
