/**
 * `<paste-python-dialog>`: Project → Paste MicroPython. A box for a MicroPython program; Open
 * asks for it to be opened as blocks with an `open-python` event, and the dialog stays open,
 * showing `error`, until it has been (the studio then closes it).
 *
 * It draws into the studio's shadow root (see `adopt-styles.ts`): focus and Tab order stay there.
 */
import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { StudioPiece } from './adopt-styles.ts';
import { t } from './strings.ts';

/** `open-python`: the child asked to open `text` as blocks. */
export interface OpenPythonDetail {
  text: string;
}

@customElement('paste-python-dialog')
export class PastePythonDialog extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    dialog.paste-python {
      width: min(720px, calc(100vw - 48px));
      border: none;
      border-radius: 16px;
      box-shadow: 0 12px 48px #0004;
    }
    dialog.paste-python textarea {
      display: block;
      box-sizing: border-box;
      width: 100%;
      margin-top: 8px;
      font:
        13px/1.4 'IoT Blocks Chinese',
        ui-monospace,
        monospace;
    }
    .paste-error {
      color: var(--iot-error);
    }
    .dialog-actions {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
  `;

  /** Why the pasted MicroPython could not open, or null. */
  @property({ attribute: false }) error: string | null = null;

  private get _dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Opens the dialog, without an error from before. */
  show(): void {
    this.error = null;
    this._dialog?.showModal();
  }

  /** Closes the dialog and empties its box (the program opened). */
  close(): void {
    const area = this.querySelector('textarea');
    if (area) area.value = '';
    this._dialog?.close();
  }

  protected override render() {
    return html`<dialog
      class="paste-python"
      aria-label=${t('pasteMicroPython')}
      @close=${this._onClosed}
    >
      <form method="dialog" @submit=${this._onSubmit}>
        <label>
          ${t('pasteMicroPythonLabel')}
          <textarea data-input="paste-python" spellcheck="false" rows="16"></textarea>
        </label>
        ${
          this.error
            ? html`<p class="paste-error" role="alert" data-paste-error>${this.error}</p>`
            : ''
        }
        <div class="dialog-actions">
          <button type="button" class="secondary" @click=${this._onCancel}>
            ${t('pasteMicroPythonCancel')}
          </button>
          <button type="submit" data-action="open-pasted-python">
            ${t('pasteMicroPythonOpen')}
          </button>
        </div>
      </form>
    </dialog>`;
  }

  private _onCancel(): void {
    this._dialog?.close();
  }

  private _onClosed(): void {
    this.error = null;
  }

  private _onSubmit(event: SubmitEvent): void {
    // The dialog stays open until the program opened: an error is shown in it.
    event.preventDefault();
    const text = this.querySelector('textarea')!.value;
    this.dispatchEvent(
      new CustomEvent<OpenPythonDetail>('open-python', {
        detail: { text },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'paste-python-dialog': PastePythonDialog;
  }
  interface HTMLElementEventMap {
    'open-python': CustomEvent<OpenPythonDetail>;
  }
}
