/**
 * `<help-page>`: the block help the studio serves itself (classrooms may be offline), one section
 * per block of ours whose id is the block type, the anchor of the block's `helpUrl`. Each section
 * shows the block drawn by Blockly, what it does, a tip and, where they differ, what the board and
 * the browser do. Renders into the light DOM so the `<block-picture>`s inside get Blockly's CSS.
 */
import * as Blockly from 'blockly';
import { LitElement, css, html, type CSSResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { ourBlockTypes, theme, toolbox } from '../../blocks/index.ts';
import './block-picture.ts';
import { LANGUAGES, type Language } from '../i18n/language.ts';
import { blockHelp, pageStrings } from './strings.ts';

/**
 * The element id a page address's hash names (`#mqtt_connect` → `mqtt_connect`), or null when
 * there is none or it is not a well-formed percent-encoding (`#%`): such a hash points nowhere.
 */
function hashTarget(hash: string): string | null {
  if (hash.length < 2) return null;
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return null;
  }
}

/**
 * The studio that opened this page (Help in a block's menu opens it with `window.open`), or null
 * when the page was opened some other way or that studio is gone.
 */
function openingStudio(): Window | null {
  const studio = window.opener as Window | null;
  try {
    return studio && !studio.closed && studio.location.origin === location.origin ? studio : null;
  } catch {
    // Another origin's window: not our studio.
    return null;
  }
}

/** A heading and the block types under it, in toolbox order. */
interface HelpGroup {
  name: string;
  /** The category's colour, as in the studio's toolbox. */
  colour: string;
  types: string[];
}

/** Our blocks grouped by toolbox category; blocks no category lists come last. */
function helpGroups(otherName: string): HelpGroup[] {
  const ours = new Set(ourBlockTypes);
  const listed = new Set<string>();
  const styles = theme.categoryStyles as Record<string, { colour: string }>;
  const groups: HelpGroup[] = [];
  for (const item of toolbox.contents) {
    if (item.kind !== 'category' || !('contents' in item)) continue;
    const types = (item.contents as { kind: string; type?: string }[])
      .flatMap((entry) => (entry.kind === 'block' && entry.type ? [entry.type] : []))
      .filter((type) => ours.has(type) && !listed.has(type));
    if (types.length === 0) continue;
    types.forEach((type) => listed.add(type));
    groups.push({
      // Category names are message references (`%{BKY_CATEGORY_WIFI}`), as in the toolbox.
      name: Blockly.utils.parsing.replaceMessageReferences(item.name),
      colour: styles[(item as { categorystyle?: string }).categorystyle ?? '']?.colour ?? '#5b6b7b',
      types,
    });
  }
  const rest = ourBlockTypes.filter((type) => !listed.has(type));
  if (rest.length > 0) groups.push({ name: otherName, colour: '#5b6b7b', types: rest });
  return groups;
}

/** The block help page: a section per block of ours, in the language it is given. */
@customElement('help-page')
export class HelpPage extends LitElement {
  // Light DOM: lit does not adopt these for us, `connectedCallback` adds them to the document.
  static override styles = css`
    ${themeTokens}
    help-page {
      display: block;
      max-width: 920px;
      margin: 0 auto;
      padding: 0 20px 48px;
      color: var(--iot-ink);
      line-height: 1.55;
    }
    help-page .top {
      position: sticky;
      top: 0;
      z-index: 1;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
      padding: 10px 0;
      background: var(--iot-canvas);
      border-bottom: 1px solid var(--iot-line);
    }
    help-page h1 {
      flex: 1;
      margin: 0;
      font-size: 20px;
    }
    help-page .top a {
      color: #1f5fbf;
      font-weight: 600;
      text-decoration: none;
      padding: 6px 10px;
      border-radius: var(--iot-radius-small);
    }
    help-page .top a:hover,
    help-page .top a:focus-visible {
      background: #e3ecf9;
    }
    help-page .top a[aria-current='true'] {
      color: var(--iot-ink);
      background: var(--iot-surface);
      border: 1px solid var(--iot-line);
    }
    help-page .intro {
      font-size: 16px;
    }
    help-page .contents {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 12px;
      padding: 0;
      margin: 16px 0 24px;
      list-style: none;
    }
    help-page .contents h2 {
      margin: 0 0 4px;
      font-size: 15px;
      color: var(--colour);
    }
    help-page .contents ul {
      margin: 0;
      padding-left: 18px;
    }
    help-page .contents a {
      color: #1f5fbf;
    }
    help-page .group > h2 {
      margin: 32px 0 8px;
      padding-left: 10px;
      border-left: 6px solid var(--colour);
      font-size: 19px;
    }
    help-page section {
      margin: 12px 0;
      padding: 14px 18px;
      background: var(--iot-surface);
      border: 1px solid var(--iot-line);
      border-left: 6px solid var(--colour);
      border-radius: var(--iot-radius);
      /* Below the sticky header when an anchor scrolls the section into view. */
      scroll-margin-top: 72px;
    }
    help-page section:target {
      box-shadow: 0 0 0 3px #f5b700;
    }
    help-page section h3 {
      margin: 0 0 8px;
      font-size: 17px;
    }
    help-page section h4 {
      margin: 10px 0 2px;
      font-size: 14px;
      color: var(--iot-ink-muted);
    }
    help-page section p {
      margin: 0;
    }
    help-page .worlds {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
      gap: 10px;
      margin-top: 10px;
    }
    help-page .worlds > div {
      padding: 8px 12px;
      border-radius: var(--iot-radius-small);
      background: var(--iot-canvas);
    }
    help-page .worlds h4 {
      margin-top: 0;
    }
    help-page code {
      font-size: 0.95em;
    }
  `;

  /** The language the page speaks. */
  @property() language: Language = 'en';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const sheet = (HelpPage.styles as CSSResult).styleSheet;
    if (sheet && !document.adoptedStyleSheets.includes(sheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
  }

  protected override render() {
    const words = pageStrings[this.language];
    const groups = helpGroups(words.otherBlocks);
    return html`
      <header class="top">
        <h1>${words.title}</h1>
        <nav aria-label=${words.languageSwitch}>
          ${LANGUAGES.map(
            (language) =>
              html`<a
                href="?lang=${language}${location.hash}"
                hreflang=${language}
                aria-current=${String(language === this.language)}
                >${words.languageNames[language]}</a
              >`,
          )}
        </nav>
        <a class="back" href="../../" @click=${this._onBack}>← ${words.backToStudio}</a>
      </header>
      <p class="intro">${words.intro}</p>
      <nav aria-label=${words.contents}>
        <ul class="contents">
          ${groups.map(
            (group) =>
              html`<li style="--colour: ${group.colour}">
                <h2>${group.name}</h2>
                <ul>
                  ${group.types.map(
                    (type) => html`<li><a href="#${type}">${this._help(type).title}</a></li>`,
                  )}
                </ul>
              </li>`,
          )}
        </ul>
      </nav>
      ${groups.map(
        (group) =>
          html`<div class="group" style="--colour: ${group.colour}">
            <h2>${group.name}</h2>
            ${group.types.map((type) => this._renderBlock(type))}
          </div>`,
      )}
    `;
  }

  private _renderBlock(type: string) {
    const words = pageStrings[this.language];
    const help = this._help(type);
    return html`<section id=${type} data-block-type=${type} aria-labelledby="${type}-title">
      <h3 id="${type}-title">${help.title}</h3>
      <block-picture type=${type}></block-picture>
      <h4>${words.whatItDoes}</h4>
      <p>${help.what}</p>
      ${
        help.tip
          ? html`<h4>${words.tip}</h4>
              <p>${help.tip}</p>`
          : ''
      }
      ${
        help.board || help.browser
          ? html`<div class="worlds">
              <div data-world="board">
                <h4>${words.onTheBoard}</h4>
                <p>${help.board}</p>
              </div>
              <div data-world="browser">
                <h4>${words.inTheBrowser}</h4>
                <p>${help.browser}</p>
              </div>
            </div>`
          : ''
      }
    </section>`;
  }

  /**
   * Back to the studio: the studio that opened this help is still open in its tab, so this tab
   * closes and the browser shows that one again (with its work as it was). Following the link
   * would load a second studio on the same project. Opened some other way (a bookmark), the
   * link leads to the studio in this tab.
   */
  private _onBack(event: MouseEvent): void {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const studio = openingStudio();
    if (!studio) return;
    event.preventDefault();
    studio.focus();
    window.close();
  }

  /** The help for `type`; a block added without help still gets its tooltip as a section. */
  private _help(type: string) {
    return (
      blockHelp[this.language][type] ??
      blockHelp.en[type] ?? {
        title: type,
        what: Blockly.utils.parsing.replaceMessageReferences(
          `%{BKY_${type.toUpperCase()}_TOOLTIP}`,
        ),
        tip: '',
      }
    );
  }

  protected override async firstUpdated(): Promise<void> {
    // The pictures change the sections' heights after the browser already jumped to the anchor:
    // jump again once they are drawn, so Help on a block lands on its section.
    await Promise.all([...this.querySelectorAll('block-picture')].map((p) => p.updateComplete));
    const id = hashTarget(location.hash);
    const target = id === null ? null : document.getElementById(id);
    target?.scrollIntoView();
    this.dataset.ready = 'true';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'help-page': HelpPage;
  }
}
