/**
 * Polite, coalesced announcements for screen readers: an element posts "this kind of thing
 * changed" as often as it likes, and at most one sentence per kind reaches its ARIA live region
 * per `MIN_INTERVAL_MS`, composed from the latest state when it is due. A burst of fifty LED
 * changes is one sentence with the last colour, not fifty.
 *
 * Also the setting that turns announcements off: a preference of the person at this browser,
 * kept in `localStorage` like the studio's language, never in a project.
 */
import { css, html, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ref } from 'lit/directives/ref.js';

/** How long a change waits for the ones that follow it before it is announced. */
export const SETTLE_MS = 250;
/** The least time between two announcements of one kind. */
export const MIN_INTERVAL_MS = 1000;
/**
 * How many past sentences stay in the live region. Each sentence is a new node appended to it
 * (a screen reader reads additions; the same words twice are still news), and old ones are only
 * ever removed, never moved: a moved node would be read again.
 */
const KEPT = 3;

/** The timers an announcer uses; tests hand it a clock they move themselves. */
export interface AnnounceClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** The page's own clock. */
export const realClock: AnnounceClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** The sentence for a kind, composed when it is due; null when there is nothing new to say. */
export type Compose = () => string | null;

interface Pending {
  timer: unknown;
  compose: Compose;
}

/**
 * A host element's live region and its queue. The host renders `announcer.region()` once in its
 * template and calls `changed(kind, compose)` whenever something worth saying changed.
 */
export class LiveAnnouncer<Kind extends string> implements ReactiveController {
  /** The timers used; replace before the first change to control time (tests). */
  clock: AnnounceClock = realClock;
  private _enabled = true;
  private readonly _pending = new Map<Kind, Pending>();
  private readonly _lastSaid = new Map<Kind, number>();
  private _region: Element | undefined;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Whether announcements are made; turning them off drops what was waiting and was said. */
  get enabled(): boolean {
    return this._enabled;
  }

  set enabled(on: boolean) {
    if (on === this._enabled) return;
    this._enabled = on;
    if (!on) {
      this._cancelAll();
      this._region?.replaceChildren();
    }
  }

  /**
   * Something of `kind` changed: `compose` (the latest one given) says what, when it is due —
   * `SETTLE_MS` from now, and no sooner than `MIN_INTERVAL_MS` after this kind's last sentence.
   */
  changed(kind: Kind, compose: Compose): void {
    if (!this._enabled) return;
    const pending = this._pending.get(kind);
    if (pending) {
      pending.compose = compose;
      return;
    }
    const now = this.clock.now();
    const last = this._lastSaid.get(kind);
    const due = Math.max(now + SETTLE_MS, last === undefined ? 0 : last + MIN_INTERVAL_MS);
    const timer = this.clock.setTimeout(() => this._say(kind), due - now);
    this._pending.set(kind, { timer, compose });
  }

  /** Says at once everything that is waiting (for a host about to go away, and for tests). */
  flush(): void {
    for (const kind of [...this._pending.keys()]) this._say(kind);
  }

  /** The visually hidden live region; render it once, always (a region must exist before it speaks). */
  region() {
    return html`<div
      class="announcements"
      aria-live="polite"
      data-announcements
      ${ref((element) => (this._region = element))}
    ></div>`;
  }

  hostDisconnected(): void {
    this._cancelAll();
  }

  private _say(kind: Kind): void {
    const pending = this._pending.get(kind);
    if (!pending) return;
    this.clock.clearTimeout(pending.timer);
    this._pending.delete(kind);
    const text = pending.compose();
    if (!text) return;
    this._lastSaid.set(kind, this.clock.now());
    const region = this._region;
    if (!region) return;
    const sentence = document.createElement('p');
    sentence.textContent = text;
    region.append(sentence);
    while (region.childElementCount > KEPT) region.firstElementChild!.remove();
  }

  private _cancelAll(): void {
    for (const { timer } of this._pending.values()) this.clock.clearTimeout(timer);
    this._pending.clear();
  }
}

/** CSS for the live region: read by screen readers, never seen. */
export const announcementsStyles = css`
  .announcements {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    border: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** The `localStorage` key of the announcements setting (`'off'` when turned off). */
export const ANNOUNCE_STORAGE_KEY = 'iot-blocks.announce';

function storage(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null;
  }
}

/** Whether this browser wants announcements: yes unless someone turned them off here. */
export function announcementsWanted(): boolean {
  try {
    return storage()?.getItem(ANNOUNCE_STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** Remembers in this browser whether announcements are wanted. */
export function rememberAnnouncements(on: boolean): void {
  try {
    storage()?.setItem(ANNOUNCE_STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage full or refused: the setting still holds until the page is closed.
  }
}
