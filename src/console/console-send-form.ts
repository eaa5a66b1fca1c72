/**
 * `<console-send-form>`: "send to device": the device picker, the one-click `on` and `off`, and a
 * box for any text, with a note when the target is offline or the blocks' client ID changed
 * while the program runs. Properties down; `pick-device` and `send-to-device` up (the console
 * cancels a `send-to-device` it could not send, and the text then stays in the box).
 * It renders into `<message-console>`'s shadow root (its styles: `sendFormStyles`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LanguageController } from '../i18n/language.ts';
import type { PickDeviceDetail } from './device-chips.ts';
import { t } from './strings.ts';

/** The detail of a `send-to-device` event: the text to send to the target. */
export interface SendToDeviceDetail {
  text: string;
}

/** The styles of `<console-send-form>`, for the shadow root it renders into. */
export const sendFormStyles = css`
  console-send-form {
    display: contents;
  }
  /* Picker and one-click buttons, then the message box and Send: one line where the panel is
     wide enough (1280 px), two on a tablet. The log below gets the height. */
  form .row {
    flex: 1 1 15em;
    display: flex;
    gap: 6px;
    min-width: 0;
  }
  select {
    flex: 1 1 8em;
    font-family: var(--iot-mono);
  }
  button[data-action='send-on'] {
    min-width: 3.2em;
    background: #d62828;
  }
  button[data-action='send-off'] {
    min-width: 3.2em;
    background: var(--iot-ink-soft);
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
`;

@customElement('console-send-form')
export class ConsoleSendForm extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  /** The devices the picker lists, the target among them. */
  @property({ attribute: false }) choices: readonly string[] = [];
  /** The device sends go to. */
  @property() target = '';
  /** The devices online. */
  @property({ attribute: false }) online: readonly string[] = [];
  /** Whether the console's link is open. */
  @property({ type: Boolean }) open = false;
  /** The client ID in the child's blocks. */
  @property() deviceId = '';
  /** The client ID the running program connected as ('' when none runs). */
  @property() programId = '';

  @state() private _text = '';

  /** No shadow root: it takes the console's styles (see `sendFormStyles`). */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render() {
    const { target } = this;
    const online = this.online.includes(target);
    const canSend = this.open && online;
    const moved =
      this.programId !== '' &&
      this.deviceId !== '' &&
      this.programId !== this.deviceId &&
      this.online.includes(this.programId);
    return html`<form data-form="send" @submit=${this._onSubmit}>
      <div class="row">
        <h3 class="visually-hidden">${t('sendHeading')}</h3>
        <select aria-label=${t('devicePicker')} @change=${this._onPick}>
          ${this._renderOptions()}
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
          .value=${this._text}
          @input=${this._onInput}
        />
        <button data-action="send" ?disabled=${!canSend || this._text === ''}>${t('send')}</button>
      </div>
      ${this._renderNote(moved, online)}
    </form>`;
  }

  /** A note under the form: the client ID changed while running, or the target is offline. */
  private _renderNote(moved: boolean, online: boolean) {
    if (moved) {
      const text = t('idChanged', { id: this.deviceId, old: this.programId });
      return html`<p class="note" data-note="id-changed" role="status">${text}</p>`;
    }
    if (!this.open || !this.target || online) return '';
    const text = t('deviceNotOnline', { id: this.target });
    return html`<p class="note" data-note="offline">${text}</p>`;
  }

  private _renderOptions() {
    if (this.choices.length === 0) return html`<option value="">${t('noDevice')}</option>`;
    return this.choices.map(
      (id) =>
        html`<option value=${id} ?selected=${id === this.target}>
          ${this.online.includes(id) ? id : t('deviceOffline', { id })}
        </option>`,
    );
  }

  /** Asks the console to send `text`; false when it could not. */
  private _send(text: string): boolean {
    return this.dispatchEvent(
      new CustomEvent<SendToDeviceDetail>('send-to-device', {
        detail: { text },
        cancelable: true,
      }),
    );
  }

  private _onSendOn(): void {
    this._send('on');
  }

  private _onSendOff(): void {
    this._send('off');
  }

  private _onInput(event: Event): void {
    this._text = (event.target as HTMLInputElement).value;
  }

  /** The Send button and Enter in the text box both submit the form. */
  private _onSubmit(event: Event): void {
    event.preventDefault();
    if (this._text === '') return;
    if (this._send(this._text)) this._text = '';
  }

  private _onPick(event: Event): void {
    const id = (event.target as HTMLSelectElement).value;
    this.dispatchEvent(new CustomEvent<PickDeviceDetail>('pick-device', { detail: { id } }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-send-form': ConsoleSendForm;
  }
  interface HTMLElementEventMap {
    'send-to-device': CustomEvent<SendToDeviceDetail>;
  }
}
