/**
 * `<lesson-panel>`: the card that walks a child through a lesson beside the workspace — the
 * step's instruction, the block to drag as Blockly draws it, and a hint once the child has been
 * on a step for a while (`HINT_MS`). The studio sets `lesson` and `step` (it checks steps against
 * the program and the board, `src/lessons/lesson.ts`); the card asks for the next step of a step
 * without a check (`lesson-next`) and for closing (`lesson-close`). It renders into the light DOM
 * because the block picture is drawn with Blockly's document-wide CSS.
 */
import { LitElement, css, html, type CSSResult, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { filledButton, themeTokens } from '../theme/theme.ts';
import '../help/block-picture.ts';
import { LanguageController, language } from '../i18n/language.ts';
import { HINT_MS, type Lesson } from './lesson.ts';
import { t } from './strings.ts';

@customElement('lesson-panel')
export class LessonPanel extends LitElement {
  // Light DOM: `connectedCallback` adds these to the document.
  static override styles = css`
    ${themeTokens}
    lesson-panel {
      display: block;
      box-sizing: border-box;
      width: min(340px, 100%);
      max-height: 100%;
      overflow: auto;
      padding: 14px 16px;
      border: 2px solid var(--iot-lesson);
      border-radius: 14px;
      background: #fffdf7;
      color: var(--iot-ink);
      box-shadow: 0 8px 24px rgb(15 30 60 / 18%);
      font-size: 15px;
      line-height: 1.45;
    }
    lesson-panel header {
      display: flex;
      align-items: baseline;
      gap: 8px;
    }
    lesson-panel h2 {
      flex: 1;
      margin: 0;
      font-size: 16px;
    }
    lesson-panel .count {
      margin: 2px 0 8px;
      color: var(--iot-ink-muted);
      font-size: 13px;
    }
    lesson-panel p {
      margin: 6px 0;
    }
    lesson-panel .drag {
      margin: 8px 0 0;
      color: var(--iot-ink-muted);
      font-size: 13px;
    }
    lesson-panel block-picture {
      display: block;
      max-width: 100%;
    }
    lesson-panel block-picture svg {
      max-width: 100%;
      height: auto;
    }
    lesson-panel .hint {
      margin-top: 10px;
      padding: 8px 10px;
      border-radius: var(--iot-radius-small);
      background: #fff1c2;
    }
    lesson-panel button {
      ${filledButton}
      min-height: 36px;
      padding: 6px 14px;
      /* Green: the lesson's way on. */
      background: #1a7f37;
    }
    lesson-panel button.close {
      min-height: 32px;
      min-width: 32px;
      padding: 0;
      background: transparent;
      color: var(--iot-ink-muted);
      font-size: 20px;
    }
    lesson-panel button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
  `;

  @property({ attribute: false }) lesson: Lesson | null = null;
  /** The step shown (0-based); `lesson.steps.length` when the lesson is finished. */
  @property({ type: Number }) step = 0;

  @state() private _hint = false;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new LanguageController(this);
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const sheet = (LessonPanel.styles as CSSResult).styleSheet;
    if (sheet && !document.adoptedStyleSheets.includes(sheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
    this.setAttribute('role', 'region');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('step') || changed.has('lesson')) {
      this._hint = false;
      clearTimeout(this._timer);
      if (this.lesson?.steps[this.step]?.hint) {
        this._timer = setTimeout(() => (this._hint = true), HINT_MS);
      }
    }
  }

  private _emit(name: 'lesson-next' | 'lesson-close'): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  protected override render(): unknown {
    const lesson = this.lesson;
    if (!lesson) return '';
    const lang = language();
    const title = lesson.title[lang];
    this.setAttribute('aria-label', `${t('lessonLabel')}: ${title}`);
    const close = html`<button
      class="close"
      data-action="close-lesson"
      aria-label=${t('close')}
      title=${t('close')}
      @click=${() => this._emit('lesson-close')}
    >
      ×
    </button>`;
    const step = lesson.steps[this.step];
    if (!step) {
      return html`<header>
          <h2>${t('stepDone')}</h2>
          ${close}
        </header>
        <p data-step="done">${t('lessonDone', { title })}</p>`;
    }
    const last = this.step === lesson.steps.length - 1;
    return html`<header>
        <h2>${title}</h2>
        ${close}
      </header>
      <p class="count">${t('stepOf', { step: this.step + 1, steps: lesson.steps.length })}</p>
      <p data-step=${this.step} aria-live="polite">${step.text[lang]}</p>
      ${
        step.block
          ? html`<p class="drag">${t('dragThis')}</p>
              <block-picture type=${step.block}></block-picture>`
          : ''
      }
      ${
        this._hint && step.hint
          ? html`<p class="hint" role="status">
              <strong>${t('hintHeading')}:</strong> ${step.hint[lang]}
            </p>`
          : ''
      }
      ${
        step.done
          ? ''
          : html`<p>
              <button data-action="lesson-next" @click=${() => this._emit('lesson-next')}>
                ${last ? t('finish') : t('next')}
              </button>
            </p>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lesson-panel': LessonPanel;
  }
}
