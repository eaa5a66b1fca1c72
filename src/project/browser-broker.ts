/**
 * Where a program connects when it runs in the browser. A browser cannot open TCP, so the
 * connect block keeps the server meant for the board and the browser uses the project's
 * browser-broker setting: the studio's own broker by default, a public broker, or a custom URL.
 */
import { RUN_PARAMETER } from '../class/class-protocol.ts';
import type { BrowserBrokerTarget } from '../run/protocol.ts';
import type { BrowserBroker } from './project-file.ts';

/** The public brokers a child can pick (all speak MQTT over secure WebSocket). */
export const PUBLIC_BROKERS = {
  emqx: 'wss://broker.emqx.io:8084/mqtt',
  hivemq: 'wss://broker.hivemq.com:8884/mqtt',
  mosquitto: 'wss://test.mosquitto.org:8081/mqtt',
} as const;

/** Whether `url` is a WebSocket address a browser can open. */
export function isBrokerUrl(url: string): boolean {
  try {
    return ['ws:', 'wss:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * The address and credential rule for a setting, seen from a page at `origin`. The username and
 * password go only to the studio's own broker or to an address the child typed in, never to a
 * public broker that anyone can read.
 */
export function brokerTarget(setting: BrowserBroker, origin: string): BrowserBrokerTarget {
  switch (setting.kind) {
    case 'preset':
      return { url: PUBLIC_BROKERS[setting.preset], sendCredentials: false };
    case 'custom':
      return { url: setting.url, sendCredentials: true };
    default: {
      const page = new URL(origin);
      const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
      return { url: `${scheme}//${page.host}/mqtt`, sendCredentials: true };
    }
  }
}

/** The studio's console channel beside its broker, for a page at `origin`. */
export function consoleUrl(origin: string): string {
  const page = new URL(origin);
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/console`;
}

/** What a broker address shows in place of its password. */
export const MASKED_PASSWORD = '•••';

/** `scheme://user:` and the password after it, up to the last `@` before the path. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)([^/?#]*)@/i;
/** The same, up to the last `@` anywhere: for text the URL standard cannot parse at all. */
const LOOSE_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)(.*)@/i;

/** `url` split around its password, or null when it carries none. */
function splitPassword(url: string): { before: string; password: string; after: string } | null {
  let match = USERINFO.exec(url);
  // A password holding `/`, `?` or `#` unescaped makes the address unparsable, but a person
  // meant a password there: hiding up to the last `@` may hide more than it, never less.
  if (!match && !URL.canParse(url)) match = LOOSE_USERINFO.exec(url);
  if (!match || match[2] === '') return null;
  return { before: match[1], password: match[2], after: url.slice(match[0].length - 1) };
}

/**
 * `url` as it may be shown or printed: a password in it (`ws://user:password@host/…`) becomes
 * `•••` (`ws://user:•••@host/…`), the rest stays exactly as typed. Every sentence that names a
 * broker address goes through this: a custom address may carry the classroom's password, and
 * the Messages panel is projected, read over shoulders and copied into bug reports.
 */
export function maskedBrokerUrl(url: string): string {
  const parts = splitPassword(url);
  return parts ? `${parts.before}${MASKED_PASSWORD}${parts.after}` : url;
}

/**
 * A program's broker address as Messages shows it: the password masked, and the run's secret
 * for the classroom wall (`?run=…`, src/class/) left out — only the page and its program's
 * connection may know it, and a child's screen is seen by the class.
 */
export function shownBrokerUrl(url: string): string {
  let shown = url;
  try {
    const parsed = new URL(url);
    if (parsed.searchParams.has(RUN_PARAMETER)) {
      parsed.searchParams.delete(RUN_PARAMETER);
      shown = parsed.href;
    }
  } catch {
    // Not an address URL can read: shown as it is, its password masked.
  }
  return maskedBrokerUrl(shown);
}

/**
 * The address to store after a person edited the masked one in an input: where `edited` still
 * carries `•••` as its password (they changed the host, say, not the password), the password of
 * `stored` is put back, so showing the masked address for editing never loses the real password.
 */
export function withStoredPassword(edited: string, stored: string): string {
  const parts = splitPassword(edited);
  const password = splitPassword(stored)?.password;
  if (parts?.password !== MASKED_PASSWORD || password === undefined) return edited;
  return `${parts.before}${password}${parts.after}`;
}
