/**
 * `<recent-projects>`: the projects saved in this browser, most recently changed first, each
 * with its name and when it last changed. Choosing one asks the studio to open it
 * (`open-recent`); the open project is marked and cannot be chosen again.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { LanguageController, language } from '../i18n/language.ts';
import type { ProjectSummary } from '../project/project-store.ts';
import { t } from './strings.ts';

/** Detail of `open-recent`: the id of the project to open. */
export interface OpenRecentDetail {
  id: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The locale the studio's language formats dates in. */
function locale(): string {
  return language() === 'zh-hans' ? 'zh-Hans' : 'en';
}

/**
 * When `time` was, as a child reads it: "now", "5 minutes ago", "2 hours ago", then a date and
 * time ("28 Nov 2026, 14:05"), in the studio's language.
 */
export function changedWhen(time: number, now = Date.now()): string {
  const ago = Math.max(0, now - time);
  const relative = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (ago < MINUTE) return relative.format(0, 'second');
  if (ago < HOUR) return relative.format(-Math.floor(ago / MINUTE), 'minute');
  if (ago < 6 * HOUR) return relative.format(-Math.floor(ago / HOUR), 'hour');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    time,
  );
}

@customElement('recent-projects')
export class RecentProjects extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    button {
      display: flex;
      align-items: baseline;
      gap: 16px;
      width: 100%;
      font: inherit;
      text-align: start;
      padding: 8px 10px;
      border: none;
      border-radius: var(--iot-radius-small);
      background: none;
      color: inherit;
      cursor: pointer;
    }
    button:hover:not(:disabled),
    button:focus-visible {
      background: var(--iot-fill);
      outline: none;
    }
    button:disabled {
      cursor: default;
    }
    .name {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }
    .unnamed {
      font-style: italic;
      font-weight: 400;
    }
    .when {
      flex: none;
      font-size: 13px;
      color: var(--iot-ink-muted);
      white-space: nowrap;
    }
    .open-now {
      flex: none;
      font-size: 12px;
      font-weight: 600;
      padding: 1px 8px;
      border-radius: var(--iot-radius-pill);
      background: #e3edff;
      color: var(--iot-primary);
    }
    .empty {
      margin: 0;
      padding: 8px 10px;
      color: var(--iot-ink-muted);
    }
  `;

  /** The saved projects, most recently changed first. */
  @property({ attribute: false }) projects: readonly ProjectSummary[] = [];
  /** The id of the open project. */
  @property() currentId = '';

  constructor() {
    super();
    new LanguageController(this);
  }

  protected override render() {
    if (!this.projects.length) return html`<p class="empty">${t('recentEmpty')}</p>`;
    const now = Date.now();
    return html`<ul aria-label=${t('recentLabel')}>
      ${this.projects.map((project) => {
        const current = project.id === this.currentId;
        return html`<li>
          <button
            data-project-id=${project.id}
            aria-current=${current ? 'true' : 'false'}
            ?disabled=${current}
            title=${new Date(project.changed).toLocaleString(locale())}
            @click=${() => this._onChoose(project.id)}
          >
            ${
              project.name === null
                ? html`<span class="name unnamed">${t('unreadableProject')}</span>`
                : html`<span class="name">${project.name}</span>`
            }
            ${
              current
                ? html`<span class="open-now">${t('recentOpenNow')}</span>`
                : html`<span class="when">${changedWhen(project.changed, now)}</span>`
            }
          </button>
        </li>`;
      })}
    </ul>`;
  }

  private _onChoose(id: string): void {
    this.dispatchEvent(
      new CustomEvent<OpenRecentDetail>('open-recent', {
        detail: { id },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'recent-projects': RecentProjects;
  }
  interface HTMLElementEventMap {
    'open-recent': CustomEvent<OpenRecentDetail>;
  }
}
