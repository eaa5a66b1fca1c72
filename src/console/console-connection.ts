/**
 * `ConsoleConnection`: the studio's link to the server's console WebSocket (`/console`). It turns
 * text frames into typed events (dropping any it does not understand) and, when the link drops —
 * the teacher restarted the server, the laptop slept — tries again, waiting longer each time so
 * forty browsers do not hammer a server that is coming back up.
 */
import { parseConsoleFrame, type ConsoleCommand, type ConsoleEvent } from './console-protocol.ts';

/** Where the link is: opening, open, closed and waiting to try again, or closed for good. */
export type ConsoleState = 'connecting' | 'open' | 'retrying' | 'closed';

/** What a connection reports to its owner. */
export interface ConsoleHandlers {
  /** A frame arrived and was understood. */
  onEvent(event: ConsoleEvent): void;
  /** The link's state changed. */
  onState?(state: ConsoleState): void;
}

/** How long to wait before trying again. */
export interface RetryOptions {
  /** The wait after the first failure, in ms. */
  firstDelayMs?: number;
  /** The longest wait, in ms; waits double up to it. */
  maxDelayMs?: number;
}

/** A link that stayed open this long was healthy: the next failure starts the waits over. */
const HEALTHY_MS = 10_000;

/** Whether `url` is an absolute `ws:` or `wss:` URL. */
export function isConsoleUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol } = new URL(url);
  return protocol === 'ws:' || protocol === 'wss:';
}

/** One console link; it opens at once and keeps itself open until `close()`. */
export class ConsoleConnection {
  private _socket: WebSocket | null = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _failures = 0;
  private _openedAt = 0;
  private _state: ConsoleState = 'connecting';
  private readonly _firstDelayMs: number;
  private readonly _maxDelayMs: number;

  /** Opens a link to `url` (`ws://host/console`); throws a TypeError for any other kind of URL. */
  constructor(
    readonly url: string,
    private readonly _handlers: ConsoleHandlers,
    { firstDelayMs = 500, maxDelayMs = 10_000 }: RetryOptions = {},
  ) {
    if (!isConsoleUrl(url)) throw new TypeError(`Not a ws:// or wss:// URL: ${url}`);
    this._firstDelayMs = firstDelayMs;
    this._maxDelayMs = maxDelayMs;
    this._open();
  }

  /** Where the link is now. */
  get state(): ConsoleState {
    return this._state;
  }

  /** Sends `text` to device `clientId` (published on `cmd/<clientId>`); false when not open. */
  send(clientId: string, text: string): boolean {
    return this._command({ type: 'send', clientId, payloadText: text });
  }

  /** Publishes `text` on `topic`; false when not open. */
  publish(topic: string, text: string): boolean {
    return this._command({ type: 'publish', topic, payloadText: text });
  }

  /** Closes the link for good: no more events, no more tries. */
  close(): void {
    clearTimeout(this._timer);
    const socket = this._socket;
    this._socket = null;
    socket?.close();
    this._setState('closed');
  }

  private _command(command: ConsoleCommand): boolean {
    if (this._state !== 'open' || this._socket?.readyState !== WebSocket.OPEN) return false;
    this._socket.send(JSON.stringify(command));
    return true;
  }

  private _open(): void {
    this._setState('connecting');
    const socket = new WebSocket(this.url);
    this._socket = socket;
    socket.addEventListener('open', () => {
      if (this._socket !== socket) return;
      this._openedAt = performance.now();
      this._setState('open');
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      if (this._socket !== socket || typeof event.data !== 'string') return;
      const parsed = parseConsoleFrame(event.data);
      if (parsed) this._handlers.onEvent(parsed);
    });
    // Every failure ends in `close`, whether the link never opened or dropped later.
    socket.addEventListener('close', () => {
      if (this._socket !== socket) return;
      this._socket = null;
      const wasHealthy = this._state === 'open' && performance.now() - this._openedAt > HEALTHY_MS;
      if (wasHealthy) this._failures = 0;
      this._retryLater();
    });
  }

  private _retryLater(): void {
    const base = Math.min(this._maxDelayMs, this._firstDelayMs * 2 ** this._failures);
    this._failures = Math.min(this._failures + 1, 30);
    // Between half and all of the wait, so browsers that lost the server together spread out.
    const delay = base * (0.5 + Math.random() / 2);
    this._setState('retrying');
    this._timer = setTimeout(() => this._open(), delay);
  }

  private _setState(state: ConsoleState): void {
    if (state === this._state) return;
    this._state = state;
    this._handlers.onState?.(state);
  }
}
