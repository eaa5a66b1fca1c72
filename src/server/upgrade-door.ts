/**
 * The door of the studio's WebSockets (DESIGN.md, boundary 6): which upgrade requests reach the
 * broker (`/mqtt`) and the console (`/console`), and how the others are turned away. Any page on
 * the web can ask a browser to open a WebSocket anywhere, and the browser says which page asked in
 * the Origin header: only the studio's own pages (the Origin's host is the Host the request was
 * sent to) and clients that are no web page (no Origin: boards' tools, scripts) get in.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Why an upgrade request is turned away: the status and the one sentence it is answered with. */
export interface Refusal {
  status: 400 | 401 | 403;
  text: string;
}

/** The path of a request, or null when its URL cannot be read. */
export function pathnameOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/** Whether `req` comes from no web page or from a page of the server it was sent to. */
export function fromOwnPage(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    const page = new URL(origin);
    if (page.protocol !== 'http:' && page.protocol !== 'https:') return false;
    // Parsed with the page's scheme, so a default port written out (`host:80`) still matches.
    return page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file) and anything unreadable.
    return false;
  }
}

/**
 * Why the upgrade request `req` may not open a WebSocket, or null when it may: only `paths` are
 * WebSockets, only from the studio's own pages, and only with the class cookie when `admitted`
 * says it is missing.
 */
export function upgradeRefusal(
  req: IncomingMessage,
  paths: readonly string[],
  admitted: (req: IncomingMessage) => boolean,
): Refusal | null {
  const pathname = pathnameOf(req);
  const websocket = req.headers.upgrade?.toLowerCase() === 'websocket';
  if (!websocket || pathname === null || !paths.includes(pathname)) {
    const list =
      paths.length > 1 ? `${paths.slice(0, -1).join(', ')} and ${paths.at(-1)}` : paths[0];
    return { status: 400, text: `No WebSocket here: the studio's are ${list}.` };
  }
  if (!fromOwnPage(req)) {
    return { status: 403, text: "Only the studio's own pages may open its WebSockets." };
  }
  if (!admitted(req)) {
    return { status: 401, text: 'Type the class password on the studio’s page first.' };
  }
  return null;
}

const REASONS = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' } as const;

/**
 * Answers an upgrade request on its raw socket and closes the socket: without an answer it would
 * stay open for ever (the client waits, then leaves it in CLOSE-WAIT) and hold Ctrl-C up.
 */
export function refuseUpgrade(socket: Duplex, { status, text }: Refusal): void {
  const body = Buffer.from(`${text}\n`);
  const head =
    `HTTP/1.1 ${status} ${REASONS[status]}\r\n` +
    'Connection: close\r\n' +
    'Content-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n\r\n`;
  if (socket.destroyed) return;
  socket.end(Buffer.concat([Buffer.from(head), body]), () => socket.destroy());
}
