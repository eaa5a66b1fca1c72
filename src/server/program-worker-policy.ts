/**
 * What a child's program may reach from its Worker (DESIGN.md, boundary 5): the broker its page
 * asked for, and nothing else. The page names that broker in the Worker script's address
 * (`program-worker-<hash>.js?broker=ws://host:port/mqtt`, see src/run/program-runner.ts), and the
 * server sends the script with a Content-Security-Policy whose `connect-src` is that broker alone.
 * A Worker's policy is the one its script came with, whatever its page's policy is.
 */

/** The program Worker's script as `vite build` names it (a chunk of its own under assets/). */
const PROGRAM_WORKER = /^\/assets\/program-worker-[\w-]+\.js$/;

/** Whether `name` (a path under dist/, with `/`) is the built program Worker or a copy of it. */
export function isProgramWorkerFile(name: string): boolean {
  return PROGRAM_WORKER.test(`/${name.replace(/\.(?:br|gz)$/, '')}`);
}

/**
 * The path sirv looks up for a request (`@polka/url`'s pathname, decoded as sirv decodes it, its
 * trailing slash dropped as sirv drops it), so the server decides on the file sirv would send.
 */
export function servedPath(url: string): string {
  let path = url.length > 1 ? url.replace(/(?<=.)[?#].*$/s, '') : url;
  if (path.includes('%')) {
    try {
      path = decodeURI(path);
    } catch {
      // sirv serves the path as it came; so is it judged here.
    }
  }
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Whether a request for `path` (from servedPath) gets the program Worker's script. */
export function isProgramWorkerPath(path: string): boolean {
  return PROGRAM_WORKER.test(path);
}

/**
 * A host a policy can name: letters, digits, hyphens and dots (names and IPv4 addresses).
 * Chromium takes no IPv6 address in a source (`ws://[::1]:8080/…` matches nothing there), so a
 * broker at one is refused here rather than silently unreachable.
 */
const CSP_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?$/;

/**
 * `broker` as it goes into `connect-src`, or null when it is not a plain WebSocket address in the
 * form the page writes it: `ws:` or `wss:`, a host, an optional port and path, nothing else (no
 * user or password, query or fragment, no wildcard, no IPv6 address). Characters that would end the source or the
 * directive (`;`, `,`) are percent-encoded, which CSP decodes again when it compares paths.
 */
export function brokerSource(broker: string | null): string | null {
  if (!broker || !URL.canParse(broker)) return null;
  const url = new URL(broker);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
  if (!CSP_HOST.test(url.hostname)) return null;
  const canonical = `${url.protocol}//${url.host}${url.pathname}`;
  if (canonical !== broker) return null;
  return canonical.replace(/[;,]/g, (char) => encodeURIComponent(char));
}

/**
 * The policy for a program Worker that may reach `broker` only, or null when `broker` is not a
 * plain WebSocket address. Its programs run as functions (`'unsafe-eval'`); it loads scripts only
 * from the studio, and starts no Workers of its own (another program Worker would come with
 * another broker).
 */
export function programWorkerPolicy(broker: string | null): string | null {
  const source = brokerSource(broker);
  if (!source) return null;
  return (
    `default-src 'none'; script-src 'self' 'unsafe-eval'; connect-src ${source}; ` +
    "worker-src 'none'; base-uri 'none'"
  );
}

/** The policy of a program Worker reached by a path the server did not expect: it reaches nothing. */
export const CLOSED_WORKER_POLICY =
  "default-src 'none'; script-src 'self' 'unsafe-eval'; connect-src 'none'; worker-src 'none'";
