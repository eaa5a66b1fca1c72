/**
 * `<side-panel>`: the studio's right side. The virtual board with its two settings under it
 * (announcements, kept in this browser, and the project's browser broker), and the tabs: the
 * code, Messages and the real board over USB (its code, Web Serial, loads only when the tab is
 * first opened). It shows what it is given (`board` straight from the run session) and passes
 * the child's doings up: `side-tab`, and its parts' own `board-input`, `broker-change`,
 * `apply-micropython`, `show-block` and `download-micropython`.
 *
 * It draws into the studio's shadow root (see `adopt-styles.ts`): `virtual-board`,
 * `code-panel`, `[data-tab]` and the Tab order stay where pages, tests and scripts find them.
 */
import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { announcementsWanted, rememberAnnouncements } from '../board/announcer.ts';
import { idleBoard, type BoardState } from '../board/board-state.ts';
import '../board/virtual-board.ts';
import '../console/message-console.ts';
import { consoleUrl } from '../project/browser-broker.ts';
import type { BrowserBroker } from '../project/project-file.ts';
import { themeTokens } from '../theme/theme.ts';
import { StudioPiece } from './adopt-styles.ts';
import './broker-setting.ts';
import './code-panel.ts';
import { t, type StringKey } from './strings.ts';

/** The side panel's tabs: the code, the messages, and the real board over USB. */
export type SideTab = 'code' | 'messages' | 'board';
const SIDE_TABS: readonly SideTab[] = ['code', 'messages', 'board'];
const SIDE_TAB_LABELS: Record<SideTab, StringKey> = {
  code: 'tabCode',
  messages: 'tabMessages',
  board: 'tabBoard',
};

/** `side-tab`: the child chose tab `tab`. */
export interface SideTabDetail {
  tab: SideTab;
}

@customElement('side-panel')
export class SidePanel extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    side-panel {
      display: contents;
    }
    aside {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
      border-left: 1px solid var(--iot-line);
      background: var(--iot-surface);
    }
    virtual-board {
      flex: none;
      width: min(calc(100% - 24px), 250px);
      margin: 8px auto 4px;
    }
    /* Messages needs height for its log (ten lines at 1280×720): the board gets smaller. */
    aside[data-side-tab='messages'] virtual-board {
      width: min(calc(100% - 24px), 170px);
      margin-top: 4px;
    }
    /* The announcements setting: one checkbox under the board it speaks for. */
    .announce {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
      padding: 0 12px 8px;
      font-size: 13px;
      color: var(--iot-ink-muted);
      flex: none;
      cursor: pointer;
    }
    .announce input {
      width: 16px;
      height: 16px;
      margin: 0;
      accent-color: var(--iot-primary);
    }
    .tabs {
      display: flex;
      gap: 4px;
      padding: 0 12px;
      border-bottom: 1px solid var(--iot-line);
      flex: none;
    }
    .tabs button {
      font: inherit;
      font-weight: 600;
      padding: 6px 14px;
      border: none;
      border-bottom: 3px solid transparent;
      background: none;
      color: var(--iot-ink-muted);
      cursor: pointer;
    }
    .tabs button[aria-selected='true'] {
      color: var(--iot-primary);
      border-bottom-color: var(--iot-primary);
    }
    .tabs button:focus-visible,
    .announce input:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    aside > code-panel,
    aside > message-console,
    aside > serial-panel {
      flex: 1;
      min-height: 0;
    }
    aside > [hidden] {
      display: none;
    }
  `;

  /** The tab shown. */
  @property() tab: SideTab = 'code';
  private _board: BoardState = idleBoard();

  /**
   * What the virtual board shows. Handed straight to the board, not through a render of the
   * panel: a program can change its LEDs hundreds of times a second.
   */
  @property({ attribute: false, noAccessor: true })
  get board(): BoardState {
    return this._board;
  }

  set board(board: BoardState) {
    this._board = board;
    const element = this.querySelector('virtual-board');
    if (element) element.state = board;
    else this.requestUpdate('board');
  }
  /** The project's browser broker. */
  @property({ attribute: false }) broker: BrowserBroker = { kind: 'embedded' };
  /** Whether this tab only shows the project (its settings closed). */
  @property({ type: Boolean }) readOnly = false;
  /** The program in both languages, and the block whose lines to highlight. */
  @property({ attribute: false }) micropython?: GeneratedProgram;
  @property({ attribute: false }) typescript?: GeneratedProgram;
  @property({ attribute: false }) selectedBlockId: string | null = null;
  /** The client ID of the program's connect block: the device Messages talks to. */
  @property() deviceId = '';
  /** The client ID the running program connected as ('' when none runs). */
  @property() programId = '';

  /** Whether the board and Messages tell screen readers what changes (kept in this browser). */
  @state() private _announce = announcementsWanted();
  /** Whether the Board tab was opened: its code (Web Serial) loads only then. */
  @state() private _boardPanelWanted = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tab') && this.tab === 'board' && !this._boardPanelWanted) {
      // Web Serial and the uploader load only for those who use them.
      this._boardPanelWanted = true;
      void import('./serial-panel.ts');
    }
  }

  protected override render() {
    return html`<aside aria-label=${t('sidePanelLabel')} data-side-tab=${this.tab}>
      <virtual-board .state=${this.board} .announce=${this._announce}></virtual-board>
      <label class="announce" title=${t('announceHint')}>
        <input
          type="checkbox"
          data-setting="announce"
          .checked=${live(this._announce)}
          @change=${this._onAnnounceChange}
        />
        <span>${t('announceLabel')}</span>
      </label>
      <broker-setting .setting=${this.broker} ?disabled=${this.readOnly}></broker-setting>
      <div class="tabs" role="tablist">
        ${SIDE_TABS.map(
          (tab) =>
            html`<button
              role="tab"
              data-tab=${tab}
              aria-selected=${String(this.tab === tab)}
              @click=${() => this._onTab(tab)}
            >
              ${t(SIDE_TAB_LABELS[tab])}
            </button>`,
        )}
      </div>
      <code-panel
        ?hidden=${this.tab !== 'code'}
        .micropython=${this.micropython}
        .typescript=${this.typescript}
        .selectedBlockId=${this.selectedBlockId}
      ></code-panel>
      <message-console
        ?hidden=${this.tab !== 'messages'}
        .url=${consoleUrl(location.href)}
        .deviceId=${this.deviceId}
        .programId=${this.programId}
        .announce=${this._announce}
      ></message-console>
      ${
        this._boardPanelWanted
          ? html`<serial-panel
              ?hidden=${this.tab !== 'board'}
              .program=${this.micropython}
            ></serial-panel>`
          : ''
      }
    </aside>`;
  }

  private _onTab(tab: SideTab): void {
    this.dispatchEvent(
      new CustomEvent<SideTabDetail>('side-tab', {
        detail: { tab },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private _onAnnounceChange(event: Event): void {
    this._announce = (event.target as HTMLInputElement).checked;
    rememberAnnouncements(this._announce);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'side-panel': SidePanel;
  }
  interface HTMLElementEventMap {
    'side-tab': CustomEvent<SideTabDetail>;
  }
}
