/**
 * `<message-log>`: the message console's list of lines, drawn from a `ConsoleLog`. While it follows
 * the newest it holds only the lines that fit (and a few to scroll into); scrolled up to read, it
 * holds every kept line, so find-in-page and a screen reader's list reach them all. Lines are
 * drawn a burst at a time, outside `render()`: a new line costs that line, not a pass over 500.
 *
 * It renders into its parent's shadow root (no shadow root of its own), so `<message-console>`'s
 * styles (`messageLogStyles`) and the page's tests reach its lines as before.
 */
import { LitElement, css, html, render, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LanguageController, language, type Language } from '../i18n/language.ts';
import {
  MAX_LOG_ENTRIES,
  entryText,
  type ConsoleLog,
  type LogChange,
  type LogEntry,
  type ProgramLine,
} from './console-log.ts';
import { t, type ConsoleStringKey } from './strings.ts';

/** How often new lines are drawn during a burst of messages. */
const DRAW_EVERY_MS = 100;
/**
 * While the log follows the newest entry it holds only the lines that fit, plus this many more
 * above them to scroll into. Laying out a line of text costs about 0.15 ms on a classroom laptop;
 * a burst of 400 lines a second drawn in full would keep taking the page away from the board's
 * LEDs. Scrolling up to read brings back all the older lines.
 */
const SPARE_LINES = 12;
/** The least height of a line, in px, for working out how many fit. */
const MIN_LINE_PX = 20;
/** How close to the bottom, in px, still counts as "at the bottom" for auto-scrolling. */
const BOTTOM_SLACK_PX = 24;

const KIND_TEXT: Record<ProgramLine['kind'], ConsoleStringKey> = {
  print: 'kindPrint',
  error: 'kindError',
  info: 'kindInfo',
};

/** The detail of a `show-block` event. */
export interface ShowBlockDetail {
  blockId: string;
}

/** The event a panel sends when a child asks to see block `blockId` (its error's block). */
export function showBlockEvent(blockId: string): CustomEvent<ShowBlockDetail> {
  return new CustomEvent<ShowBlockDetail>('show-block', {
    detail: { blockId },
    bubbles: true,
    composed: true,
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as local HH:MM:SS. */
function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The styles of `<message-log>`'s lines, for the shadow root it renders into. */
export const messageLogStyles = css`
  message-log {
    display: contents;
  }
  .log-area {
    position: relative;
    flex: 1;
    min-height: 0;
    display: flex;
  }
  /* Each entry is its own grid with fixed columns, so times, topics and payloads line up
     without measuring the whole log: adding a line lays out that line, not all 500. */
  .log {
    flex: 1;
    /* Its size comes from the panel, never from its lines: a new line lays out the log only. */
    contain: strict;
    margin: 0;
    padding: 4px 0;
    list-style: none;
    overflow-y: auto;
    /* Entries dropped from the top must not move what someone scrolled up to read. */
    overflow-anchor: auto;
  }
  .empty {
    position: absolute;
    inset: 0 0 auto;
    margin: 16px 12px;
    color: var(--iot-ink-muted);
  }
  .entry {
    display: grid;
    grid-template-columns: 8ch minmax(0, 16ch) minmax(0, 1fr);
    column-gap: 8px;
    align-items: baseline;
    padding: 2px 10px 2px 7px;
    border-left: 3px solid transparent;
    line-height: 1.45;
  }
  .entry.even {
    background: #f8fafc;
  }
  time {
    color: #5f6b7a;
    font-family: var(--iot-mono);
    font-size: 12px;
  }
  .topic {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--iot-primary);
    font-family: var(--iot-mono);
    font-size: 13px;
  }
  .entry.direct .topic {
    color: #7b4bc4;
  }
  .badge {
    flex: none;
    color: var(--iot-ink-muted);
    font-size: 12px;
    font-weight: 600;
    text-transform: uppercase;
  }
  .content {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 2px 8px;
    min-width: 0;
  }
  /* Program output reads as a sentence: it takes the topic's column too. */
  .content.program {
    grid-column: 2 / -1;
    flex-wrap: nowrap;
  }
  .payload {
    flex: 1 1 auto;
    min-width: 0;
    font-family: var(--iot-mono);
    font-size: 13px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .more,
  .tag {
    flex: none;
    font-size: 12px;
    color: #5f6b7a;
  }
  .tag {
    padding: 0 6px;
    border-radius: 6px;
    background: #fff1d6;
    color: #7a4b00;
  }
  /* A long client ID wraps in a narrow panel rather than running out of it. */
  .delivered {
    flex: 0 1 auto;
    min-width: 0;
    overflow-wrap: anywhere;
    font-size: 12px;
    color: #7b4bc4;
  }
  .delivered::before {
    content: '→ ';
  }
  .entry[data-kind='print'] .badge {
    color: #0b5d3b;
  }
  .entry[data-kind='info'] {
    color: var(--iot-ink-muted);
  }
  .entry[data-kind='info'] .payload {
    font-family: inherit;
    font-style: italic;
  }
  .entry[data-kind='error'] {
    border-left-color: #d62828;
    background: #fdecec;
    color: #9b1c1c;
  }
  .entry[data-kind='error'] .badge {
    color: var(--iot-error);
  }
  .entry button[data-action='show-block'] {
    flex: none;
    padding: 2px 8px;
    font-size: 12px;
    background: var(--iot-error);
  }
  .jump {
    position: absolute;
    right: 12px;
    bottom: 10px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
  }
  .log:focus-visible {
    outline: var(--iot-focus-ring);
    outline-offset: -3px;
  }
`;

@customElement('message-log')
export class MessageLog extends LitElement {
  /** Re-renders this element (and draws its lines again) in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  /** The log to draw. */
  @property({ attribute: false }) log: ConsoleLog | null = null;

  @state() private _empty = true;
  /** Entries added while the person had scrolled up to read. */
  @state() private _unseen = 0;
  /** The language the lines were drawn in; a switch draws them all again. */
  private _drawnIn: Language | null = null;
  private _stickToBottom = true;
  private _frame = 0;
  private _drawTimer = 0;
  private _stopListening: (() => void) | null = null;
  /** Keeps a following log at the bottom, and full, when the panel changes size (or is shown). */
  private _resized = new ResizeObserver(() => this._follow());

  /** No shadow root: the lines take the console's styles (see `messageLogStyles`). */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._listen();
    // Lines added while the element was out of the page are drawn now.
    if (this.log?.pending.length) this._scheduleDraw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopListening?.();
    this._stopListening = null;
    cancelAnimationFrame(this._frame);
    clearTimeout(this._drawTimer);
    this._frame = 0;
    this._drawTimer = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('log')) {
      this._listen();
      this._drawnIn = null;
    }
  }

  protected override firstUpdated(): void {
    this._resized.observe(this._list()!);
  }

  protected override updated(): void {
    if (this._drawnIn !== language()) this._redraw();
    if (this.log?.pending.length) this._scheduleDraw();
  }

  protected override render() {
    return html`<div class="log-area">
      <!-- A list, not a live log: a burst would be read line by line (the announcer speaks). -->
      <ol class="log" aria-label=${t('logLabel')} tabindex="0" @scroll=${this._onScroll}></ol>
      ${this._empty ? html`<p class="empty">${t('emptyLog')}</p>` : ''}
      ${
        this._unseen > 0
          ? html`<button class="jump" title=${t('newMessagesHint')} @click=${this._onJump}>
              ${t('newMessages', { count: this._unseen })}
            </button>`
          : ''
      }
    </div>`;
  }

  private _listen(): void {
    this._stopListening?.();
    this._stopListening = this.isConnected && this.log ? this.log.listen(this._onChange) : null;
  }

  private _onChange = (change: LogChange): void => {
    switch (change.type) {
      case 'added':
        this._scheduleDraw();
        break;
      case 'updated':
        this._list()
          ?.querySelector(`[data-id="${change.entry.id}"]`)
          ?.replaceWith(this._line(change.entry));
        break;
      case 'cleared':
        this._list()?.replaceChildren();
        this._empty = true;
        // An empty log has nothing to read back: it follows the newest again.
        this._stickToBottom = true;
        this._unseen = 0;
        break;
    }
  };

  private _list(): HTMLOListElement | null {
    return this.querySelector<HTMLOListElement>('.log');
  }

  /** The log's line for `entry`, in the current language. */
  private _line(entry: LogEntry): Element {
    const holder = document.createDocumentFragment();
    render(this._renderEntry(entry), holder, { host: this });
    return holder.firstElementChild!;
  }

  /**
   * Scrolls up to the start of `line` when following the newest left only its end in view: a
   * long error followed by "The program has finished" must be read from its first word. The log
   * then stops following (new lines are counted), as when the child scrolls up to read.
   */
  private _showStartOf(list: HTMLElement, line: Element): void {
    const above = list.getBoundingClientRect().top - line.getBoundingClientRect().top;
    if (above > 0) list.scrollTop -= above;
  }

  /** How many of the newest lines the log holds while it follows the newest. */
  private _window(list: HTMLElement): number {
    return Math.ceil(list.clientHeight / MIN_LINE_PX) + SPARE_LINES;
  }

  /** Draws the lines again (after a language switch), keeping the view at the bottom if it was. */
  private _redraw(): void {
    const list = this._list();
    if (!list || !this.log) return;
    this._drawnIn = language();
    const count = this._stickToBottom ? this._window(list) : MAX_LOG_ENTRIES;
    list.replaceChildren(...this.log.entries.slice(-count).map((entry) => this._line(entry)));
    if (this._stickToBottom) list.scrollTop = list.scrollHeight;
  }

  /** A log that follows the newest: as many lines as fit, scrolled to the bottom. */
  private _follow(): void {
    const list = this._list();
    if (!list || !this.log || !this._stickToBottom || this._drawnIn !== language()) return;
    const missing = Math.min(this._window(list), this.log.entries.length) - list.childElementCount;
    if (missing > 0) this._showOlder(list, missing);
    list.scrollTop = list.scrollHeight;
  }

  /** Puts back up to `count` older lines above the first one shown. */
  private _showOlder(list: HTMLElement, count: number): void {
    if (!this.log) return;
    const { entries } = this.log;
    const end = entries.length - list.childElementCount;
    const older = entries.slice(Math.max(0, end - count), end);
    // The browser's scroll anchoring keeps the lines being read where they are.
    list.prepend(...older.map((entry) => this._line(entry)));
  }

  private _scheduleDraw(): void {
    if (this._frame || this._drawTimer) return;
    this._drawTimer = window.setTimeout(() => {
      this._drawTimer = 0;
      this._frame = requestAnimationFrame(this._onFrame);
    }, DRAW_EVERY_MS);
  }

  private _onFrame = (): void => {
    this._frame = 0;
    const list = this._list();
    // Before the first render there is no list yet; `updated` draws everything then.
    if (!list || !this.log) return;
    const added = this.log.take();
    const { entries } = this.log;
    if (this._drawnIn !== language()) {
      this._redraw();
    } else {
      // Following: only the lines that fit are drawn. Reading: every line is there.
      const keep = this._stickToBottom ? this._window(list) : MAX_LOG_ENTRIES;
      const shown = added.slice(-keep);
      const lines = shown.map((entry) => this._line(entry));
      list.append(...lines);
      const extra = list.childElementCount - Math.min(keep, entries.length);
      for (let i = 0; i < extra; i++) list.firstElementChild!.remove();
      if (this._stickToBottom) {
        list.scrollTop = list.scrollHeight;
        const error = shown.map((entry) => entry.kind).lastIndexOf('error');
        if (error !== -1) this._showStartOf(list, lines[error]);
      }
    }
    this._empty = entries.length === 0;
    if (!this._stickToBottom) this._unseen += added.length;
  };

  private _renderEntry(entry: LogEntry): TemplateResult {
    const time = html`<time datetime=${new Date(entry.time).toISOString()}
      >${clockTime(entry.time)}</time
    >`;
    if (entry.kind === 'message') {
      const { text, binary, omittedBytes } = entry.payload;
      const { directTo, topic, from, delivered } = entry;
      const hints = [directTo !== undefined ? t('directHint', { id: directTo, topic }) : topic];
      if (from !== null) hints.push(t('fromHint', { id: from }));
      if (delivered) hints.push(t('directHint', { id: delivered.to, topic: delivered.topic }));
      return html`<li
        class="entry ${directTo !== undefined ? 'direct' : ''} ${entry.id % 2 ? '' : 'even'}"
        data-kind="message"
        data-id=${entry.id}
      >
        ${time}
        <span class="topic" title=${hints.join('\n')}
          >${directTo !== undefined ? t('directTo', { id: directTo }) : topic}</span
        >
        <span class="content">
          <span class="payload">${text}</span>
          ${
            omittedBytes > 0
              ? html`<span class="more">${t('omittedBytes', { count: omittedBytes })}</span>`
              : ''
          }
          ${binary ? html`<span class="tag" title=${t('binaryHint')}>${t('binary')}</span>` : ''}
          ${
            delivered
              ? html`<span
                  class="delivered"
                  title=${t('deliveredHint', { id: delivered.to, topic: delivered.topic })}
                  >${t('deliveredTo', { id: delivered.to })}</span
                >`
              : ''
          }
        </span>
      </li>`;
    }
    const { text, omittedChars } = entryText(entry);
    return html`<li class="entry ${entry.id % 2 ? '' : 'even'}" data-kind=${entry.kind}>
      ${time}
      <span class="content program">
        <span class="badge">${t(KIND_TEXT[entry.kind])}</span>
        <span class="payload">${text}</span>
        ${
          omittedChars > 0
            ? html`<span class="more">${t('omittedChars', { count: omittedChars })}</span>`
            : ''
        }
        ${
          entry.kind === 'error' && entry.blockId
            ? html`<button
                type="button"
                data-action="show-block"
                data-block-id=${entry.blockId}
                title=${t('showBlockHint')}
                @click=${this._onShowBlock}
              >
                ${t('showBlock')}
              </button>`
            : ''
        }
      </span>
    </li>`;
  }

  private _onShowBlock(event: Event): void {
    this.dispatchEvent(showBlockEvent((event.currentTarget as HTMLElement).dataset.blockId!));
  }

  private _onScroll(event: Event): void {
    const list = event.currentTarget as HTMLElement;
    this._stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight <= BOTTOM_SLACK_PX;
    if (this._stickToBottom) this._unseen = 0;
    // Scrolled up to read: every older line comes back.
    else if (this.log && list.childElementCount < this.log.entries.length) {
      this._showOlder(list, MAX_LOG_ENTRIES);
    }
  }

  private _onJump(): void {
    const list = this._list();
    this._stickToBottom = true;
    this._unseen = 0;
    if (list) list.scrollTop = list.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-log': MessageLog;
  }
  interface HTMLElementEventMap {
    'show-block': CustomEvent<ShowBlockDetail>;
  }
}
