/**
 * The classroom server: the built studio (`dist/`), the broker's WebSocket (`/mqtt`) and console
 * (`/console`) on the same HTTP port, and MQTT over TCP for boards, in one process.
 */
import { existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import sirv from 'sirv';
import { createBroker, type StudioBroker } from './broker.ts';
import { ClassDoor } from './class-password.ts';
import {
  BOARD_PATH,
  CLASSROOM_PATH,
  CLASS_PAGE_FILE,
  CLASS_PAGE_PATH,
  ClassWall,
} from './class-wall.ts';
import { listenWithFallback } from './listen.ts';
import {
  CLOSED_WORKER_POLICY,
  isProgramWorkerFile,
  isProgramWorkerPath,
  programWorkerPolicy,
  servedPath,
} from './program-worker-policy.ts';
import { resourceAlarm } from './resource-alarm.ts';
import { shownRedisUrl } from './school.ts';
import { pathnameOf, refuseUpgrade, upgradeRefusal } from './upgrade-door.ts';

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
  /**
   * The class password (`CLASS_PASSWORD`): when set, the studio's pages ask for it once per
   * browser, and the broker's and console's WebSockets need the cookie it gives. The MQTT TCP
   * port for boards is not asked. Unset or empty: no password.
   */
  classPassword?: string;
  /**
   * A Redis address (`REDIS_URL`): the broker shares one MQTT space with every studio process on
   * it (school.ts). Unset: the broker keeps everything in this process's memory.
   */
  redisUrl?: string;
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
  /** The teacher's classroom wall: its page is `/class?token=<wall.token>`. */
  wall: ClassWall;
  /** Stops accepting, closes every connection and the broker. */
  close(): Promise<void>;
}

/** The WebSocket paths of the studio: the broker's, the console's and the classroom wall's. */
const WEBSOCKET_PATHS = ['/mqtt', '/console', BOARD_PATH, CLASSROOM_PATH];

/**
 * The policy of the studio's pages: scripts only from the studio, no plugins, and no other site
 * may frame them (a framed studio could be clicked through by another page). Styles are not
 * restricted: Blockly adds `<style>` elements. The page may connect anywhere: a child may pick a
 * public broker; the program Worker has a policy of its own (program-worker-policy.ts).
 */
export const PAGE_POLICY =
  "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
  "frame-ancestors 'none'";

/**
 * Headers every answer of the studio carries. Its addresses go in a Referer to the studio only:
 * `no-referrer` would also make a browser send `Origin: null` with the studio's own form posts.
 */
function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', PAGE_POLICY);
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** A file's identity on disk, whatever path reaches it. */
function fileKey(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** The program Worker's built script and its precompressed copies under `dist`, by identity. */
function programWorkerFiles(dist: string): Set<string> {
  const assets = join(dist, 'assets');
  if (!existsSync(assets)) return new Set();
  return new Set(
    readdirSync(assets)
      .filter((name) => isProgramWorkerFile(`assets/${name}`))
      .map((name) => fileKey(statSync(join(assets, name)))),
  );
}

/** The query of a request's URL (never throws, whatever the URL). */
function queryOf(url: string): URLSearchParams {
  const start = url.indexOf('?');
  return new URLSearchParams(start < 0 ? '' : url.slice(start + 1).split('#')[0]);
}

/** Answers with a short plain-text sentence. */
function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
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
  const alarm = resourceAlarm(log);
  const door = options.classPassword ? new ClassDoor(options.classPassword) : null;
  const workerFiles = programWorkerFiles(dist);
  /** Answers given a program Worker's policy for the broker they named. */
  const workerAnswers = new WeakSet<ServerResponse>();
  const serve = sirv(dist, {
    brotli: true,
    gzip: true,
    etag: true,
    setHeaders(res, pathname, stats) {
      // Vite puts content hashes in every file name under assets/: those never change.
      res.setHeader(
        'Cache-Control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      // However it was asked for, the program Worker never goes out with the page's policy.
      if (workerFiles.has(fileKey(stats)) && !workerAnswers.has(res)) {
        res.setHeader('Content-Security-Policy', CLOSED_WORKER_POLICY);
      }
    },
  });
  const notFound = (res: ServerResponse) => () => sendText(res, 404, 'Not found');
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // sirv pipes a file stream into the answer without listening for its errors; out of
    // descriptors its 'error' would end the process. The answer is cut off instead.
    res.on('pipe', (source: Readable) =>
      source.on('error', (error) => {
        if (!alarm.report(error)) log(`Could not send ${req.url}: ${error.message}`);
        res.destroy();
      }),
    );
    setSecurityHeaders(res);
    if (door?.answer(req, res)) return;
    const path = servedPath(req.url ?? '/');
    // The teacher's page only with the token printed in the terminal.
    if (path === CLASS_PAGE_PATH || path.startsWith('/src/class/')) {
      if (!wall.admits(req)) {
        return sendText(res, 403, 'The classroom wall opens from the link `npm start` printed.');
      }
      req.url = CLASS_PAGE_FILE;
    }
    // Precompressed copies go out only for the file they copy, to browsers that accept them.
    if (/\.(?:br|gz)$/.test(path)) return notFound(res)();
    if (isProgramWorkerPath(path)) {
      const broker = queryOf(req.url ?? '/').getAll('broker');
      const policy = programWorkerPolicy(broker.length === 1 ? broker[0] : null);
      if (!policy) {
        return sendText(res, 400, 'The program Worker needs ?broker=<a ws:// or wss:// address>');
      }
      res.setHeader('Content-Security-Policy', policy);
      workerAnswers.add(res);
    }
    serve(req, res, notFound(res));
  };
  const server = createServer(onRequest);
  const broker = await createBroker({ log, redisUrl: options.redisUrl });
  const wall = new ClassWall(broker);
  // The broker sees only the upgrades the door lets through: it is attached to a server of its
  // own that never listens, and the studio's server hands it those requests.
  const brokerDoor = createServer();
  broker.attachWebSocket(brokerDoor);
  const admitted = (req: IncomingMessage) => !door || door.admits(req);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', (error) => alarm.report(error));
    const refusal = upgradeRefusal(req, WEBSOCKET_PATHS, admitted);
    const pathname = pathnameOf(req);
    if (refusal) refuseUpgrade(socket, refusal);
    else if (pathname === BOARD_PATH || pathname === CLASSROOM_PATH) {
      wall.handleUpgrade(pathname, req, socket, head);
    } else brokerDoor.emit('upgrade', req, socket, head);
  });
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
    wall.close();
    await broker.close();
    if (server.listening) await closeServer();
    throw error;
  }
  const url = `http://${urlHost(host)}:${httpPort}/`;
  const lanAddresses = lanAddressesFor(host);
  log(`Studio: ${url}`);
  log(`MQTT TCP: ${urlHost(host)}:${realMqttPort}`);
  if (options.redisUrl) {
    log(
      `Redis: ${shownRedisUrl(options.redisUrl)}: one MQTT space with every studio process ` +
        'that uses it',
    );
  }
  log(`Classroom wall, for the teacher only: ${url}class?token=${wall.token}`);
  if (door) {
    log(
      'Class password: on. Pages and their WebSockets ask for it once per browser; ' +
        'boards on the MQTT port do not.',
    );
  }
  for (const address of lanAddresses) {
    log(
      `On the classroom network: http://${address}:${httpPort}/  —  ` +
        `boards connect to ${address} port ${realMqttPort}`,
    );
  }
  if (lanAddresses.length > 0) {
    log(
      `Classroom wall from a tablet: http://${lanAddresses[0]}:${httpPort}/class?token=${wall.token}`,
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
    wall,
    close: async () => {
      wall.close();
      await Promise.all([broker.close(), closeServer()]);
    },
  };
}
