/**
 * The MQTT transport: the only module that imports `mqtt` (DESIGN.md, boundary 5). It speaks
 * MQTT 3.1.1 over WebSocket with mqtt.js, moves payloads as bytes, and turns every way the first
 * connection can fail into a sentence a child can read.
 *
 * It behaves as umqtt.simple does on the board (DESIGN.md, boundary 7): it sends no ping of its
 * own (mqtt.js declares the keep-alive to the broker but its pinger is given a timer that never
 * fires; the program's keep-alive calls `ping()`), and once connected it never reconnects: a
 * connection that drops stays closed, and writes after that fail.
 */
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { shownBrokerUrl } from '../project/browser-broker.ts';
import { SentenceError, sentence, type Sentence } from './strings.ts';

/** How long the first connection may take before `connectTransport` gives up. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** How many first attempts may close without a CONNACK before the program hears why. */
const FIRST_ATTEMPTS = 3;
/** Wait between the first connection's attempts (see `FIRST_ATTEMPTS`). */
const RETRY_PERIOD_MS = 1000;
/** A timer for mqtt.js's pinger that never fires: only the program pings, as on the board. */
const NO_PINGS = { set: () => 0, clear: () => {} };
/** How long `end()` waits for a clean DISCONNECT before dropping the socket. */
const END_TIMEOUT_MS = 300;

/** What `connectTransport` needs. */
export interface TransportOptions {
  /** `ws://` or `wss://` URL of the broker, path included (e.g. `ws://host:8080/mqtt`). */
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Keep-alive in seconds, declared to the broker (0 switches its check off); nothing pings by itself. */
  keepalive: number;
  /** Every message that arrives, its payload copied into a plain `Uint8Array`. */
  onMessage(topic: string, payload: Uint8Array): void;
  /** Called once online (CONNACK received), and once offline when the connection is lost. */
  onStatus(online: boolean): void;
  /** Aborting it while the first connection is pending ends the client and rejects. */
  signal?: AbortSignal;
  /** Overrides `CONNECT_TIMEOUT_MS` (tests). */
  connectTimeoutMs?: number;
}

/** A connected MQTT client. */
export interface Transport {
  /** Subscribes at QoS 0; resolves on SUBACK; rejects once the connection is lost. */
  subscribe(topic: string): Promise<void>;
  /** Publishes at QoS 0; resolves once written; rejects once the connection is lost. */
  publish(topic: string, payload: Uint8Array): Promise<void>;
  /** Sends PINGREQ (umqtt's `ping()`); does nothing once the connection is lost. */
  ping(): void;
  /** Sends DISCONNECT and closes the socket; never reconnects afterwards. Safe to call twice. */
  end(): Promise<void>;
}

/** MQTT 3.1.1 CONNACK return codes turned into a child's sentence. */
function refusal(code: number, url: string, clientId: string): Sentence {
  switch (code) {
    case 2:
      return sentence('clientIdRejected', url, clientId);
    case 4:
      return sentence('badCredentials', url);
    case 5:
      return sentence('notAuthorized', url);
    default:
      return sentence('brokerRefused', url, code);
  }
}

/** Ends `client`, cleanly (DISCONNECT) when it can, by dropping the socket when that is slow. */
function endClient(client: MqttClient): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // A second `end()` would be ignored while the first one is pending: close the socket.
      try {
        client.stream?.destroy();
      } finally {
        resolve();
      }
    }, END_TIMEOUT_MS);
    client.end(false, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Connects to the broker at `options.url`. Resolves on the first CONNACK; rejects with a
 * readable Error when the broker cannot be reached (the first connection attempt fails or no
 * CONNACK comes within ~10 s) or refuses the connection (e.g. a wrong password). After that the
 * client reconnects every second for as long as it lives, reporting offline/online.
 */
export function connectTransport(options: TransportOptions): Promise<Transport> {
  const { url, clientId } = options;
  // Every sentence names the broker by this: the address may carry a password.
  const shown = shownBrokerUrl(url);
  if (!/^wss?:\/\//i.test(url)) {
    return Promise.reject(new SentenceError(sentence('badBrokerUrl', shown)));
  }
  const timeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const clientOptions: IClientOptions = {
    clientId,
    username: options.username,
    password: options.password,
    keepalive: options.keepalive,
    protocolVersion: 4,
    clean: true,
    // Only the first connection is retried (see `FIRST_ATTEMPTS`); set to 0 once connected.
    reconnectPeriod: RETRY_PERIOD_MS,
    // Our own timer below words the first failure; this one bounds each attempt.
    connectTimeout: timeoutMs + 1000,
    timerVariant: NO_PINGS,
    // A write while offline fails, as a write on the board's closed socket does.
    queueQoSZero: false,
    resubscribe: false,
  };
  const client = mqtt.connect(url, clientOptions);
  let online = false;
  let ended = false;
  const setOnline = (value: boolean) => {
    if (ended || value === online) return;
    online = value;
    options.onStatus(value);
  };

  client.on('message', (topic, payload) => {
    // mqtt.js hands over its Buffer polyfill (a Uint8Array subclass that may share a larger
    // pool); the program gets its own plain copy.
    if (!ended) options.onMessage(topic, new Uint8Array(payload));
  });
  client.on('connect', () => {
    // umqtt never reconnects: from now on a lost connection stays lost.
    client.options.reconnectPeriod = 0;
    setOnline(true);
  });
  client.on('close', () => setOnline(false));

  const connected = () => {
    if (!online || ended) throw new SentenceError(sentence('connectionLost'));
  };
  const transport: Transport = {
    async subscribe(topic) {
      connected();
      const granted = await client.subscribeAsync(topic, { qos: 0 });
      if (granted.some((g) => g.qos === 128)) {
        throw new SentenceError(sentence('subscribeRefused', topic));
      }
    },
    async publish(topic, payload) {
      connected();
      // mqtt-packet takes any Uint8Array as the payload (length from byteLength, bytes as is).
      await client.publishAsync(topic, payload as Buffer, { qos: 0 });
    },
    ping() {
      if (online) client.sendPing();
    },
    async end() {
      if (ended) return;
      ended = true;
      await endClient(client);
    },
  };

  return new Promise<Transport>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      cleanup();
      ended = true;
      client.end(true);
      reject(error);
    };
    const onConnect = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(transport);
    };
    const onError = (error: Error & { code?: unknown }) => {
      // A CONNACK refusal carries its return code; socket errors carry none (the browser
      // does not say why a WebSocket failed) and end in 'close' below.
      if (typeof error.code === 'number' && error.code > 0) {
        fail(new SentenceError(refusal(error.code, shown, clientId)));
      }
    };
    // An attempt is over without a CONNACK. Once may be chance (the broker was still closing an
    // earlier connection with this client ID, say); after FIRST_ATTEMPTS mqtt.js retries the
    // broker is not there (or not a broker), which a child should hear within seconds.
    let attempts = 0;
    const onClose = () => {
      if (++attempts >= FIRST_ATTEMPTS)
        fail(new SentenceError(sentence('cannotReachBroker', shown)));
    };
    const onAbort = () => fail(new Error('stopped'));
    const timer = setTimeout(
      () =>
        fail(new SentenceError(sentence('brokerTimedOut', shown, Math.round(timeoutMs / 1000)))),
      timeoutMs,
    );
    const cleanup = () => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      client.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    };
    client.on('connect', onConnect);
    client.on('error', onError);
    client.on('close', onClose);
    // mqtt.js emits 'error' for every failed attempt; without a listener later ones would be
    // thrown as uncaught. Reconnecting is the answer to them, so they are ignored here.
    client.on('error', () => {});
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort);
  });
}
