/**
 * `<device-chips>`: the console's top line: the link's state, a chip for every device online (a
 * click picks it as the target) and Clear. Properties down; `pick-device` and `clear-log` up.
 * It renders into `<message-console>`'s shadow root (its styles: `deviceChipsStyles`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ConsoleState } from './console-connection.ts';
import { LanguageController } from '../i18n/language.ts';
import { t, type ConsoleStringKey } from './strings.ts';

/** What the status pill says: a link's state, or why there is no link. */
export type ShownState = ConsoleState | 'none' | 'invalid';

/** The detail of a `pick-device` event: the device to send to. */
export interface PickDeviceDetail {
  id: string;
}

const STATE_TEXT: Record<ShownState, ConsoleStringKey> = {
  none: 'stateNone',
  invalid: 'stateInvalid',
  connecting: 'stateConnecting',
  open: 'stateOpen',
  retrying: 'stateRetrying',
  closed: 'stateClosed',
};

/** The styles of `<device-chips>`, for the shadow root it renders into. */
export const deviceChipsStyles = css`
  device-chips {
    display: contents;
  }
  .state {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 2px 10px;
    border-radius: var(--iot-radius-pill);
    background: var(--iot-secondary);
    color: var(--iot-ink-soft);
    font-size: 13px;
  }
  .state::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--iot-ink-faint);
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
    background: var(--iot-canvas);
    border-bottom: 1px solid var(--iot-line);
    font-size: 13px;
    color: var(--iot-ink-muted);
  }
  .devices ul {
    display: contents;
    list-style: none;
  }
  .device {
    font: inherit;
    font-family: var(--iot-mono);
    padding: 2px 8px;
    border: 1px solid #b8e0c8;
    border-radius: var(--iot-radius-pill);
    background: #effaf3;
    color: #0b5d3b;
    cursor: pointer;
  }
  .device::before {
    content: '● ';
    color: #14a05c;
  }
  .device[aria-pressed='true'] {
    border-color: var(--iot-primary);
    background: var(--iot-info);
    color: var(--iot-on-secondary);
  }
`;

@customElement('device-chips')
export class DeviceChips extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  /** The console link's state. */
  @property() state: ShownState = 'none';
  /** The devices online, in the order to show them. */
  @property({ attribute: false }) online: readonly string[] = [];
  /** The device sends go to (its chip is pressed). */
  @property() target = '';

  /** No shadow root: it takes the console's styles (see `deviceChipsStyles`). */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render() {
    return html`<div class="devices">
      <span class="state" data-state=${this.state} role="status">
        ${t(STATE_TEXT[this.state])}
      </span>
      <span>${t('devicesOnline')}</span>
      ${
        this.online.length === 0
          ? html`<span class="none">${t('noDevicesOnline')}</span>`
          : html`<ul>
              ${this.online.map(
                (id) =>
                  html`<li>
                    <button
                      type="button"
                      class="device"
                      data-device=${id}
                      aria-pressed=${id === this.target ? 'true' : 'false'}
                      title=${t('pickDeviceHint', { id })}
                      @click=${this._onChip}
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

  private _onChip(event: Event): void {
    const id = (event.currentTarget as HTMLElement).dataset.device ?? '';
    this.dispatchEvent(new CustomEvent<PickDeviceDetail>('pick-device', { detail: { id } }));
  }

  private _onClear(): void {
    this.dispatchEvent(new CustomEvent('clear-log'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'device-chips': DeviceChips;
  }
  interface HTMLElementEventMap {
    'pick-device': CustomEvent<PickDeviceDetail>;
    'clear-log': CustomEvent<void>;
  }
}
