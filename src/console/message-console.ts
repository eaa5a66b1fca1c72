/**
 * `<message-console>`: the studio's stand-in for OneNET's command page. A child sends `on` or `off`
 * (or any text) to a device, publishes to any topic, and watches every message through the
 * classroom broker, together with what their own program printed and its errors.
 */
import { LitElement, css, html, render, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ConsoleConnection, isConsoleUrl, type ConsoleState } from './console-connection.ts';
import type { ConsoleEvent } from './console-protocol.ts';
import { payloadText, type PayloadText } from './payload-text.ts';
import { shortened } from '../text/shortened.ts';
import { LanguageController, language, type Language } from '../i18n/language.ts';
import { LiveAnnouncer, announcementsStyles } from '../board/announcer.ts';
import { t, type ConsoleStringKey } from './strings.ts';

/**
 * The most entries the log keeps. Forty boards and browsers in a classroom can publish many
 * messages a second; a log that grew without end would make the page slower with every one of
 * them, and nobody reads that far back.
 */
export const MAX_LOG_ENTRIES = 500;
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

/**
 * The most characters of a program's line the log shows (as many as bytes of a message): a
 * program may print a whole megabyte it received, and laying that out would stall the page.
 */
export const MAX_LINE_CHARS = 2048;

/** A line of output from the child's program, handed over by the studio. */
export interface ProgramLine {
  kind: 'print' | 'error' | 'info';
  text: string;
  /** The block the line comes from (for an error: the block to show). */
  blockId?: string;
}

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

type LogEntry =
  | {
      id: number;
      kind: 'message';
      time: number;
      /** The topic, or "→ device (direct)" for a direct delivery shown on its own. */
      label: string;
      hint: string;
      direct: boolean;
      payload: PayloadText;
      /** What the send is matched on when the broker tells of its direct delivery. */
      topic: string;
      from: string | null;
      size: number;
      /** The direct delivery of this `cmd/<id>` send, shown inside its line. */
      delivered?: { to: string; topic: string };
    }
  | {
      id: number;
      kind: ProgramLine['kind'];
      time: number;
      text: string;
      /** How many characters at the end were left out (0 when all are shown). */
      omittedChars: number;
      blockId?: string;
    };

/** What the status pill says: a link's state, or why there is no link. */
type ShownState = ConsoleState | 'none' | 'invalid';

const STATE_TEXT: Record<ShownState, ConsoleStringKey> = {
  none: 'stateNone',
  invalid: 'stateInvalid',
  connecting: 'stateConnecting',
  open: 'stateOpen',
  retrying: 'stateRetrying',
  closed: 'stateClosed',
};

const KIND_TEXT: Record<ProgramLine['kind'], ConsoleStringKey> = {
  print: 'kindPrint',
  error: 'kindError',
  info: 'kindInfo',
};

/** The most bytes of a message said aloud (a long one is cut, as the log cuts it). */
const SPOKEN_PAYLOAD_MAX = 100;

/** The topic a send to a device goes on: `cmd/<client ID>`, as OneNET's command page. */
const COMMAND_PREFIX = 'cmd/';

/** How close to the bottom, in px, still counts as "at the bottom" for auto-scrolling. */
const BOTTOM_SLACK_PX = 24;

/** Device names in the order a person counts them: board-2 before board-10. */
const byName = new Intl.Collator(undefined, { numeric: true }).compare;

/** The last item of `items` for which `test` is true. */
function lastOf<T, S extends T>(items: readonly T[], test: (item: T) => item is S): S | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (test(item)) return item;
  }
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `ms` as local HH:MM:SS. */
function clockTime(ms: number): string {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

@customElement('message-console')
export class MessageConsole extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  static override styles = css`
    ${announcementsStyles}
    :host {
      position: relative;
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
      height: 100%;
      background: #ffffff;
      color: #1f2933;
      font-family:
        'IoT Blocks Chinese',
        system-ui,
        -apple-system,
        'Segoe UI',
        Roboto,
        sans-serif;
      font-size: 14px;
      --mono:
        'IoT Blocks Chinese', ui-monospace, 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas,
        monospace;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 2px 10px;
      border-radius: 999px;
      background: #e6ecf3;
      color: #3e4c59;
      font-size: 13px;
    }
    .state::before {
      content: '';
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #9aa5b1;
    }
    .state[data-state='open'] {
      background: #dcf5e7;
      color: #0b5d3b;
    }
    .state[data-state='open']::before {
      background: #14a05c;
    }
    .state[data-state='retrying'],
    .state[data-state='invalid'] {
      background: #fff1d6;
      color: #7a4b00;
    }
    .state[data-state='retrying']::before,
    .state[data-state='invalid']::before {
      background: #e08a00;
    }
    .devices .clear {
      margin-left: auto;
      padding: 2px 10px;
    }
    /* A classroom has forty devices online: two lines of them, then a scrollbar. */
    .devices {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 6px;
      max-height: 62px;
      overflow-y: auto;
      padding: 4px 10px;
      background: #f3f6fa;
      border-bottom: 1px solid #d9e0e8;
      font-size: 13px;
      color: #52606d;
    }
    .devices ul {
      display: contents;
      list-style: none;
    }
    .device {
      font: inherit;
      font-family: var(--mono);
      padding: 2px 8px;
      border: 1px solid #b8e0c8;
      border-radius: 999px;
      background: #effaf3;
      color: #0b5d3b;
      cursor: pointer;
    }
    .device::before {
      content: '● ';
      color: #14a05c;
    }
    .device[aria-pressed='true'] {
      border-color: #1a56c4;
      background: #e8f0fe;
      color: #1a3a6b;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      padding: 6px 10px;
      border-bottom: 1px solid #eef2f7;
    }
    /* Picker and one-click buttons, then the message box and Send: one line where the panel is
       wide enough (1280 px), two on a tablet. The log below gets the height. */
    form .row {
      flex: 1 1 15em;
      display: flex;
      gap: 6px;
      min-width: 0;
    }
    /* Headings sit on their controls' line: the log below gets the height. */
    form h3,
    summary {
      flex: none;
      margin: 0;
      font-size: 13px;
      font-weight: 600;
      color: #52606d;
    }
    form h3 {
      align-self: center;
    }
    /* Publishing to any topic is for makers and teachers: folded away until asked for. */
    .publish {
      border-bottom: 1px solid #eef2f7;
    }
    summary {
      padding: 4px 10px;
      cursor: pointer;
    }
    .publish > form {
      padding-top: 0;
      border-bottom: none;
    }
    input,
    select {
      font: inherit;
      min-width: 0;
      padding: 6px 8px;
      border: 1px solid #c3ccd6;
      border-radius: 8px;
      background: #ffffff;
      color: inherit;
    }
    input {
      font-family: var(--mono);
    }
    select {
      flex: 1 1 8em;
      font-family: var(--mono);
    }
    .text {
      flex: 1 1 10em;
    }
    .topic-input {
      flex: 1 1 7em;
    }
    button {
      font: inherit;
      font-weight: 600;
      padding: 6px 12px;
      border: none;
      border-radius: 8px;
      background: #1a56c4;
      color: #ffffff;
      cursor: pointer;
      white-space: nowrap;
    }
    button.secondary {
      background: #e6ecf3;
      color: #1a3a6b;
    }
    button[data-action='send-on'] {
      min-width: 3.2em;
      background: #d62828;
    }
    button[data-action='send-off'] {
      min-width: 3.2em;
      background: #3e4c59;
    }
    button:hover:not(:disabled) {
      filter: brightness(1.1);
    }
    button:disabled {
      opacity: 0.45;
      cursor: not-allowed;
    }
    button:focus-visible,
    input:focus-visible,
    select:focus-visible {
      outline: 3px solid #2563eb;
      outline-offset: 1px;
    }
    .form-error {
      flex: 1 0 100%;
      margin: 0;
      color: #b42318;
      font-size: 13px;
    }
    .note {
      flex: 1 0 100%;
      margin: 0;
      padding: 4px 8px;
      border-radius: 6px;
      background: #fff1d6;
      color: #7a4b00;
      font-size: 13px;
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
      color: #52606d;
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
      font-family: var(--mono);
      font-size: 12px;
    }
    .topic {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: #1a56c4;
      font-family: var(--mono);
      font-size: 13px;
    }
    .entry.direct .topic {
      color: #7b4bc4;
    }
    .badge {
      flex: none;
      color: #52606d;
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
      font-family: var(--mono);
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
    .entry[data-kind='print'] .badge {
      color: #0b5d3b;
    }
    .entry[data-kind='info'] {
      color: #52606d;
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
      color: #b42318;
    }
    .entry button[data-action='show-block'] {
      flex: none;
      padding: 2px 8px;
      font-size: 12px;
      background: #b42318;
    }
    .jump {
      position: absolute;
      right: 12px;
      bottom: 10px;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    }
    summary:focus-visible,
    .log:focus-visible {
      outline: 3px solid #2563eb;
      outline-offset: -3px;
    }
  `;

  /** The console WebSocket URL (`ws://host/console`); the console is connected while it has one. */
  @property() url = '';

  /** The client ID in the child's blocks: where Send, on and off go unless another is picked. */
  @property() deviceId = '';

  /**
   * The client ID the running program connected as ('' when none runs). It is the target while it
   * runs, and the panel says so when the blocks' client ID was changed since.
   */
  @property() programId = '';

  /** Whether arriving messages are told to screen readers (the studio's announcements setting). */
  @property({ type: Boolean }) announce = true;

  /** The live region and its timing (tests set `announcer.clock` to move time themselves). */
  readonly announcer = new LiveAnnouncer<'messages'>(this);
  /** Messages arrived since the last announcement, and the newest of them. */
  private _heard = 0;
  private _lastHeard: { topic: string; text: string } | null = null;

  @state() private _state: ShownState = 'none';
  /**
   * The entries in the log, oldest first. The log's lines are drawn from them a burst at a time
   * (see `_onFrame`), not by `render()`: a new line costs that line, not a pass over all 500.
   */
  private _entries: LogEntry[] = [];
  /** The language the log's lines were drawn in; a switch draws them all again. */
  private _drawnIn: Language | null = null;
  @state() private _empty = true;
  @state() private _online: readonly string[] = [];
  /** The device picked in the picker; '' follows the program (see `_choices`). */
  @state() private _target = '';
  @state() private _sendText = '';
  @state() private _topic = '';
  @state() private _publishText = '';
  @state() private _publishError = '';
  /** Entries added while the person had scrolled up to read. */
  @state() private _unseen = 0;
  /** Keeps a following log at the bottom, and full, when the panel changes size (or is shown). */
  private _resized = new ResizeObserver(() => this._follow());

  private _connection: ConsoleConnection | null = null;
  /**
   * Entries waiting to be drawn. A burst is drawn at most every DRAW_EVERY_MS, not once a
   * message: nobody reads faster, and the frames in between stay free for the board's LEDs.
   */
  private _pending: LogEntry[] = [];
  private _frame = 0;
  private _drawTimer = 0;
  private _nextId = 1;
  private _stickToBottom = true;
  private _hasBeenOpen = false;

  /** Shows a line of the program's output; an error with a `blockId` gets a "Show block" button. */
  addProgramLine({ kind, text, blockId }: ProgramLine): void {
    const full = String(text);
    const shown = shortened(full, MAX_LINE_CHARS);
    this._append({
      id: this._nextId++,
      kind,
      time: Date.now(),
      text: shown,
      omittedChars: full.length - shown.length,
      ...(blockId ? { blockId } : {}),
    });
  }

  /** Empties the log. */
  clear(): void {
    this._pending = [];
    this._entries = [];
    this._log()?.replaceChildren();
    this._empty = true;
    // An empty log has nothing to read back: it follows the newest again.
    this._stickToBottom = true;
    this._unseen = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._syncConnection();
    // Lines added while the element was out of the page are drawn now.
    if (this._pending.length > 0) this._scheduleDraw();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._syncConnection();
    cancelAnimationFrame(this._frame);
    clearTimeout(this._drawTimer);
    this._frame = 0;
    this._drawTimer = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('url')) this._syncConnection();
    if (changed.has('announce')) {
      this.announcer.enabled = this.announce;
      this._heard = 0;
    }
  }

  protected override firstUpdated(): void {
    this._resized.observe(this._log()!);
  }

  protected override updated(): void {
    if (this._drawnIn !== language()) this._redraw();
    if (this._pending.length > 0) this._scheduleDraw();
  }

  protected override render() {
    const choices = this._choices();
    const target = this._target || choices[0] || '';
    const open = this._state === 'open';
    const online = this._online.includes(target);
    const canSend = open && online;
    const moved =
      this.programId !== '' &&
      this.deviceId !== '' &&
      this.programId !== this.deviceId &&
      this._online.includes(this.programId);
    return html`
      <!-- The tab above names the panel: its heading is for screen readers, its state and Clear
        share the line of who is online, so the log below gets the height. -->
      <h2 class="visually-hidden">${t('consoleLabel')}</h2>
      ${this._renderDevices(target)}
      <form data-form="send" @submit=${this._onSendSubmit}>
        <div class="row">
          <h3 class="visually-hidden">${t('sendHeading')}</h3>
          <select aria-label=${t('devicePicker')} @change=${this._onPickDevice}>
            ${this._renderDeviceOptions(choices, target)}
          </select>
          <button
            type="button"
            data-action="send-on"
            title=${t('sendOnHint', { id: target })}
            ?disabled=${!canSend}
            @click=${this._onSendOn}
          >
            ${t('sendOn')}
          </button>
          <button
            type="button"
            data-action="send-off"
            title=${t('sendOffHint', { id: target })}
            ?disabled=${!canSend}
            @click=${this._onSendOff}
          >
            ${t('sendOff')}
          </button>
        </div>
        <div class="row">
          <input
            class="text"
            name="text"
            aria-label=${t('sendText')}
            placeholder=${t('sendPlaceholder')}
            autocomplete="off"
            .value=${this._sendText}
            @input=${this._onSendInput}
          />
          <button data-action="send" ?disabled=${!canSend || this._sendText === ''}>
            ${t('send')}
          </button>
        </div>
        ${moved ? html`<p class="note" data-note="id-changed" role="status">${t('idChanged', { id: this.deviceId, old: this.programId })}</p>` : open && target && !online ? html`<p class="note" data-note="offline">${t('deviceNotOnline', { id: target })}</p>` : ''}
      </form>
      <details class="publish">
        <summary>${t('publishHeading')}</summary>
        <form data-form="publish" @submit=${this._onPublishSubmit}>
          <input
            class="topic-input"
            name="topic"
            aria-label=${t('publishTopic')}
            placeholder=${t('publishTopicPlaceholder')}
            autocomplete="off"
            .value=${this._topic}
            @input=${this._onTopicInput}
          />
          <input
            class="text"
            name="text"
            aria-label=${t('publishText')}
            placeholder=${t('publishPlaceholder')}
            autocomplete="off"
            .value=${this._publishText}
            @input=${this._onPublishInput}
          />
          <button data-action="publish" ?disabled=${!open || this._topic.trim() === ''}>
            ${t('publish')}
          </button>
          ${
            this._publishError
              ? html`<p class="form-error" role="alert">${this._publishError}</p>`
              : ''
          }
        </form>
      </details>
      <div class="log-area">
        <!-- A list, not a live log: a burst would be read line by line (the announcer speaks). -->
        <ol class="log" aria-label=${t('logLabel')} tabindex="0" @scroll=${this._onLogScroll}></ol>
        ${this._empty ? html`<p class="empty">${t('emptyLog')}</p>` : ''}
        ${
          this._unseen > 0
            ? html`<button class="jump" title=${t('newMessagesHint')} @click=${this._onJump}>
                ${t('newMessages', { count: this._unseen })}
              </button>`
            : ''
        }
      </div>
      ${this.announcer.region()}
    `;
  }

  private _renderDevices(target: string) {
    return html`<div class="devices">
      <span class="state" data-state=${this._state} role="status">
        ${t(STATE_TEXT[this._state])}
      </span>
      <span>${t('devicesOnline')}</span>
      ${
        this._online.length === 0
          ? html`<span class="none">${t('noDevicesOnline')}</span>`
          : html`<ul>
              ${this._online.map(
                (id) =>
                  html`<li>
                    <button
                      type="button"
                      class="device"
                      data-device=${id}
                      aria-pressed=${id === target ? 'true' : 'false'}
                      title=${t('pickDeviceHint', { id })}
                      @click=${this._onDeviceChip}
                    >
                      ${id}
                    </button>
                  </li>`,
              )}
            </ul>`
      }
      <button
        class="secondary clear"
        data-action="clear"
        title=${t('clearLogHint')}
        @click=${this._onClear}
      >
        ${t('clearLog')}
      </button>
    </div>`;
  }

  /**
   * The devices the picker lists: the running program's, the blocks' client ID, one picked
   * earlier, then whoever else is online. The first is the target until another is picked, so the
   * device the picker shows is always the one on and off go to.
   */
  private _choices(): string[] {
    const ids = [this.programId, this.deviceId, this._target, ...this._online];
    return [...new Set(ids)].filter((id) => id !== '');
  }

  private _renderDeviceOptions(ids: string[], target: string) {
    if (ids.length === 0) return html`<option value="">${t('noDevice')}</option>`;
    return ids.map(
      (id) =>
        html`<option value=${id} ?selected=${id === target}>
          ${this._online.includes(id) ? id : t('deviceOffline', { id })}
        </option>`,
    );
  }

  private _log(): HTMLOListElement | null {
    return this.renderRoot.querySelector<HTMLOListElement>('.log');
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
  private _showStartOf(log: HTMLElement, line: Element): void {
    const above = log.getBoundingClientRect().top - line.getBoundingClientRect().top;
    if (above > 0) log.scrollTop -= above;
  }

  /** How many of the newest lines the log holds while it follows the newest. */
  private _window(log: HTMLElement): number {
    return Math.ceil(log.clientHeight / MIN_LINE_PX) + SPARE_LINES;
  }

  /** Draws the lines again (after a language switch), keeping the view at the bottom if it was. */
  private _redraw(): void {
    const log = this._log();
    if (!log) return;
    this._drawnIn = language();
    const count = this._stickToBottom ? this._window(log) : MAX_LOG_ENTRIES;
    log.replaceChildren(...this._entries.slice(-count).map((entry) => this._line(entry)));
    if (this._stickToBottom) log.scrollTop = log.scrollHeight;
  }

  /** A log that follows the newest: as many lines as fit, scrolled to the bottom. */
  private _follow(): void {
    const log = this._log();
    if (!log || !this._stickToBottom || this._drawnIn !== language()) return;
    const missing = Math.min(this._window(log), this._entries.length) - log.childElementCount;
    if (missing > 0) this._showOlder(log, missing);
    log.scrollTop = log.scrollHeight;
  }

  /** Puts back up to `count` older lines above the first one shown. */
  private _showOlder(log: HTMLElement, count: number): void {
    const end = this._entries.length - log.childElementCount;
    const older = this._entries.slice(Math.max(0, end - count), end);
    // The browser's scroll anchoring keeps the lines being read where they are.
    log.prepend(...older.map((entry) => this._line(entry)));
  }

  private _renderEntry(entry: LogEntry): TemplateResult {
    const time = html`<time datetime=${new Date(entry.time).toISOString()}
      >${clockTime(entry.time)}</time
    >`;
    if (entry.kind === 'message') {
      const { text, binary, omittedBytes } = entry.payload;
      return html`<li
        class="entry ${entry.direct ? 'direct' : ''} ${entry.id % 2 ? '' : 'even'}"
        data-kind="message"
        data-id=${entry.id}
      >
        ${time}
        <span class="topic" title=${entry.hint}>${entry.label}</span>
        <span class="content">
          <span class="payload">${text}</span>
          ${
            omittedBytes > 0
              ? html`<span class="more">${t('omittedBytes', { count: omittedBytes })}</span>`
              : ''
          }
          ${binary ? html`<span class="tag" title=${t('binaryHint')}>${t('binary')}</span>` : ''}
          ${
            entry.delivered
              ? html`<span
                  class="delivered"
                  title=${t('deliveredHint', { id: entry.delivered.to, topic: entry.delivered.topic })}
                  >${t('deliveredTo', { id: entry.delivered.to })}</span
                >`
              : ''
          }
        </span>
      </li>`;
    }
    return html`<li class="entry ${entry.id % 2 ? '' : 'even'}" data-kind=${entry.kind}>
      ${time}
      <span class="content program">
        <span class="badge">${t(KIND_TEXT[entry.kind])}</span>
        <span class="payload">${entry.text}</span>
        ${
          entry.omittedChars > 0
            ? html`<span class="more">${t('omittedChars', { count: entry.omittedChars })}</span>`
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

  /** Opens, replaces or closes the link so that it matches `url` while the element is in a page. */
  private _syncConnection(): void {
    const wanted = this.isConnected ? this.url : '';
    if (this._connection?.url === wanted) return;
    this._connection?.close();
    this._connection = null;
    this._online = [];
    this._hasBeenOpen = false;
    if (wanted === '') {
      this._state = 'none';
    } else if (!isConsoleUrl(wanted)) {
      this._state = 'invalid';
    } else {
      this._state = 'connecting';
      this._connection = new ConsoleConnection(wanted, {
        onEvent: this._onConsoleEvent,
        onState: this._onConsoleState,
      });
    }
  }

  private _onConsoleEvent = (event: ConsoleEvent): void => {
    switch (event.type) {
      case 'message': {
        const { topic, to, direct, from } = event;
        const toDevice = direct && to !== undefined;
        // The send to cmd/<id> is already in the log: its delivery goes inside that line.
        if (toDevice && this._markDelivered(event, to)) break;
        const hints = [toDevice ? t('directHint', { id: to, topic }) : topic];
        if (from !== null) hints.push(t('fromHint', { id: from }));
        this._append({
          id: this._nextId++,
          kind: 'message',
          time: event.time,
          label: toDevice ? t('directTo', { id: to }) : topic,
          hint: hints.join('\n'),
          direct: toDevice,
          // The server sends a few kB of a long payload, and its full length.
          payload: payloadText(event.payload, MAX_LINE_CHARS, event.size),
          topic,
          from,
          size: event.size,
        });
        this._heardMessage(toDevice ? t('directTo', { id: to }) : topic, event.payload);
        break;
      }
      case 'skipped':
        this._info(t('skipped', { count: event.count }));
        break;
      case 'clients':
        this._online = [...new Set(event.online)].sort(byName);
        break;
      case 'connect':
        if (!this._online.includes(event.clientId)) {
          this._online = [...this._online, event.clientId].sort(byName);
        }
        if (event.clientId === (this._target || this._choices()[0])) {
          this._info(t('deviceOnline', { id: event.clientId }));
        }
        break;
      case 'disconnect': {
        const target = this._target || this._choices()[0];
        this._online = this._online.filter((id) => id !== event.clientId);
        if (event.clientId === target) {
          this._info(t('deviceGone', { id: event.clientId }));
        }
        break;
      }
      case 'takeover':
        this._info(t('takeover', { id: event.clientId }));
        break;
    }
  };

  private _onConsoleState = (state: ConsoleState): void => {
    if (state === 'retrying' && this._state === 'open') {
      this._info(t('connectionLost'));
      // Who is online is unknown until the server tells us again.
      this._online = [];
    }
    if (state === 'open') {
      if (this._hasBeenOpen) this._info(t('connectionBack'));
      this._hasBeenOpen = true;
    }
    this._state = state;
  };

  /**
   * Shows the broker's direct delivery of a `cmd/<to>` send inside the send's line (the same
   * time, sender and payload, not yet delivered); false when that line is not in the log.
   */
  private _markDelivered(event: ConsoleEvent & { type: 'message' }, to: string): boolean {
    const text = payloadText(event.payload, MAX_LINE_CHARS, event.size).text;
    const sent = (entry: LogEntry): entry is LogEntry & { kind: 'message' } =>
      entry.kind === 'message' &&
      !entry.delivered &&
      entry.topic === `${COMMAND_PREFIX}${to}` &&
      entry.time === event.time &&
      entry.from === event.from &&
      entry.size === event.size &&
      entry.payload.text === text;
    const entry = lastOf(this._pending, sent) ?? lastOf(this._entries, sent);
    if (!entry) return false;
    entry.delivered = { to, topic: event.topic };
    entry.hint += `\n${t('directHint', { id: to, topic: event.topic })}`;
    const line = this._log()?.querySelector(`[data-id="${entry.id}"]`);
    line?.replaceWith(this._line(entry));
    return true;
  }

  /** Counts a message for the next announcement ("3 new messages, the last on …"). */
  private _heardMessage(topic: string, payload: Parameters<typeof payloadText>[0]): void {
    if (!this.announce) return;
    this._heard++;
    this._lastHeard = { topic, text: payloadText(payload, SPOKEN_PAYLOAD_MAX).text };
    this.announcer.changed('messages', () => {
      const [count, last] = [this._heard, this._lastHeard];
      this._heard = 0;
      if (count === 0 || !last) return null;
      return count === 1
        ? t('heardOne', { topic: last.topic, text: last.text })
        : t('heardMany', { count, topic: last.topic, text: last.text });
    });
  }

  private _info(text: string): void {
    this._append({ id: this._nextId++, kind: 'info', time: Date.now(), text, omittedChars: 0 });
  }

  private _append(entry: LogEntry): void {
    this._pending.push(entry);
    // A hidden tab gets no frames; it must not pile up more than the log would keep.
    if (this._pending.length > MAX_LOG_ENTRIES) this._pending.splice(0, 1);
    this._scheduleDraw();
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
    const log = this._log();
    // Before the first render there is no log yet; `updated` draws everything then.
    if (!log) return;
    const added = this._pending;
    this._pending = [];
    this._entries.push(...added);
    this._entries.splice(0, Math.max(0, this._entries.length - MAX_LOG_ENTRIES));
    if (this._drawnIn !== language()) {
      this._redraw();
    } else {
      // Following: only the lines that fit are drawn. Reading: every line is there.
      const keep = this._stickToBottom ? this._window(log) : MAX_LOG_ENTRIES;
      const shown = added.slice(-keep);
      const lines = shown.map((entry) => this._line(entry));
      log.append(...lines);
      const extra = log.childElementCount - Math.min(keep, this._entries.length);
      for (let i = 0; i < extra; i++) log.firstElementChild!.remove();
      if (this._stickToBottom) {
        log.scrollTop = log.scrollHeight;
        const error = shown.map((entry) => entry.kind).lastIndexOf('error');
        if (error !== -1) this._showStartOf(log, lines[error]);
      }
    }
    this._empty = this._entries.length === 0;
    if (!this._stickToBottom) this._unseen += added.length;
  };

  /** Sends `text` to the picked device; says so in the log when it could not. */
  private _sendToDevice(text: string): boolean {
    const target = this._target || this._choices()[0] || '';
    const sent = target !== '' && this._connection?.send(target, text) === true;
    if (!sent) this._info(t('notSent'));
    return sent;
  }

  private _onSendOn(): void {
    this._sendToDevice('on');
  }

  private _onSendOff(): void {
    this._sendToDevice('off');
  }

  private _onSendInput(event: Event): void {
    this._sendText = (event.target as HTMLInputElement).value;
  }

  /** The Send button and Enter in the text box both submit the form. */
  private _onSendSubmit(event: Event): void {
    event.preventDefault();
    if (this._sendText === '') return;
    if (this._sendToDevice(this._sendText)) this._sendText = '';
  }

  private _onPickDevice(event: Event): void {
    this._pick((event.target as HTMLSelectElement).value);
  }

  private _onDeviceChip(event: Event): void {
    this._pick((event.currentTarget as HTMLElement).dataset.device ?? '');
  }

  /** A picked device stays the target; the program's own follows its client ID. */
  private _pick(id: string): void {
    this._target = id === (this.programId || this.deviceId) ? '' : id;
  }

  private _onTopicInput(event: Event): void {
    this._topic = (event.target as HTMLInputElement).value;
    this._publishError = '';
  }

  private _onPublishInput(event: Event): void {
    this._publishText = (event.target as HTMLInputElement).value;
  }

  private _onPublishSubmit(event: Event): void {
    event.preventDefault();
    // A space typed by accident at either end would send to a topic nobody listens to.
    const topic = this._topic.trim();
    if (topic === '') return;
    if (/[+#]/.test(topic)) {
      this._publishError = t('topicWildcard');
      return;
    }
    if (!this._connection?.publish(topic, this._publishText)) this._info(t('notSent'));
  }

  private _onClear(): void {
    this.clear();
  }

  private _onShowBlock(event: Event): void {
    this.dispatchEvent(showBlockEvent((event.currentTarget as HTMLElement).dataset.blockId!));
  }

  private _onLogScroll(event: Event): void {
    const log = event.currentTarget as HTMLElement;
    this._stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= BOTTOM_SLACK_PX;
    if (this._stickToBottom) this._unseen = 0;
    // Scrolled up to read: every older line comes back.
    else if (log.childElementCount < this._entries.length) this._showOlder(log, MAX_LOG_ENTRIES);
  }

  private _onJump(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    this._stickToBottom = true;
    this._unseen = 0;
    if (log) log.scrollTop = log.scrollHeight;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-console': MessageConsole;
  }
  interface HTMLElementEventMap {
    'show-block': CustomEvent<ShowBlockDetail>;
  }
}
