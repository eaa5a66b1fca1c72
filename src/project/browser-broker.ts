/**
 * Where a program connects when it runs in the browser. A browser cannot open TCP, so the
 * connect block keeps the server meant for the board and the browser uses the project's
 * browser-broker setting: the studio's own broker by default, a public broker, or a custom URL.
 */
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
