/**
 * `<message-console>`: the studio's stand-in for OneNET's command page. A child sends `on` or `off`
 * (or any text) to a device, publishes to any topic, and watches every message through the
 * classroom broker, together with what their own program printed and its errors.
 *
 * It holds the link (`ConsoleConnection`) and the log (`ConsoleLog`), and composes the parts:
 * `<device-chips>`, `<console-send-form>`, `<console-publish-form>` and `<message-log>`, which
 * render into its shadow root (one style scope: their styles are adopted here, after the theme's
 * tokens, which are first in the console's own).
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ConsoleConnection, isConsoleUrl, type ConsoleState } from './console-connection.ts';
import type { ConsoleEvent } from './console-protocol.ts';
import { payloadText } from './payload-text.ts';
import { LanguageController } from '../i18n/language.ts';
import { LiveAnnouncer, announcementsStyles } from '../board/announcer.ts';
import { ConsoleLog, type ProgramLine } from './console-log.ts';
import { deviceChipsStyles, type PickDeviceDetail, type ShownState } from './device-chips.ts';
import { sendFormStyles, type SendToDeviceDetail } from './console-send-form.ts';
import { publishFormStyles, type PublishMessageDetail } from './console-publish-form.ts';
import { messageLogStyles } from './message-log.ts';
import './device-chips.ts';
import './console-send-form.ts';
import './console-publish-form.ts';
import './message-log.ts';
import { t } from './strings.ts';
import { filledButton, textField, themeTokens } from '../theme/theme.ts';

export { MAX_LINE_CHARS, MAX_LOG_ENTRIES, type ProgramLine } from './console-log.ts';
export { showBlockEvent, type ShowBlockDetail } from './message-log.ts';

/** The most bytes of a message said aloud (a long one is cut, as the log cuts it). */
const SPOKEN_PAYLOAD_MAX = 100;

/** Device names in the order a person counts them: board-2 before board-10. */
const byName = new Intl.Collator(undefined, { numeric: true }).compare;

@customElement('message-console')
export class MessageConsole extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  static override styles = [
    css`
      ${themeTokens}
      ${announcementsStyles}
      :host {
        position: relative;
        display: flex;
        flex-direction: column;
        min-width: 0;
        min-height: 0;
        height: 100%;
        background: var(--iot-surface);
        color: var(--iot-ink);
        font-family: var(--iot-sans);
        font-size: 14px;
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
      /* The forms' shared look. */
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px;
        padding: 6px 10px;
        border-bottom: 1px solid var(--iot-fill);
      }
      /* Headings sit on their controls' line: the log below gets the height. */
      form h3,
      summary {
        flex: none;
        margin: 0;
        font-size: 13px;
        font-weight: 600;
        color: var(--iot-ink-muted);
      }
      form h3 {
        align-self: center;
      }
      input,
      select {
        ${textField}
        min-width: 0;
        padding: 6px 8px;
        color: inherit;
      }
      input {
        font-family: var(--iot-mono);
      }
      .text {
        flex: 1 1 10em;
      }
      button {
        ${filledButton}
        border-radius: var(--iot-radius-small);
        padding: 6px 12px;
        white-space: nowrap;
      }
      button.secondary {
        background: var(--iot-secondary);
        color: var(--iot-on-secondary);
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
        outline: var(--iot-focus-ring);
        outline-offset: 1px;
      }
    `,
    deviceChipsStyles,
    sendFormStyles,
    publishFormStyles,
    messageLogStyles,
  ];

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

  /** The log's entries; `<message-log>` draws them. */
  private readonly _log = new ConsoleLog();

  @state() private _state: ShownState = 'none';
  @state() private _online: readonly string[] = [];
  /** The device picked in the picker; '' follows the program (see `_choices`). */
  @state() private _target = '';

  private _connection: ConsoleConnection | null = null;
  private _hasBeenOpen = false;

  /** Shows a line of the program's output; an error with a `blockId` gets a "Show block" button. */
  addProgramLine(line: ProgramLine): void {
    this._log.addProgramLine(line);
  }

  /** Empties the log. */
  clear(): void {
    this._log.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this._syncConnection();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._syncConnection();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('url')) this._syncConnection();
    if (changed.has('announce')) {
      this.announcer.enabled = this.announce;
      this._heard = 0;
    }
  }

  protected override render() {
    const target = this._targetNow();
    const open = this._state === 'open';
    return html`
      <!-- The tab above names the panel: its heading is for screen readers, its state and Clear
        share the line of who is online, so the log below gets the height. -->
      <h2 class="visually-hidden">${t('consoleLabel')}</h2>
      <device-chips
        .state=${this._state}
        .online=${this._online}
        .target=${target}
        @pick-device=${this._onPickDevice}
        @clear-log=${this._onClear}
      ></device-chips>
      <console-send-form
        .choices=${this._choices()}
        .target=${target}
        .online=${this._online}
        .open=${open}
        .deviceId=${this.deviceId}
        .programId=${this.programId}
        @pick-device=${this._onPickDevice}
        @send-to-device=${this._onSendToDevice}
      ></console-send-form>
      <console-publish-form
        .open=${open}
        @publish-message=${this._onPublish}
      ></console-publish-form>
      <message-log .log=${this._log}></message-log>
      ${this.announcer.region()}
    `;
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

  /** The device sends go to now. */
  private _targetNow(): string {
    return this._target || this._choices()[0] || '';
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
        const entry = this._log.addMessage(event);
        // A direct delivery that went inside its send's line is not heard again.
        if (!entry) break;
        const { directTo } = entry;
        this._heardMessage(
          directTo !== undefined ? t('directTo', { id: directTo }) : event.topic,
          event.payload,
        );
        break;
      }
      case 'skipped':
        this._log.addInfo('skipped', { count: event.count });
        break;
      case 'clients':
        this._online = [...new Set(event.online)].sort(byName);
        break;
      case 'connect':
        if (!this._online.includes(event.clientId)) {
          this._online = [...this._online, event.clientId].sort(byName);
        }
        if (event.clientId === this._targetNow()) {
          this._log.addInfo('deviceOnline', { id: event.clientId });
        }
        break;
      case 'disconnect': {
        const target = this._targetNow();
        this._online = this._online.filter((id) => id !== event.clientId);
        if (event.clientId === target) {
          this._log.addInfo('deviceGone', { id: event.clientId });
        }
        break;
      }
      case 'takeover':
        this._log.addInfo('takeover', { id: event.clientId });
        break;
    }
  };

  private _onConsoleState = (state: ConsoleState): void => {
    if (state === 'retrying' && this._state === 'open') {
      this._log.addInfo('connectionLost');
      // Who is online is unknown until the server tells us again.
      this._online = [];
    }
    if (state === 'open') {
      if (this._hasBeenOpen) this._log.addInfo('connectionBack');
      this._hasBeenOpen = true;
    }
    this._state = state;
  };

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

  /** Sends the form's text to the target; cancels the event (and says so) when it could not. */
  private _onSendToDevice(event: CustomEvent<SendToDeviceDetail>): void {
    const target = this._targetNow();
    const sent = target !== '' && this._connection?.send(target, event.detail.text) === true;
    if (sent) return;
    this._log.addInfo('notSent');
    event.preventDefault();
  }

  /** A picked device stays the target; the program's own follows its client ID. */
  private _onPickDevice(event: CustomEvent<PickDeviceDetail>): void {
    const { id } = event.detail;
    this._target = id === (this.programId || this.deviceId) ? '' : id;
  }

  private _onPublish(event: CustomEvent<PublishMessageDetail>): void {
    const { topic, text } = event.detail;
    if (!this._connection?.publish(topic, text)) this._log.addInfo('notSent');
  }

  private _onClear(): void {
    this.clear();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'message-console': MessageConsole;
  }
}
