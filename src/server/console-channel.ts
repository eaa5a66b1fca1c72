/**
 * The console channel: a WebSocket (at `/console`) over which the studio page watches every
 * message and client of the embedded broker, and publishes or sends commands, in JSON lines.
 *
 * Server → page:
 *   {type:'message', time, topic, payloadBase64, from, qos, retain, to?, direct?}
 *   {type:'clients', online:[…]}   (on connecting, and after every connect and disconnect)
 *   {type:'connect'|'disconnect'|'takeover', clientId}
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

/** A page that reads slower than this many bytes behind misses messages instead of using memory. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

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

/** The JSON line for one tapped message. */
function messageFrame(message: TapMessage): OutgoingFrame & { qos: number; retain: boolean } {
  const { time, topic, payload, from, qos, retain, to, direct } = message;
  return {
    type: 'message',
    time,
    topic,
    payloadBase64: payload.toString('base64'),
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
    for (const ws of this.#wss.clients) {
      if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(line);
    }
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
    for (const ws of this.#wss.clients) ws.terminate();
    this.#wss.close();
  }
}
