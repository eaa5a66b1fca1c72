/**
 * `<examples-dialog>`: Project → Examples, the example gallery in a dialog. Choosing one closes
 * it; the gallery's `open-example` goes on up to the studio. When it closes it says so with
 * `examples-closed`, so the studio can give focus back to the menu that opened it.
 *
 * It draws into the studio's shadow root (see `adopt-styles.ts`): focus and Tab order stay there.
 */
import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { StudioPiece } from './adopt-styles.ts';
import './example-gallery.ts';
import { t } from './strings.ts';

@customElement('examples-dialog')
export class ExamplesDialog extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    dialog.examples {
      width: min(960px, calc(100vw - 48px));
      max-height: calc(100vh - 48px);
      padding: 0;
      border: none;
      border-radius: 16px;
      box-shadow: 0 12px 48px #0004;
    }
    dialog.examples::backdrop {
      background: #1f293366;
    }
    .dialog-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 12px 16px;
      border-bottom: 1px solid var(--iot-line);
    }
    .dialog-head h2 {
      margin: 0;
      font-size: 18px;
    }
    .dialog-head button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
  `;

  private get _dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Opens the gallery. */
  show(): void {
    this._dialog?.showModal();
  }

  protected override render() {
    return html`<dialog class="examples" aria-label=${t('examples')} @close=${this._onClosed}>
      <div class="dialog-head">
        <h2>${t('examples')}</h2>
        <button
          class="secondary"
          data-action="close-examples"
          aria-label=${t('closeExamples')}
          @click=${this._onClose}
        >
          ×
        </button>
      </div>
      <example-gallery @open-example=${this._onClose}></example-gallery>
    </dialog>`;
  }

  private _onClose(): void {
    this._dialog?.close();
  }

  private _onClosed(): void {
    this.dispatchEvent(new Event('examples-closed', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'examples-dialog': ExamplesDialog;
  }
}
