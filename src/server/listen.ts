/**
 * Listening with a fallback: a teacher's laptop may already run something on 8080 or a Mosquitto
 * on 1883, and "address in use" must not stop the classroom. The studio's HTTP server, its MQTT
 * TCP listener and the Vite dev plugin all listen through here.
 */
import type { Server } from 'node:net';
import { resourceAlarm } from './resource-alarm.ts';

/** How one listener is named and told about in a busy-port line. */
export interface ListenOptions {
  /** Wanted port; 0 means any free port (and then there is never a fallback). */
  port: number;
  /** Interface to listen on; undefined means all interfaces. */
  host?: string;
  /** Starts the busy line, e.g. "Port" or "MQTT port": "Port 8080 is busy; using 8081 instead." */
  what: string;
  /** Where the one busy-port line goes. */
  log: (line: string) => void;
  /** How many ports to try, the wanted one included. */
  tries?: number;
}

/** A listening failure told in words a teacher can act on. */
export class ListenError extends Error {}

/** Listens once; resolves on 'listening', rejects with the listen error. */
function listenOnce(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The port `server` really listens on (after port 0 or a fallback). */
export function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening');
  return address.port;
}

/** Servers that already tell of their errors. */
const told = new WeakSet<Server>();

/**
 * Once listening, a server's errors (an accept that failed, say) are told, never thrown: an
 * 'error' event without a listener would end the process, and every child's connection with it.
 * Running out of descriptors is one line however often it happens (resource-alarm.ts).
 */
function keepListening(server: Server, name: string, log: (line: string) => void): void {
  if (told.has(server)) return;
  told.add(server);
  const alarm = resourceAlarm(log);
  server.on('error', (error) => {
    if (!alarm.report(error)) log(`${name}: ${error.message}`);
  });
}

/**
 * Listens on `port`, or on the next free one when it is busy (EADDRINUSE), printing one line
 * saying so. Resolves to the port it listens on; rejects with a ListenError in plain words.
 */
export async function listenWithFallback(server: Server, options: ListenOptions): Promise<number> {
  const { port, host, what, log, tries = 20 } = options;
  const last = port === 0 ? 0 : Math.min(port + tries - 1, 65535);
  for (let candidate = port; candidate <= last; candidate++) {
    try {
      await listenOnce(server, candidate, host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && candidate < last) continue;
      throw new ListenError(reason(code, what, candidate, port, host, error));
    }
    const real = boundPort(server);
    if (candidate !== port) log(`${what} ${port} is busy; using ${real} instead.`);
    keepListening(server, `${what} ${real}`, log);
    return real;
  }
  // Not reached: the loop either returns or throws on its last candidate.
  throw new ListenError(`${what} ${port}: no free port found`);
}

/** One sentence for a listen failure. */
function reason(
  code: string | undefined,
  what: string,
  candidate: number,
  port: number,
  host: string | undefined,
  error: unknown,
): string {
  switch (code) {
    case 'EADDRINUSE':
      return `${what} ${port} and the ${candidate - port} ports after it are busy; choose another port`;
    case 'EACCES':
      return `${what} ${candidate} needs administrator rights; choose a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on "${host}": it is not an address of this computer`;
    default:
      return `${what} ${candidate}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
