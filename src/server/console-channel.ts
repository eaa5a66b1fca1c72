/**
 * The console channel: a WebSocket (at `/console`) over which the studio page watches every
 * message and client of the embedded broker, and publishes or sends commands, in JSON lines.
 *
 * Server → page:
 *   {type:'message', time, topic, payloadBase64, size?, from, qos, retain, to?, direct?}
 *                                   (payloadBase64 holds at most PREVIEW_BYTES; size is the
 *                                   full length when it holds only the start)
 *   {type:'clients', online:[…]}   (on connecting, and after every connect and disconnect)
 *   {type:'connect'|'disconnect'|'takeover', clientId}
 *   {type:'skipped', count}         (that many messages were not sent: the page read too slowly)
 *   {type:'error', message}         (answer to a frame that was not understood)
 * Page → server:
 *   {type:'publish', topic, payloadText}   {type:'send', clientId, payloadText} (= cmd/<clientId>)
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
// The page's side of the wire format: one definition, so the type check keeps both in step.
import type { ConsoleCommand, ConsoleFrame } from '../console/console-protocol.ts';
import type { BrokerEvents, StudioBroker, TapMessage } from './broker.ts';

/** A page frame larger than this is refused by ws (payload text is typed by a person). */
const MAX_FRAME_BYTES = 256 * 1024;

/**
 * A frame that would take a page's unsent bytes past this is not sent (the page misses it)
 * rather than held in the server's memory: 20 pages that stop reading cost at most 20 times this.
 */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * How much of a payload the pages get: they show its first 2048 bytes and its full length, and a
 * payload may be as large as the broker's message limit, sent to every page.
 */
export const PREVIEW_BYTES = 4096;

/** How often a page that missed messages is checked for room to be told so. */
const CATCH_UP_CHECK_MS = 500;

/** The command a page's frame asks for, or a sentence saying why it is not one. */
export function parseConsoleCommand(text: string): ConsoleCommand | string {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return 'the frame is not JSON';
  }
  if (typeof frame !== 'object' || frame === null) return 'the frame is not a JSON object';
  const { type, topic, clientId, payloadText } = frame as Record<string, unknown>;
  if (typeof payloadText !== 'string') return 'payloadText must be a string';
  if (type === 'publish') {
    if (typeof topic !== 'string') return 'topic must be a string';
    return { type, topic, payloadText };
  }
  if (type === 'send') {
    if (typeof clientId !== 'string' || clientId === '')
      return 'clientId must be a non-empty string';
    return { type, clientId, payloadText };
  }
  return 'type must be "publish" or "send"';
}

/** A frame to the page: the page's ConsoleFrame (plus qos and retain), or an error answer. */
type OutgoingFrame = ConsoleFrame | { type: 'error'; message: string };

/** How many bytes of `payload` a page gets: PREVIEW_BYTES, less a character cut in two. */
function previewLength(payload: Buffer): number {
  if (payload.length <= PREVIEW_BYTES) return payload.length;
  let end = PREVIEW_BYTES;
  // UTF-8 continuation bytes are 10xxxxxx; a character is at most 4 bytes.
  while (end > PREVIEW_BYTES - 3 && (payload[end] & 0xc0) === 0x80) end--;
  return end;
}

/** The JSON line for one tapped message: the start of a long payload, and its full length. */
export function messageFrame(
  message: TapMessage,
): OutgoingFrame & { qos: number; retain: boolean } {
  const { time, topic, payload, from, qos, retain, to, direct } = message;
  const shown = previewLength(payload);
  return {
    type: 'message',
    time,
    topic,
    payloadBase64: payload.subarray(0, shown).toString('base64'),
    ...(shown < payload.length ? { size: payload.length } : {}),
    from,
    qos,
    retain,
    ...(to === undefined ? {} : { to }),
    ...(direct ? { direct } : {}),
  };
}

/** Sends one frame to one page. */
function send(ws: WebSocket, frame: OutgoingFrame): void {
  ws.send(JSON.stringify(frame));
}

/** The console WebSocket endpoint of one HTTP server; see the file comment for its frames. */
export class ConsoleChannel {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  readonly #listeners: { [K in keyof BrokerEvents]?: (...args: BrokerEvents[K]) => void } = {};
  /** Pages that missed messages: how many, and the timer that waits for room to tell them. */
  readonly #behind = new Map<WebSocket, { count: number; timer: NodeJS.Timeout }>();

  constructor(private readonly broker: StudioBroker) {
    this.#listen('message', (message) => this.#broadcast(messageFrame(message)));
    this.#listen('clients', (online) => this.#broadcast({ type: 'clients', online }));
    for (const type of ['connect', 'disconnect', 'takeover'] as const) {
      this.#listen(type, (clientId) => this.#broadcast({ type, clientId }));
    }
  }

  #listen<K extends keyof BrokerEvents>(event: K, listener: (...args: BrokerEvents[K]) => void) {
    this.#listeners[event] = listener as never;
    this.broker.on(event, listener as never);
  }

  #broadcast(frame: OutgoingFrame): void {
    const line = JSON.stringify(frame);
    const bytes = Buffer.byteLength(line);
    for (const ws of this.#wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      // A page that missed messages hears so before anything newer.
      if (this.#behind.has(ws)) this.#catchUp(ws);
      if (ws.bufferedAmount + bytes <= MAX_BUFFERED_BYTES && !this.#behind.has(ws)) {
        ws.send(line);
      } else if (frame.type === 'message') {
        this.#miss(ws);
      } else if (!this.#behind.has(ws)) {
        // Who is online is sent again when the page catches up; no message was missed.
        this.#miss(ws, 0);
      }
    }
  }

  /** Notes that `ws` missed `count` messages, and starts waiting for room to tell it. */
  #miss(ws: WebSocket, count = 1): void {
    const behind = this.#behind.get(ws);
    if (behind) {
      behind.count += count;
      return;
    }
    const timer = setInterval(() => this.#catchUp(ws), CATCH_UP_CHECK_MS);
    timer.unref();
    this.#behind.set(ws, { count, timer });
  }

  /**
   * Once a page that missed frames has read half its backlog: tells it how many messages it
   * missed and who is online now (connect and disconnect frames may have been among them).
   * Waiting for half, not for room for one frame, keeps a slow page from flapping between
   * missing and getting messages, and the online list is not written out for every message.
   */
  #catchUp(ws: WebSocket): void {
    const behind = this.#behind.get(ws);
    if (!behind) return;
    if (ws.readyState !== WebSocket.OPEN) {
      clearInterval(behind.timer);
      this.#behind.delete(ws);
      return;
    }
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES / 2) return;
    const clients = JSON.stringify({ type: 'clients', online: this.broker.online() });
    const skipped = JSON.stringify({ type: 'skipped', count: behind.count });
    const bytes = Buffer.byteLength(clients) + skipped.length;
    if (ws.bufferedAmount + bytes > MAX_BUFFERED_BYTES) return;
    clearInterval(behind.timer);
    this.#behind.delete(ws);
    if (behind.count > 0) ws.send(skipped);
    ws.send(clients);
  }

  /** Accepts an upgrade request already known to be for the console's path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports a bad frame (too big, not UTF-8) as an error and closes the socket itself.
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => this.#run(ws, isBinary ? null : data.toString()));
      send(ws, { type: 'clients', online: this.broker.online() });
    });
  }

  /** Carries out one frame (null: a binary one), answering an error frame when it cannot. */
  #run(ws: WebSocket, text: string | null): void {
    const fail = (message: string) => send(ws, { type: 'error', message });
    const command = text === null ? 'frames must be text' : parseConsoleCommand(text);
    if (typeof command === 'string') return fail(command);
    const topic = command.type === 'send' ? `cmd/${command.clientId}` : command.topic;
    // publish() checks the topic (no wildcards, not $SYS/…) and rejects in words.
    this.broker.publish(topic, command.payloadText).catch((error: Error) => fail(error.message));
  }

  /** Stops listening to the broker and closes every console socket. */
  close(): void {
    for (const [event, listener] of Object.entries(this.#listeners)) {
      this.broker.off(event as keyof BrokerEvents, listener as never);
    }
    for (const { timer } of this.#behind.values()) clearInterval(timer);
    this.#behind.clear();
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}
