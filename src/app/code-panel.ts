/**
 * `<code-panel>`: the program as MicroPython or TypeScript, one tab each, with line numbers, and
 * the lines of the selected block highlighted so a child sees which code a block makes.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { LanguageController } from '../i18n/language.ts';
import { t, type StringKey } from './strings.ts';

/** Where an edit of the MicroPython went wrong: its line (1-based) and the sentence to show. */
export interface EditError {
  line: number;
  message: string;
}

/** The detail of `apply-micropython`: the edited program, for the studio to turn into blocks. */
export interface ApplyMicroPythonDetail {
  code: string;
}

/** The languages the panel shows. */
export type CodeLanguage = 'micropython' | 'typescript';

const TABS: readonly { language: CodeLanguage; label: StringKey }[] = [
  { language: 'micropython', label: 'tabMicroPython' },
  { language: 'typescript', label: 'tabTypeScript' },
];

@customElement('code-panel')
export class CodePanel extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
      background: #ffffff;
      color: #1f2933;
    }
    [role='tablist'] {
      display: flex;
      gap: 4px;
      padding: 8px 12px 0;
      border-bottom: 1px solid #d9e0e8;
      background: #f3f6fa;
    }
    [role='tab'] {
      font: inherit;
      font-size: 14px;
      font-weight: 600;
      padding: 8px 16px;
      border: 1px solid transparent;
      border-bottom: none;
      border-radius: 10px 10px 0 0;
      background: transparent;
      color: #52606d;
      cursor: pointer;
      margin-bottom: -1px;
    }
    [role='tab']:hover {
      color: #1f2933;
      background: #e6ecf3;
    }
    [role='tab'][aria-selected='true'] {
      background: #ffffff;
      color: #1a56c4;
      border-color: #d9e0e8;
    }
    [role='tab']:focus-visible {
      outline: 3px solid #2563eb;
      outline-offset: -3px;
    }
    [role='tabpanel'] {
      flex: 1;
      min-height: 0;
      overflow: auto;
    }
    pre {
      margin: 0;
      padding: 10px 0;
      font-family:
        'IoT Blocks Chinese', ui-monospace, 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas,
        monospace;
      font-size: 13px;
      line-height: 1.55;
      tab-size: 4;
    }
    code {
      /* As wide as the longest line, so a highlight spans the whole scrolled width. */
      display: inline-block;
      min-width: 100%;
      font: inherit;
    }
    .line {
      display: inline-block;
      min-width: 100%;
      box-sizing: border-box;
      padding-right: 16px;
    }
    /* The number is generated content: it is not copied with the code nor read as part of it. */
    .line::before {
      content: attr(data-line);
      display: inline-block;
      width: 3.5ch;
      margin-right: 2ch;
      text-align: right;
      color: #9aa5b1;
    }
    .line.selected {
      background: #fff1b8;
      box-shadow: inset 4px 0 0 #f0b400;
    }
    .line.selected::before {
      color: #7a5c00;
    }
    .edit-bar {
      display: flex;
      gap: 8px;
      align-items: center;
      padding: 6px 12px;
      border-bottom: 1px solid #d9e0e8;
    }
    .edit-bar button {
      font: inherit;
      font-size: 13px;
      padding: 4px 12px;
      border-radius: 8px;
      border: 1px solid #b8c4d1;
      background: #ffffff;
      cursor: pointer;
    }
    textarea {
      box-sizing: border-box;
      width: 100%;
      height: 100%;
      min-height: 240px;
      border: none;
      padding: 10px 12px;
      font:
        13px/1.55 'IoT Blocks Chinese',
        ui-monospace,
        'Cascadia Mono',
        'DejaVu Sans Mono',
        Menlo,
        Consolas,
        monospace;
      tab-size: 4;
      resize: none;
    }
    .edit-error {
      margin: 0;
      padding: 6px 12px;
      color: #b42318;
      background: #fdecea;
    }
    .empty {
      margin: 24px 16px;
      color: #52606d;
      font-size: 15px;
    }
  `;

  /** The program as MicroPython, with its line → block map. */
  @property({ attribute: false }) micropython?: GeneratedProgram;

  /** The program as TypeScript, with its line → block map. */
  @property({ attribute: false }) typescript?: GeneratedProgram;

  /** The block whose lines are highlighted, or null for none. */
  @property({ attribute: false }) selectedBlockId: string | null = null;

  /** Whether the MicroPython is being edited as text (edits that parse become the blocks). */
  @property({ type: Boolean }) editing = false;

  /** Why the last edit could not become blocks (the blocks stayed as they were), or null. */
  @property({ attribute: false }) editError: EditError | null = null;

  @state() private _language: CodeLanguage = 'micropython';

  protected override render() {
    const program = this._language === 'micropython' ? this.micropython : this.typescript;
    return html`
      <div role="tablist" aria-label=${t('codePanelLabel')} @keydown=${this._onTabKey}>
        ${TABS.map(
          ({ language, label }) => html`
            <button
              role="tab"
              id="tab-${language}"
              aria-controls="code"
              aria-selected=${language === this._language ? 'true' : 'false'}
              tabindex=${language === this._language ? 0 : -1}
              data-language=${language}
              @click=${this._onTabClick}
            >
              ${t(label)}
            </button>
          `,
        )}
      </div>
      ${this._language === 'micropython' ? this._renderEditBar() : ''}
      ${
        this.editing && this._language === 'micropython' && this.editError
          ? html`<p class="edit-error" role="alert" data-edit-error=${this.editError.line}>
              ${this.editError.message}
            </p>`
          : ''
      }
      <div id="code" role="tabpanel" aria-labelledby="tab-${this._language}" tabindex="0">
        ${
          this.editing && this._language === 'micropython'
            ? html`<textarea
                data-input="micropython-edit"
                spellcheck="false"
                aria-label=${t('editMicroPythonLabel')}
                .value=${this.micropython?.code ?? ''}
              ></textarea>`
            : program?.code
              ? this._renderCode(program)
              : this._renderEmpty()
        }
      </div>
    `;
  }

  private _renderEditBar() {
    return this.editing
      ? html`<div class="edit-bar">
          <button data-action="apply-micropython" @click=${this._onApply}>
            ${t('applyMicroPython')}
          </button>
          <button data-action="stop-editing-micropython" @click=${this._onStopEditing}>
            ${t('stopEditingMicroPython')}
          </button>
        </div>`
      : html`<div class="edit-bar">
          <button
            data-action="edit-micropython"
            title=${t('editMicroPythonHint')}
            @click=${this._onEdit}
          >
            ${t('editMicroPython')}
          </button>
        </div>`;
  }

  private _onEdit(): void {
    this.editing = true;
    this.editError = null;
  }

  private _onStopEditing(): void {
    this.editing = false;
    this.editError = null;
  }

  /** Asks the studio to turn the edited text into blocks (it sets `editError` when it cannot). */
  private _onApply(): void {
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    if (!area) return;
    this.dispatchEvent(
      new CustomEvent<ApplyMicroPythonDetail>('apply-micropython', {
        detail: { code: area.value },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private _renderEmpty() {
    return html`<p class="empty">${t('emptyProgram')}</p>`;
  }

  /** One span per line, each followed by a newline, so the `<pre>`'s text is the program. */
  private _renderCode({ code, lineBlocks }: GeneratedProgram) {
    const selected = this.selectedBlockId;
    const lines = code.replace(/\n$/, '').split('\n');
    return html`<pre><code>${lines.map(
      (line, i) =>
        html`<span
            class="line ${selected && lineBlocks[i] === selected ? 'selected' : ''}"
            data-line=${i + 1}
            >${line}</span
          >${'\n'}`,
    )}</code></pre>`;
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('selectedBlockId') || changed.has('_language')) this._revealSelection();
  }

  /**
   * Scrolls the first highlighted line to a third of the way down when it is out of sight, so the
   * lines around it show too. Lines already in sight stay put: the code must not jump about.
   */
  private _revealSelection(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('[role="tabpanel"]');
    const line = this.renderRoot.querySelector('.line.selected');
    if (!scroller || !line) return;
    const view = scroller.getBoundingClientRect();
    const box = line.getBoundingClientRect();
    if (box.top >= view.top && box.bottom <= view.bottom) return;
    scroller.scrollTop += box.top - view.top - view.height / 3;
  }

  private _onTabClick(event: Event): void {
    this._language = (event.currentTarget as HTMLElement).dataset.language as CodeLanguage;
  }

  /** Arrow keys move between tabs, as in every tab list. */
  private _onTabKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const index = TABS.findIndex((tab) => tab.language === this._language);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    this._language = next.language;
    this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>(`[data-language="${next.language}"]`)?.focus(),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'code-panel': CodePanel;
  }
}
