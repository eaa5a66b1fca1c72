/**
 * `<broker-setting>`: under the board it sets the broker for, where the board goes online when
 * Run is pressed: the studio's own broker, a public one, or an address the child types (its
 * password shown as •••). It shows the project's setting and says a new one in a
 * `broker-change` event; an address that is not a broker's is marked and not sent.
 *
 * Like `<studio-toolbar>` it draws into the studio's shadow root (`[data-setting=…]` stays where
 * tests find it) and brings its styles there.
 */
import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { isBrokerUrl, maskedBrokerUrl, withStoredPassword } from '../project/browser-broker.ts';
import type { BrowserBroker } from '../project/project-file.ts';
import { textField, themeTokens } from '../theme/theme.ts';
import { StudioPiece } from './adopt-styles.ts';
import { t, type StringKey } from './strings.ts';

/** The browser-broker choices, by option value. */
const BROKER_CHOICES: [value: string, label: StringKey, setting: BrowserBroker | null][] = [
  ['embedded', 'brokerEmbedded', { kind: 'embedded' }],
  ['emqx', 'brokerEmqx', { kind: 'preset', preset: 'emqx' }],
  ['hivemq', 'brokerHivemq', { kind: 'preset', preset: 'hivemq' }],
  ['mosquitto', 'brokerMosquitto', { kind: 'preset', preset: 'mosquitto' }],
  ['custom', 'brokerCustom', null],
];

function brokerChoice(setting: BrowserBroker): string {
  return setting.kind === 'preset' ? setting.preset : setting.kind;
}

/** `broker-change`: the child chose another browser broker. */
export interface BrokerChangeDetail {
  setting: BrowserBroker;
}

@customElement('broker-setting')
export class BrokerSetting extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    broker-setting {
      display: contents;
    }
    .broker {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
      min-width: 0;
      padding: 0 12px 8px;
      font-size: 13px;
      color: var(--iot-ink-muted);
      flex: none;
    }
    .broker span {
      white-space: nowrap;
    }
    .broker select,
    .broker input {
      ${textField}
      min-width: 9em;
      max-width: 200px;
      padding: 5px 6px;
      color: var(--iot-ink);
    }
    .broker select:focus-visible,
    .broker input:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    .broker select:disabled,
    .broker input:disabled {
      opacity: 0.6;
    }
    .broker input[aria-invalid='true'] {
      border-color: #c81e1e;
      outline-color: #c81e1e;
    }
  `;

  /** The project's browser broker. */
  @property({ attribute: false }) setting: BrowserBroker = { kind: 'embedded' };
  /** Whether the choice is closed (this tab only shows the project). */
  @property({ type: Boolean }) disabled = false;

  /** Whether the typed address is not a broker's. */
  @state() private _invalid = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another setting (chosen, or another project's): nothing typed is wrong any more.
    if (changed.has('setting')) this._invalid = false;
  }

  protected override render() {
    const setting = this.setting;
    return html`<label class="broker">
      <span>${t('brokerLabel')}</span>
      <select
        data-setting="browser-broker"
        title=${t('brokerLabel')}
        ?disabled=${this.disabled}
        @change=${this._onChoice}
      >
        ${BROKER_CHOICES.map(
          ([value, label]) =>
            // A property, not the attribute: once a person has chosen, the attribute no
            // longer moves the selection, and switching projects must.
            html`<option value=${value} .selected=${live(brokerChoice(setting) === value)}>
              ${t(label)}
            </option>`,
        )}
      </select>
      ${
        setting.kind === 'custom'
          ? html`<input
              data-setting="browser-broker-url"
              type="url"
              placeholder=${t('brokerCustomPlaceholder')}
              .value=${maskedBrokerUrl(setting.url)}
              ?disabled=${this.disabled}
              aria-invalid=${String(this._invalid)}
              title=${t(this._invalid ? 'brokerCustomInvalid' : 'brokerCustomHint')}
              @change=${this._onCustomUrl}
            />`
          : ''
      }
    </label>`;
  }

  private _emit(setting: BrowserBroker): void {
    this.dispatchEvent(
      new CustomEvent<BrokerChangeDetail>('broker-change', {
        detail: { setting },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private _onChoice(event: Event): void {
    if (this.disabled) return;
    const value = (event.target as HTMLSelectElement).value;
    const choice = BROKER_CHOICES.find(([v]) => v === value);
    this._invalid = false;
    this._emit(choice?.[2] ?? { kind: 'custom', url: '' });
  }

  private _onCustomUrl(event: Event): void {
    if (this.disabled) return;
    // The box shows the password as •••: an unchanged ••• keeps the stored one.
    const current = this.setting;
    const url = withStoredPassword(
      (event.target as HTMLInputElement).value.trim(),
      current.kind === 'custom' ? current.url : '',
    );
    this._invalid = !isBrokerUrl(url);
    if (!this._invalid) this._emit({ kind: 'custom', url });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'broker-setting': BrokerSetting;
  }
  interface HTMLElementEventMap {
    'broker-change': CustomEvent<BrokerChangeDetail>;
  }
}
