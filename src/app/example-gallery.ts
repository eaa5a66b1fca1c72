/**
 * `<example-gallery>`: the example projects as a grid of cards, each with its picture, title,
 * description and an Open button. Opening one is the studio's business: the gallery only says
 * which with an `open-example` event. A click anywhere on a card opens it (a big target for a
 * child's mouse or finger); for the keyboard each card has one stop, its Open button.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { filledButton, themeTokens } from '../theme/theme.ts';
import { LanguageController } from '../i18n/language.ts';
import { exampleList, type Example } from '../examples/index.ts';
import { t } from '../examples/strings.ts';

/** The `detail` of `open-example`. */
export interface OpenExampleDetail {
  /** The example's name, as in `?example=<name>`. */
  name: string;
}

/** A picture as an image address: an `<img>` shows it without running anything in it. */
function pictureUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

@customElement('example-gallery')
export class ExampleGallery extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: block;
      color: var(--iot-ink);
      font-size: 15px;
    }
    ul {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
      gap: 16px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      flex-direction: column;
      min-width: 0;
      border: 1px solid var(--iot-line);
      border-radius: 14px;
      background: var(--iot-surface);
      overflow: hidden;
      cursor: pointer;
      transition:
        box-shadow 0.15s,
        border-color 0.15s;
    }
    li:hover,
    li:focus-within {
      border-color: var(--iot-focus);
      box-shadow: 0 4px 14px rgb(26 86 196 / 16%);
    }
    img {
      display: block;
      width: 100%;
      height: auto;
      aspect-ratio: 240 / 100;
      background: var(--iot-canvas);
    }
    .text {
      display: flex;
      flex-direction: column;
      flex: 1;
      gap: 6px;
      padding: 12px 14px 14px;
    }
    h3 {
      margin: 0;
      font-size: 16px;
      line-height: 1.3;
    }
    p {
      flex: 1;
      margin: 0;
      color: var(--iot-ink-muted);
      font-size: 14px;
      line-height: 1.45;
    }
    button {
      align-self: flex-start;
      margin-top: 6px;
      ${filledButton}
      padding: 7px 18px;
    }
    button:hover {
      filter: brightness(1.08);
    }
    button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
  `;

  /** The examples to show, in order (all of them unless set). */
  @property({ attribute: false }) examples: readonly Example[] = exampleList;

  constructor() {
    super();
    // Titles and descriptions follow a language switch.
    new LanguageController(this);
  }

  override render() {
    return html`<ul aria-label=${t('galleryLabel')}>
      ${this.examples.map((example) => this._renderCard(example))}
    </ul>`;
  }

  private _renderCard(example: Example) {
    const title = t(example.title);
    return html`<li @click=${() => this._onOpen(example.name)}>
      <img src=${pictureUrl(example.picture)} alt="" width="240" height="100" />
      <div class="text">
        <h3>${title}</h3>
        <p>${t(example.description)}</p>
        <button
          type="button"
          data-example=${example.name}
          aria-label=${t('openExampleLabel', { title })}
        >
          ${t('openExample')}
        </button>
      </div>
    </li>`;
  }

  /** Tells the page which example to open; a click on the button bubbles to its card: once. */
  private _onOpen(name: string): void {
    this.dispatchEvent(
      new CustomEvent<OpenExampleDetail>('open-example', {
        detail: { name },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'example-gallery': ExampleGallery;
  }
  interface GlobalEventHandlersEventMap {
    /** A child chose an example in an `<example-gallery>` (bubbles out of its shadow root). */
    'open-example': CustomEvent<OpenExampleDetail>;
  }
}
