/**
 * `<studio-notices>`: the lines under the toolbar. While another tab edits the project, why this
 * tab only shows it and an "Edit here" button (`edit-here`); and the notice of the moment (a
 * file that could not open, a version restored, saving that failed…) with a button that
 * dismisses it (`notice-dismiss`).
 *
 * It draws into the studio's shadow root (see `adopt-styles.ts`): `.notice` and
 * `[data-action="edit-here"]` stay where tests find them.
 */
import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ShowingReason } from '../project/editor-tabs.ts';
import { themeTokens } from '../theme/theme.ts';
import { StudioPiece } from './adopt-styles.ts';
import { t } from './strings.ts';

@customElement('studio-notices')
export class StudioNotices extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    studio-notices {
      display: contents;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0;
      padding: 8px 16px;
      background: var(--iot-notice);
      border-bottom: 1px solid #f0d78c;
      color: var(--iot-on-notice);
      flex: none;
    }
    .notice button {
      margin-left: auto;
      font: inherit;
      font-size: 18px;
      line-height: 1;
      padding: 4px 10px;
      border: none;
      border-radius: var(--iot-radius-small);
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    .notice button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    .notice.read-only {
      background: var(--iot-info);
      border-bottom-color: #c6d7f5;
      color: var(--iot-on-secondary);
    }
    .notice.read-only button {
      font-size: 15px;
      font-weight: 600;
      padding: 6px 14px;
      border-radius: var(--iot-radius);
      background: var(--iot-primary);
      color: var(--iot-on-primary);
      white-space: nowrap;
    }
  `;

  /** What the child should know now, or null. */
  @property({ attribute: false }) notice: string | null = null;
  /** Why this tab only shows the project (another tab edits it), or null when it edits it. */
  @property({ attribute: false }) readOnly: ShowingReason | null = null;
  /** Whether this tab is taking the project over (Edit here waits). */
  @property({ type: Boolean }) takingOver = false;

  protected override render() {
    return html`${this._renderReadOnly()}
    ${
      this.notice
        ? html`<p class="notice" role="status">
            <span>${this.notice}</span>
            <button aria-label=${t('dismissNotice')} @click=${() => this._emit('notice-dismiss')}>
              ×
            </button>
          </p>`
        : ''
    }`;
  }

  /** While another tab edits the project: why this tab only shows it, and how to edit here. */
  private _renderReadOnly() {
    if (this.readOnly === null) return '';
    return html`<p class="notice read-only" role="status" data-read-only-banner>
      <span>${t(this.readOnly === 'taken' ? 'takenOverBanner' : 'editedElsewhereBanner')}</span>
      <button
        data-action="edit-here"
        title=${t('editHereHint')}
        ?disabled=${this.takingOver}
        @click=${() => this._emit('edit-here')}
      >
        ${t('editHere')}
      </button>
    </p>`;
  }

  private _emit(name: 'edit-here' | 'notice-dismiss'): void {
    this.dispatchEvent(new Event(name, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'studio-notices': StudioNotices;
  }
}
