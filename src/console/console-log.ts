/**
 * The message console's log as data: its entries (messages through the broker, the program's
 * output, the console's own notes), their limits, and the matching of a `cmd/<id>` send with its
 * direct delivery. No DOM: `<message-log>` draws it, and it runs (and is tested) in Node.
 *
 * Entries keep what to say, not text of the moment: a program's print as printed, everything the
 * studio, the runtime or the console says as a `Wording` (or data such as a topic), so a
 * language switch words the lines already in the log again.
 */
import type { ConsoleEvent } from './console-protocol.ts';
import { payloadText, type PayloadText } from './payload-text.ts';
import { shortened } from '../text/shortened.ts';
import { language as currentLanguage, type Language } from '../i18n/language.ts';
import { worded, type Values, type Wording } from '../i18n/translate.ts';
import { t, type ConsoleStringKey } from './strings.ts';

/**
 * The most entries the log keeps. Forty boards and browsers in a classroom can publish many
 * messages a second; a log that grew without end would make the page slower with every one of
 * them, and nobody reads that far back.
 */
export const MAX_LOG_ENTRIES = 500;

/**
 * The most characters of a program's line the log shows (as many as bytes of a message): a
 * program may print a whole megabyte it received, and laying that out would stall the page.
 */
export const MAX_LINE_CHARS = 2048;

/** The topic a send to a device goes on: `cmd/<client ID>`, as OneNET's command page. */
export const COMMAND_PREFIX = 'cmd/';

/** A line of output from the child's program, handed over by the studio. */
export interface ProgramLine {
  kind: 'print' | 'error' | 'info';
  /** What a program printed as it is; the studio's and runtime's sentences in any language. */
  text: Wording;
  /** The block the line comes from (for an error: the block to show). */
  blockId?: string;
}

/** A message through the broker. */
export interface MessageEntry {
  id: number;
  kind: 'message';
  /** When the broker saw it, in ms since the epoch. */
  time: number;
  topic: string;
  /** For a direct delivery shown on its own line: the device it went to. */
  directTo?: string;
  payload: PayloadText;
  /** The publishing client, or null when the server published it (for a console). */
  from: string | null;
  /** The payload's full length in bytes. */
  size: number;
  /** The direct delivery of this `cmd/<id>` send, shown inside its line. */
  delivered?: { to: string; topic: string };
}

/** A line of the program's output or of the console's own. */
export interface ProgramEntry {
  id: number;
  kind: ProgramLine['kind'];
  time: number;
  /** Worded each time the line is drawn, so a language switch re-words it. */
  text: Wording;
  /** How many characters at the end were left out before it was kept (0 when all were kept). */
  omittedChars: number;
  blockId?: string;
}

/** An entry of the log. */
export type LogEntry = MessageEntry | ProgramEntry;

/** What changed in the log: lines added (waiting in `pending`), one line changed, or all gone. */
export type LogChange =
  { type: 'added' } | { type: 'updated'; entry: LogEntry } | { type: 'cleared' };

/**
 * The text of a program entry in `language` (the current one when not given), cut to
 * MAX_LINE_CHARS, and how many characters were left out.
 */
export function entryText(
  entry: ProgramEntry,
  language: Language = currentLanguage(),
): { text: string; omittedChars: number } {
  const full = worded(entry.text, language);
  const text = shortened(full, MAX_LINE_CHARS);
  return { text, omittedChars: entry.omittedChars + full.length - text.length };
}

/** The last item of `items` for which `test` is true. */
function lastOf<T, S extends T>(items: readonly T[], test: (item: T) => item is S): S | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (test(item)) return item;
  }
  return undefined;
}

/** The console's log: entries kept (`entries`) and entries added but not drawn yet (`pending`). */
export class ConsoleLog {
  /** The entries drawn or to draw, oldest first; at most MAX_LOG_ENTRIES. */
  entries: LogEntry[] = [];
  /**
   * Entries added since the view last took them (`take`). A burst is drawn at most every few
   * frames, not once a message: the view takes them all at once.
   */
  pending: LogEntry[] = [];
  private _nextId = 1;
  private readonly _listeners = new Set<(change: LogChange) => void>();

  /** Calls `listener` on every change; returns the function that stops it. */
  listen(listener: (change: LogChange) => void): () => void {
    this._listeners.add(listener);
    return () => this._listeners.delete(listener);
  }

  /** Whether the log has nothing in it, drawn or waiting. */
  get empty(): boolean {
    return this.entries.length === 0 && this.pending.length === 0;
  }

  /** Adds a line of the program's output; printed text longer than MAX_LINE_CHARS is cut. */
  addProgramLine({ kind, text, blockId }: ProgramLine, time = Date.now()): ProgramEntry {
    // Printed text is cut once here: a program may print a megabyte, and the log keeps 500 lines.
    const full = typeof text === 'function' ? '' : String(text);
    const kept = typeof text === 'function' ? text : shortened(full, MAX_LINE_CHARS);
    const omittedChars = full.length - (typeof kept === 'string' ? kept.length : 0);
    const entry: ProgramEntry = { id: this._nextId++, kind, time, text: kept, omittedChars };
    if (blockId) entry.blockId = blockId;
    this._add(entry);
    return entry;
  }

  /** Adds an info line saying console string `key` (worded again after a language switch). */
  addInfo(key: ConsoleStringKey, values?: Values, time = Date.now()): ProgramEntry {
    const text = (language: Language) => t(key, values, language);
    return this.addProgramLine({ kind: 'info', text }, time);
  }

  /**
   * Adds a message through the broker and returns its entry. A direct delivery of a `cmd/<to>`
   * send already in the log goes inside the send's line instead: then it returns null.
   */
  addMessage(event: ConsoleEvent & { type: 'message' }): MessageEntry | null {
    const { topic, to, direct, from, time, size } = event;
    const toDevice = direct && to !== undefined;
    if (toDevice && this._markDelivered(event, to)) return null;
    const entry: MessageEntry = {
      id: this._nextId++,
      kind: 'message',
      time,
      topic,
      // The server sends a few kB of a long payload, and its full length.
      payload: payloadText(event.payload, MAX_LINE_CHARS, size),
      from,
      size,
    };
    if (toDevice) entry.directTo = to;
    this._add(entry);
    return entry;
  }

  /** Moves the pending entries into `entries` (dropping the oldest past the limit); returns them. */
  take(): LogEntry[] {
    const added = this.pending;
    this.pending = [];
    this.entries.push(...added);
    this.entries.splice(0, Math.max(0, this.entries.length - MAX_LOG_ENTRIES));
    return added;
  }

  /** Empties the log. */
  clear(): void {
    this.pending = [];
    this.entries = [];
    this._tell({ type: 'cleared' });
  }

  private _add(entry: LogEntry): void {
    this.pending.push(entry);
    // A hidden tab gets no frames; it must not pile up more than the log would keep.
    if (this.pending.length > MAX_LOG_ENTRIES) this.pending.splice(0, 1);
    this._tell({ type: 'added' });
  }

  private _tell(change: LogChange): void {
    for (const listener of this._listeners) listener(change);
  }

  /**
   * Puts the broker's direct delivery of a `cmd/<to>` send inside the send's line (the same
   * time, sender and payload, not yet delivered); null when that line is not in the log.
   */
  private _markDelivered(
    event: ConsoleEvent & { type: 'message' },
    to: string,
  ): MessageEntry | null {
    const text = payloadText(event.payload, MAX_LINE_CHARS, event.size).text;
    const sent = (entry: LogEntry): entry is MessageEntry =>
      entry.kind === 'message' &&
      !entry.delivered &&
      entry.topic === `${COMMAND_PREFIX}${to}` &&
      entry.time === event.time &&
      entry.from === event.from &&
      entry.size === event.size &&
      entry.payload.text === text;
    const entry = lastOf(this.pending, sent) ?? lastOf(this.entries, sent);
    if (!entry) return null;
    entry.delivered = { to, topic: event.topic };
    this._tell({ type: 'updated', entry });
    return entry;
  }
}
