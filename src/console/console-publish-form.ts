/**
 * `<console-publish-form>`: "publish to topic", for makers and teachers, folded away until asked
 * for. It refuses a topic with `+` or `#` itself; a good one goes up as `publish-message`.
 * It renders into `<message-console>`'s shadow root (its styles: `publishFormStyles`).
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LanguageController } from '../i18n/language.ts';
import { t } from './strings.ts';

/** The detail of a `publish-message` event. */
export interface PublishMessageDetail {
  topic: string;
  text: string;
}

/** The styles of `<console-publish-form>`, for the shadow root it renders into. */
export const publishFormStyles = css`
  console-publish-form {
    display: contents;
  }
  /* Publishing to any topic is for makers and teachers: folded away until asked for. */
  .publish {
    border-bottom: 1px solid var(--iot-fill);
  }
  summary {
    padding: 4px 10px;
    cursor: pointer;
  }
  .publish > form {
    padding-top: 0;
    border-bottom: none;
  }
  .topic-input {
    flex: 1 1 7em;
  }
  .form-error {
    flex: 1 0 100%;
    margin: 0;
    color: var(--iot-error);
    font-size: 13px;
  }
  summary:focus-visible {
    outline: var(--iot-focus-ring);
    outline-offset: -3px;
  }
`;

@customElement('console-publish-form')
export class ConsolePublishForm extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  /** Whether the console's link is open. */
  @property({ type: Boolean }) open = false;

  @state() private _topic = '';
  @state() private _text = '';
  /** Whether the topic given had a wildcard (said in the current language). */
  @state() private _wildcard = false;

  /** No shadow root: it takes the console's styles (see `publishFormStyles`). */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected override render() {
    return html`<details class="publish">
      <summary>${t('publishHeading')}</summary>
      <form data-form="publish" @submit=${this._onSubmit}>
        <input
          class="topic-input"
          name="topic"
          aria-label=${t('publishTopic')}
          placeholder=${t('publishTopicPlaceholder')}
          autocomplete="off"
          .value=${this._topic}
          @input=${this._onTopicInput}
        />
        <input
          class="text"
          name="text"
          aria-label=${t('publishText')}
          placeholder=${t('publishPlaceholder')}
          autocomplete="off"
          .value=${this._text}
          @input=${this._onTextInput}
        />
        <button data-action="publish" ?disabled=${!this.open || this._topic.trim() === ''}>
          ${t('publish')}
        </button>
        ${this._wildcard ? html`<p class="form-error" role="alert">${t('topicWildcard')}</p>` : ''}
      </form>
    </details>`;
  }

  private _onTopicInput(event: Event): void {
    this._topic = (event.target as HTMLInputElement).value;
    this._wildcard = false;
  }

  private _onTextInput(event: Event): void {
    this._text = (event.target as HTMLInputElement).value;
  }

  private _onSubmit(event: Event): void {
    event.preventDefault();
    // A space typed by accident at either end would send to a topic nobody listens to.
    const topic = this._topic.trim();
    if (topic === '') return;
    if (/[+#]/.test(topic)) {
      this._wildcard = true;
      return;
    }
    this.dispatchEvent(
      new CustomEvent<PublishMessageDetail>('publish-message', {
        detail: { topic, text: this._text },
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'console-publish-form': ConsolePublishForm;
  }
  interface HTMLElementEventMap {
    'publish-message': CustomEvent<PublishMessageDetail>;
  }
}
