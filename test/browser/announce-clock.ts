/** A clock for `LiveAnnouncer`s that only moves when a test moves it: no fixed sleeps. */
import type { AnnounceClock } from '../../src/board/announcer.ts';

export class ManualClock implements AnnounceClock {
  private _now = 0;
  private _next = 1;
  private readonly _timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this._now;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this._next++;
    this._timers.set(id, { at: this._now + ms, callback });
    return id;
  }

  clearTimeout(timer: unknown): void {
    this._timers.delete(timer as number);
  }

  /** Moves time on by `ms`, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this._now + ms;
    for (;;) {
      const due = [...this._timers.entries()]
        .filter(([, timer]) => timer.at <= end)
        .sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this._timers.delete(due[0]);
      this._now = due[1].at;
      due[1].callback();
    }
    this._now = end;
  }
}

/** Records what a live region says: the text of every sentence added to it, in order. */
export function listen(region: Element): { said(): string[]; stop(): void } {
  const said: string[] = [];
  const take = (records: MutationRecord[]) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement) said.push(node.textContent ?? '');
      }
    }
  };
  const observer = new MutationObserver(take);
  observer.observe(region, { childList: true });
  return {
    said: () => {
      take(observer.takeRecords());
      return [...said];
    },
    stop: () => observer.disconnect(),
  };
}
