/**
 * `<language-switch>`: the studio's "中文 / English" switch, a pair of toggle buttons. Each
 * language is named in itself, so a child finds their own whichever language is showing. A press
 * calls `setLanguage`, which the whole studio follows (and which is remembered in this browser).
 * With `compact` (a narrow toolbar) it is one button naming the other language.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import {
  HTML_LANG,
  LANGUAGES,
  LanguageController,
  setLanguage,
  type Language,
} from '../i18n/language.ts';
import { t } from './strings.ts';

/** Each language's name in that language: never translated. */
const LANGUAGE_NAMES: Record<Language, string> = { 'zh-hans': '中文', en: 'English' };

const globeIcon = svg`<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="1.8"><circle cx="12" cy="12" r="9"/>
  <path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z"/>
  </svg>`;

@customElement('language-switch')
export class LanguageSwitch extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: inline-flex;
      flex: none;
    }
    [role='group'] {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 2px 2px 2px 8px;
      border-radius: var(--iot-radius);
      background: var(--iot-secondary);
      color: var(--iot-on-secondary);
    }
    svg {
      margin-right: 4px;
    }
    button {
      font: inherit;
      font-size: 13px;
      font-weight: 600;
      padding: 5px 9px;
      border: none;
      border-radius: var(--iot-radius-small);
      background: transparent;
      color: inherit;
      cursor: pointer;
      white-space: nowrap;
    }
    button[aria-pressed='true'] {
      background: var(--iot-surface);
      color: var(--iot-primary);
      box-shadow: 0 1px 2px rgb(0 0 0 / 15%);
      cursor: default;
    }
    button:hover:not([aria-pressed='true']) {
      background: #d5dee9;
    }
    button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 1px;
    }
  `;

  /** One button that switches to the other language, instead of one button per language. */
  @property({ type: Boolean, reflect: true }) compact = false;

  private readonly _language = new LanguageController(this);

  protected override render() {
    const current = this._language.language;
    const shown = this.compact ? LANGUAGES.filter((lang) => lang !== current) : LANGUAGES;
    return html`<div role="group" aria-label=${t('languageLabel')} title=${t('languageLabel')}>
      ${globeIcon}
      ${shown.map(
        (lang) =>
          html`<button
            type="button"
            data-action="language"
            data-language=${lang}
            lang=${HTML_LANG[lang]}
            aria-pressed=${String(lang === current)}
            @click=${() => setLanguage(lang)}
          >
            ${LANGUAGE_NAMES[lang]}
          </button>`,
      )}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'language-switch': LanguageSwitch;
  }
}
