/**
 * The classroom server: the built studio (`dist/`), the broker's WebSocket (`/mqtt`) and console
 * (`/console`) on the same HTTP port, and MQTT over TCP for boards, in one process.
 */
import { existsSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import sirv from 'sirv';
import { createBroker, type StudioBroker } from './broker.ts';
import { listenWithFallback } from './listen.ts';

/** Options of startStudio. */
export interface StudioOptions {
  /** HTTP port (0 = any free port); the next ones are tried when it is busy. Default 8080. */
  port?: number;
  /** MQTT TCP port for boards (0 = any free port); falls back like `port`. Default 1883. */
  mqttPort?: number;
  /** Interface to listen on; undefined (the default) means all, so the classroom can connect. */
  host?: string;
  /** The project folder: its `dist/` (made by `vite build`) is what is served. */
  root: string;
  /** Another build folder to serve instead of `root/dist` (the benchmark compares builds). */
  dist?: string;
  /** Where the printed lines go; console.log by default. */
  log?: (line: string) => void;
}

/** A running studio server. */
export interface Studio {
  /** The studio's address on this computer, e.g. `http://localhost:8080/`. */
  url: string;
  httpPort: number;
  mqttPort: number;
  /** IPv4 addresses other computers and boards can reach this one at (may be empty). */
  lanAddresses: string[];
  broker: StudioBroker;
  /** Stops accepting, closes every connection and the broker. */
  close(): Promise<void>;
}

/** Vite puts content hashes in every file name under assets/: those never change. */
function setCacheHeaders(res: ServerResponse, pathname: string): void {
  res.setHeader(
    'Cache-Control',
    pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

const ALL_INTERFACES = new Set([undefined, '', '0.0.0.0', '::']);

/** IPv4 addresses of this computer that others on the network can reach, given the host. */
export function lanAddressesFor(host: string | undefined): string[] {
  const all = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  if (ALL_INTERFACES.has(host)) return all;
  return all.filter((address) => address === host);
}

/** A host as it goes in a URL (IPv6 in brackets); "localhost" for all interfaces. */
function urlHost(host: string | undefined): string {
  if (ALL_INTERFACES.has(host)) return 'localhost';
  return host!.includes(':') ? `[${host}]` : host!;
}

/** Starts the HTTP server and the broker, prints where they are, and resolves once both listen. */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const { port = 8080, mqttPort = 1883, host, root } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const dist = options.dist ?? join(root, 'dist');
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(`the studio is not built: ${join(dist, 'index.html')} is missing`);
  }
  const serve = sirv(dist, { brotli: true, gzip: true, etag: true, setHeaders: setCacheHeaders });
  const server = createServer((req, res) =>
    serve(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found\n');
    }),
  );
  const broker = await createBroker({ log });
  broker.attachWebSocket(server);
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Browsers keep idle connections open; without this close() would wait for them.
      server.closeAllConnections();
    });
  let httpPort: number;
  let realMqttPort: number;
  try {
    httpPort = await listenWithFallback(server, { port, host, what: 'Port', log });
    realMqttPort = await broker.listenTcp(mqttPort, host);
  } catch (error) {
    await broker.close();
    if (server.listening) await closeServer();
    throw error;
  }
  const url = `http://${urlHost(host)}:${httpPort}/`;
  const lanAddresses = lanAddressesFor(host);
  log(`Studio: ${url}`);
  log(`MQTT TCP: ${urlHost(host)}:${realMqttPort}`);
  for (const address of lanAddresses) {
    log(
      `On the classroom network: http://${address}:${httpPort}/  —  ` +
        `boards connect to ${address} port ${realMqttPort}`,
    );
  }
  if (lanAddresses.length === 0) {
    log('No classroom network address: only this computer can open the studio.');
  }
  return {
    url,
    httpPort,
    mqttPort: realMqttPort,
    lanAddresses,
    broker,
    close: async () => {
      await Promise.all([broker.close(), closeServer()]);
    },
  };
}
