/**
 * A studio page's side of the classroom wall (src/class/class-protocol.ts): while a program runs
 * on the studio's own broker, the page (never the program's Worker, whose MQTT connection lives
 * the real board's life) sends what its virtual board shows on `/board`, at most
 * STATE_PER_SECOND times a second, the last state winning, and stops the Run when the teacher
 * stops every program.
 */
import type { BoardState } from '../board/board-state.ts';
import { RUN_PARAMETER, STATE_PER_SECOND, type StateFrame } from './class-protocol.ts';

/** A new secret for one run: only this page and its program's MQTT connection know it. */
export function newRunSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The program's broker address carrying the run's secret. */
export function withRunSecret(brokerUrl: string, run: string): string {
  const url = new URL(brokerUrl);
  url.searchParams.set(RUN_PARAMETER, run);
  return url.href;
}

/** The studio's `/board` channel, for a page at `origin`. */
export function boardChannelUrl(origin: string): string {
  const page = new URL(origin);
  return `${page.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.host}/board`;
}

const GAP_MS = 1000 / STATE_PER_SECOND;

/** One run's link to the classroom wall. */
export class BoardLink {
  readonly #ws: WebSocket | null;
  readonly #run: string;
  #pending: StateFrame | null = null;
  #lastSent = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Opens `/board` at `url` for the run with secret `run`; `onStop` stops the Run. */
  constructor(url: string, run: string, onStop: () => void) {
    this.#run = run;
    let ws: WebSocket | null = null;
    try {
      ws = new WebSocket(url);
    } catch {
      // A studio served without the wall (a test server): the program runs all the same.
    }
    this.#ws = ws;
    ws?.addEventListener('open', () => this.#sendSoon());
    ws?.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      try {
        if ((JSON.parse(event.data) as { type?: unknown }).type === 'stop') onStop();
      } catch {
        // Not a frame of the wall.
      }
    });
  }

  /** Shows `board` (of project `project`) on this run's tile, soon. */
  show(project: string, board: BoardState): void {
    this.#pending = { type: 'state', run: this.#run, project, leds: board.leds, oled: board.oled };
    this.#sendSoon();
  }

  #sendSoon(): void {
    if (this.#timer !== undefined || !this.#pending) return;
    const wait = Math.max(0, this.#lastSent + GAP_MS - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#ws?.readyState !== WebSocket.OPEN || !this.#pending) return;
      this.#ws.send(JSON.stringify(this.#pending));
      this.#pending = null;
      this.#lastSent = performance.now();
    }, wait);
  }

  /** Closes the link (the Run stopped). */
  close(): void {
    clearTimeout(this.#timer);
    this.#ws?.close();
  }
}
