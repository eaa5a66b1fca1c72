/**
 * Running out of file descriptors (or memory for sockets) is something a teacher can act on, but
 * not something to crash for: the whole classroom's broker would go with the process. Every
 * listener, stream and socket of the studio reports such errors here, and the terminal gets one
 * line per shortage, however many requests it hit.
 */

/** Error codes that mean the process ran short of something, not that one request was bad. */
const SHORTAGES: Record<string, string> = {
  EMFILE: 'Out of file descriptors (EMFILE)',
  ENFILE: 'Out of file descriptors for the whole computer (ENFILE)',
  ENOBUFS: 'Out of network buffers (ENOBUFS)',
  ENOMEM: 'Out of memory (ENOMEM)',
};

/** After this long without a shortage, the next one is told again. */
export const QUIET_MS = 60_000;

/** Whether `error` is one of the shortages this alarm tells about. */
export function isShortage(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in SHORTAGES;
}

/** The one line that tells of `error`'s shortage. */
function shortageLine(error: NodeJS.ErrnoException): string {
  const advice =
    error.code === 'EMFILE'
      ? 'allow more with "ulimit -n 4096" before npm start'
      : 'close other programs on this computer';
  return (
    `${SHORTAGES[error.code!]}: some pages or connections were refused; ` +
    `the studio goes on when they are free again (${advice}).`
  );
}

/** Tells of shortages: one line, then quiet until QUIET_MS have passed without one. */
export class ResourceAlarm {
  #last = -Infinity;

  constructor(
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tells of `error` if it is a shortage (at most once per shortage); returns whether it was. */
  report(error: unknown): boolean {
    if (!isShortage(error)) return false;
    const now = this.now();
    if (now - this.#last > QUIET_MS) this.log(shortageLine(error));
    this.#last = now;
    return true;
  }
}

const alarms = new WeakMap<(line: string) => void, ResourceAlarm>();

/**
 * The alarm for everything that prints through `log`: the studio's HTTP server, its broker's TCP
 * listener and its file streams share one, so a shortage is one line, not one per listener.
 */
export function resourceAlarm(log: (line: string) => void): ResourceAlarm {
  let alarm = alarms.get(log);
  if (!alarm) alarms.set(log, (alarm = new ResourceAlarm(log)));
  return alarm;
}
