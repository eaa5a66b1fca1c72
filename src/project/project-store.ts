/**
 * The projects a browser keeps: every project's last few saved versions, and which project is
 * open. Each version is a whole project file's text (the same text Save downloads), so the
 * project's settings — its name and its browser broker — travel with every version, and opening
 * a version is opening a project file.
 *
 * Why localStorage and not IndexedDB: writes are synchronous, so the save made in `pagehide`
 * (closing the tab, reloading) has finished before the page is gone; an IndexedDB transaction
 * started there may never commit. A project is tens of kilobytes, well inside the ~5 MB an origin
 * gets; when that fills up, older versions make room (never a project's newest one).
 *
 * Keys (all under one prefix, so the studio never touches another app's data):
 *
 *   iot-blocks:current                 the id of the open project
 *   iot-blocks:project:<id>:<time>     one saved version (time: ms since 1970, unique per project)
 *
 * Every version has its own key, so damage to one (a half-written save, a stray edit) leaves the
 * others readable, and there is no separate index to get out of step with them.
 */

/** Why the store could not do what it was asked. */
export type StoreProblem = 'full' | 'unavailable';

/** The browser refused to read or write the store; `problem` says how. */
export class StoreError extends Error {
  override name = 'StoreError';
  constructor(
    readonly problem: StoreProblem,
    cause?: unknown,
  ) {
    super(problem === 'full' ? 'browser storage is full' : 'browser storage is unavailable', {
      cause,
    });
  }
}

/**
 * Another tab saved the project since this one last saved or read it: saving now would put an
 * older project on top of newer work. Nothing was written.
 */
export class SaveConflict extends Error {
  override name = 'SaveConflict';
  constructor(readonly id: string) {
    super(`project ${id} was saved elsewhere in the meantime`);
  }
}

/** A project as the recent list shows it. */
export interface ProjectSummary {
  id: string;
  /** The name in its newest readable version, or null when no version can be read. */
  name: string | null;
  /** When its newest version was saved (ms since 1970). */
  changed: number;
}

/** One saved version of a project. */
export interface SavedVersion {
  /** When it was saved (ms since 1970); unique within its project. */
  time: number;
  /** A project file's text, or whatever damaged text is there now. */
  text: string;
}

/** How many versions of each project are kept unless storage runs short. */
export const VERSIONS_KEPT = 10;

const PREFIX = 'iot-blocks:';
const CURRENT_KEY = `${PREFIX}current`;
const VERSION_PREFIX = `${PREFIX}project:`;

function versionKey(id: string, time: number): string {
  return `${VERSION_PREFIX}${id}:${time}`;
}

/** `[id, time]` of a version key, or null for any other key. */
function parseVersionKey(key: string): [string, number] | null {
  if (!key.startsWith(VERSION_PREFIX)) return null;
  const rest = key.slice(VERSION_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  const time = Number(rest.slice(colon + 1));
  return colon > 0 && Number.isSafeInteger(time) ? [rest.slice(0, colon), time] : null;
}

function isQuotaError(error: unknown): boolean {
  // Chromium and WebKit name it QuotaExceededError; old Firefox NS_ERROR_DOM_QUOTA_REACHED. By
  // name, not `instanceof DOMException`: a storage from another realm throws its own DOMException.
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/** The name a project file's text gives its project, or null when the text cannot say. */
function nameIn(text: string): string | null {
  try {
    const name = (JSON.parse(text) as { settings?: { name?: unknown } } | null)?.settings?.name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/** A browser's saved projects, on top of a `Storage` (the page's `localStorage`). */
export class ProjectStore {
  /** Names already read, by version key: a key is written once, so its name never changes. */
  private readonly _names = new Map<string, string | null>();

  /**
   * `storage` is a function because merely reading `window.localStorage` throws where the
   * browser forbids storage (some privacy settings, sandboxed frames, opaque origins).
   */
  constructor(
    private readonly _getStorage: () => Storage = () => localStorage,
    private readonly _now: () => number = Date.now,
    private readonly _versionsKept = VERSIONS_KEPT,
  ) {}

  /**
   * A new project id: random, from `crypto.getRandomValues` because `crypto.randomUUID` exists
   * only on https pages and classrooms serve the studio over plain http on the LAN.
   */
  newId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(9));
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** The project whose version storage key `key` is (as a `storage` event names it), or null. */
  projectOfKey(key: string): string | null {
    return parseVersionKey(key)?.[0] ?? null;
  }

  /** The id of the project that was open last, or null on a first visit. */
  currentId(): string | null {
    return this._read((storage) => storage.getItem(CURRENT_KEY));
  }

  /** Remembers `id` as the open project. */
  setCurrent(id: string): void {
    this._write((storage) => storage.setItem(CURRENT_KEY, id));
  }

  /** Project `id`'s saved versions, newest first. */
  versions(id: string): SavedVersion[] {
    return this._read((storage) =>
      this._versionTimes(storage)
        .filter(([owner]) => owner === id)
        .map(([, time]) => ({ time, text: storage.getItem(versionKey(id, time)) ?? '' })),
    );
  }

  /** When project `id`'s newest version was saved, or null when it has none. */
  newestTime(id: string): number | null {
    return this._read((storage) => this._timesOf(storage, id)[0] ?? null);
  }

  /** Every saved project, most recently changed first. */
  list(): ProjectSummary[] {
    return this._read((storage) => {
      const newest = new Map<string, number[]>();
      for (const [id, time] of this._versionTimes(storage)) {
        const times = newest.get(id) ?? [];
        times.push(time);
        newest.set(id, times);
      }
      return [...newest]
        .map(([id, times]) => ({ id, name: this._nameOf(storage, id, times), changed: times[0] }))
        .sort((a, b) => b.changed - a.changed);
    });
  }

  /**
   * Saves `text` as project `id`'s newest version and returns its time. Keeps the newest
   * `VERSIONS_KEPT`; when storage is full, drops older versions (other projects' first) and
   * tries again. Throws `StoreError` when even that is not enough or storage is unavailable.
   *
   * With `after` (the time of the newest version the caller knows, null for none), throws
   * `SaveConflict` instead of saving when the newest version is another: someone else (another
   * tab) saved the project meanwhile. A safety net, not a lock: browsers give no atomic
   * check-and-write across tabs (another tab's write may reach this one a moment later), so
   * `editor-tabs.ts` is what keeps a project to one editing tab; this catches what slips by.
   */
  save(id: string, text: string, after?: number | null): number {
    return this._write((storage) => {
      const times = this._timesOf(storage, id);
      if (after !== undefined && (times[0] ?? null) !== after) throw new SaveConflict(id);
      // Two saves in one millisecond must not share a key.
      const time = Math.max(this._now(), (times[0] ?? 0) + 1);
      const key = versionKey(id, time);
      for (const makeRoom of [
        () => {},
        () => this._dropOlderVersions(storage, (owner) => owner !== id),
        () => this._dropOlderVersions(storage, () => true),
      ]) {
        makeRoom();
        try {
          storage.setItem(key, text);
        } catch (error) {
          if (isQuotaError(error)) continue;
          throw error;
        }
        for (const old of this._timesOf(storage, id).slice(this._versionsKept)) {
          storage.removeItem(versionKey(id, old));
        }
        return time;
      }
      throw new StoreError('full');
    });
  }

  /** `[id, time]` of every version in `storage`, newest first. */
  private _versionTimes(storage: Storage): [string, number][] {
    const found: [string, number][] = [];
    for (let i = 0; i < storage.length; i++) {
      const parsed = parseVersionKey(storage.key(i) ?? '');
      if (parsed) found.push(parsed);
    }
    return found.sort((a, b) => b[1] - a[1]);
  }

  private _timesOf(storage: Storage, id: string): number[] {
    return this._versionTimes(storage)
      .filter(([owner]) => owner === id)
      .map(([, time]) => time);
  }

  /** The name in project `id`'s newest version that has one (`times` newest first). */
  private _nameOf(storage: Storage, id: string, times: number[]): string | null {
    for (const time of times) {
      const key = versionKey(id, time);
      if (!this._names.has(key)) this._names.set(key, nameIn(storage.getItem(key) ?? ''));
      const name = this._names.get(key);
      if (name !== null && name !== undefined) return name;
    }
    return null;
  }

  /** Removes every version but the newest of each project that `which` picks. */
  private _dropOlderVersions(storage: Storage, which: (id: string) => boolean): void {
    const seen = new Set<string>();
    for (const [id, time] of this._versionTimes(storage)) {
      if (!which(id)) continue;
      if (seen.has(id)) storage.removeItem(versionKey(id, time));
      seen.add(id);
    }
  }

  private _storage(): Storage {
    try {
      const storage = this._getStorage();
      if (!storage) throw new Error('no storage');
      return storage;
    } catch (error) {
      throw new StoreError('unavailable', error);
    }
  }

  private _read<T>(read: (storage: Storage) => T): T {
    const storage = this._storage();
    try {
      return read(storage);
    } catch (error) {
      throw new StoreError('unavailable', error);
    }
  }

  private _write<T>(write: (storage: Storage) => T): T {
    const storage = this._storage();
    try {
      return write(storage);
    } catch (error) {
      if (error instanceof StoreError || error instanceof SaveConflict) throw error;
      throw new StoreError(isQuotaError(error) ? 'full' : 'unavailable', error);
    }
  }
}
