/**
 * `<iot-studio>`: the whole studio. A toolbar, the block editor on the left and the code panel on
 * the right. The code follows every change to the program and is generated only then: UI events
 * (selecting, scrolling, zooming, opening the toolbox) never regenerate it.
 */
import * as Blockly from 'blockly';
import { LitElement, css, html, render, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { idleBoard, type BoardInput, type BoardState } from '../board/board-state.ts';
import '../board/virtual-board.ts';
import '../console/message-console.ts';
import type { MessageConsole, ShowBlockDetail } from '../console/message-console.ts';
import { exampleText } from '../examples/index.ts';
import { brokerTarget, consoleUrl, isBrokerUrl } from '../project/browser-broker.ts';
import {
  ProjectFileError,
  defaultSettings,
  loadProject,
  parseProject,
  type BrowserBroker,
  type ProjectSettings,
} from '../project/project-file.ts';
import { ProgramRunner } from '../run/program-runner.ts';
import type { FromWorker } from '../run/protocol.ts';
import './block-editor.ts';
import type { BlockEditor } from './block-editor.ts';
import './code-panel.ts';
import { t, type StringKey } from './strings.ts';

/** The address parameter that opens an example project. */
const EXAMPLE_PARAM = 'example';

/** How long a download's object URL stays valid: long enough for the browser to read it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** The browser-broker choices in the toolbar, by option value. */
const BROKER_CHOICES: [value: string, label: StringKey, setting: BrowserBroker | null][] = [
  ['embedded', 'brokerEmbedded', { kind: 'embedded' }],
  ['emqx', 'brokerEmqx', { kind: 'preset', preset: 'emqx' }],
  ['hivemq', 'brokerHivemq', { kind: 'preset', preset: 'hivemq' }],
  ['mosquitto', 'brokerMosquitto', { kind: 'preset', preset: 'mosquitto' }],
  ['custom', 'brokerCustom', null],
];

function brokerChoice(setting: BrowserBroker): string {
  return setting.kind === 'preset' ? setting.preset : setting.kind;
}

const runIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="currentColor"><path d="M7 4.5v15l12.5-7.5z"/></svg>`;

const stopIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="currentColor"><rect x="5.5" y="5.5" width="13" height="13" rx="2"/></svg>`;

const downloadIcon = svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round"
  stroke-linejoin="round"><path d="M12 4v11"/><path d="m7 10 5 5 5-5"/><path d="M5 20h14"/></svg>`;

const logo = svg`<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
  <rect x="2" y="4" width="17" height="11" rx="3" fill="#2f80ed"/>
  <rect x="13" y="17" width="17" height="11" rx="3" fill="#d9480f"/>
  <circle cx="8" cy="23" r="4" fill="#0f8a6a"/><circle cx="25" cy="9" r="4" fill="#7b4bc4"/></svg>`;

/** Same code and same line owners: nothing the panel shows would change. */
function sameProgram(a: GeneratedProgram | undefined, b: GeneratedProgram): boolean {
  return (
    a !== undefined &&
    a.code === b.code &&
    a.lineBlocks.length === b.lineBlocks.length &&
    a.lineBlocks.every((id, i) => id === b.lineBlocks[i])
  );
}

@customElement('iot-studio')
export class IotStudio extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100%;
      min-height: 0;
      overflow: hidden;
      background: #f3f6fa;
      color: #1f2933;
      font-size: 15px;
    }
    header {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 8px 16px;
      background: #ffffff;
      border-bottom: 1px solid #d9e0e8;
      flex: none;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0;
      font-size: 18px;
      font-weight: 700;
      white-space: nowrap;
    }
    .project {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      padding: 4px 12px;
      border-radius: 999px;
      background: #eef2f7;
      color: #3e4c59;
      font-weight: 500;
    }
    .actions {
      display: flex;
      gap: 8px;
      margin-left: auto;
      flex: none;
    }
    header button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: inherit;
      font-weight: 600;
      padding: 8px 14px;
      border: none;
      border-radius: 10px;
      background: #1a56c4;
      color: #ffffff;
      cursor: pointer;
      white-space: nowrap;
    }
    header button.secondary {
      background: #e6ecf3;
      color: #1a3a6b;
    }
    header button:hover {
      filter: brightness(1.08);
    }
    header button:focus-visible,
    .notice button:focus-visible {
      outline: 3px solid #8ab4f8;
      outline-offset: 2px;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0;
      padding: 8px 16px;
      background: #fff4ce;
      border-bottom: 1px solid #f0d78c;
      color: #5c4400;
      flex: none;
    }
    .notice button {
      margin-left: auto;
      font: inherit;
      font-size: 18px;
      line-height: 1;
      padding: 4px 10px;
      border: none;
      border-radius: 8px;
      background: transparent;
      color: inherit;
      cursor: pointer;
    }
    .run {
      display: flex;
      gap: 8px;
      flex: none;
    }
    header button[data-action='run'] {
      background: #1e8e3e;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
      filter: none;
    }
    .broker {
      display: flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
      font-size: 13px;
      color: #52606d;
    }
    .broker span {
      white-space: nowrap;
    }
    .broker select,
    .broker input {
      font: inherit;
      min-width: 9em;
      max-width: 200px;
      padding: 5px 6px;
      border: 1px solid #c3ccd6;
      border-radius: 8px;
      background: #ffffff;
      color: #1f2933;
    }
    .broker input[aria-invalid='true'] {
      border-color: #c81e1e;
      outline-color: #c81e1e;
    }
    main {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(0, 1fr) max(340px, 40%);
    }
    aside {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
      border-left: 1px solid #d9e0e8;
      background: #ffffff;
    }
    virtual-board {
      flex: none;
      width: min(calc(100% - 24px), 250px);
      margin: 8px auto 4px;
    }
    .tabs {
      display: flex;
      gap: 4px;
      padding: 0 12px;
      border-bottom: 1px solid #d9e0e8;
      flex: none;
    }
    .tabs button {
      font: inherit;
      font-weight: 600;
      padding: 6px 14px;
      border: none;
      border-bottom: 3px solid transparent;
      background: none;
      color: #52606d;
      cursor: pointer;
    }
    .tabs button[aria-selected='true'] {
      color: #1a56c4;
      border-bottom-color: #1a56c4;
    }
    aside > code-panel,
    aside > message-console {
      flex: 1;
      min-height: 0;
    }
    aside > [hidden] {
      display: none;
    }
    ::slotted(block-editor) {
      min-height: 0;
    }
  `;

  @state() private _settings: ProjectSettings = defaultSettings();
  @state() private _board: BoardState = idleBoard();
  @state() private _running = false;
  @state() private _sideTab: 'code' | 'messages' = 'code';
  @state() private _customBrokerError = false;
  @state() private _notice: string | null = null;
  @state() private _micropython?: GeneratedProgram;
  @state() private _typescript?: GeneratedProgram;
  @state() private _selectedBlockId: string | null = null;

  private _generations = 0;
  private readonly _runner = new ProgramRunner();
  /** The TypeScript of the program running now: its line map points errors at blocks. */
  private _runningProgram?: GeneratedProgram;

  /** The block editor; it lives in our light DOM (Blockly cannot render in a shadow root). */
  get editor(): BlockEditor | null {
    return this.querySelector(':scope > block-editor');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.generations = String(this._generations);
  }

  protected override render() {
    return html`
      <header>
        <h1 class="brand">${logo}${t('appName')}</h1>
        <span class="project" title=${t('projectNameLabel')}>${this._settings.name}</span>
        <div class="run">
          <button data-action="run" title=${t('runHint')} @click=${this._onRun}>
            ${runIcon}${t('run')}
          </button>
          <button
            class="secondary"
            data-action="stop"
            title=${t('stopHint')}
            ?disabled=${!this._running}
            @click=${this._onStop}
          >
            ${stopIcon}${t('stop')}
          </button>
        </div>
        ${this._renderBrokerSetting()}
        <div class="actions">
          <button
            class="secondary"
            data-action="download-micropython"
            title=${t('downloadMicroPythonHint')}
            @click=${this._onDownloadMicroPython}
          >
            ${downloadIcon}${t('downloadMicroPython')}
          </button>
          <button
            class="secondary"
            data-action="download-typescript"
            title=${t('downloadTypeScriptHint')}
            @click=${this._onDownloadTypeScript}
          >
            ${downloadIcon}${t('downloadTypeScript')}
          </button>
        </div>
      </header>
      ${
        this._notice
          ? html`<p class="notice" role="status">
              <span>${this._notice}</span>
              <button aria-label=${t('dismissNotice')} @click=${this._onDismissNotice}>×</button>
            </p>`
          : ''
      }
      <main>
        <slot name="editor"></slot>
        <aside aria-label=${t('sidePanelLabel')}>
          <virtual-board .state=${this._board} @board-input=${this._onBoardInput}></virtual-board>
          <div class="tabs" role="tablist">
            ${(['code', 'messages'] as const).map(
              (tab) =>
                html`<button
                  role="tab"
                  data-tab=${tab}
                  aria-selected=${String(this._sideTab === tab)}
                  @click=${() => (this._sideTab = tab)}
                >
                  ${t(tab === 'code' ? 'tabCode' : 'tabMessages')}
                </button>`,
            )}
          </div>
          <code-panel
            ?hidden=${this._sideTab !== 'code'}
            .micropython=${this._micropython}
            .typescript=${this._typescript}
            .selectedBlockId=${this._selectedBlockId}
          ></code-panel>
          <message-console
            ?hidden=${this._sideTab !== 'messages'}
            .url=${consoleUrl(location.href)}
            .deviceId=${this._deviceId()}
            @show-block=${this._onShowBlock}
          ></message-console>
        </aside>
      </main>
    `;
  }

  private _renderBrokerSetting() {
    const setting = this._settings.browserBroker;
    return html`<label class="broker">
      <span>${t('brokerLabel')}</span>
      <select data-setting="browser-broker" @change=${this._onBrokerChoice}>
        ${BROKER_CHOICES.map(
          ([value, label]) =>
            html`<option value=${value} ?selected=${brokerChoice(setting) === value}>
              ${t(label)}
            </option>`,
        )}
      </select>
      ${
        setting.kind === 'custom'
          ? html`<input
              data-setting="browser-broker-url"
              type="url"
              placeholder=${t('brokerCustomPlaceholder')}
              .value=${setting.url}
              aria-invalid=${String(this._customBrokerError)}
              title=${this._customBrokerError ? t('brokerCustomInvalid') : ''}
              @change=${this._onCustomBrokerUrl}
            />`
          : ''
      }
    </label>`;
  }

  protected override async firstUpdated(): Promise<void> {
    // Slotted from the light DOM, where Blockly's document-wide CSS reaches it.
    render(
      html`<block-editor
        slot="editor"
        @program-changed=${this._onProgramChanged}
        @block-selected=${this._onBlockSelected}
      ></block-editor>`,
      this,
      { host: this },
    );
    const editor = this.editor!;
    await editor.updateComplete;
    this._regenerate();
    this._openExampleFromAddress();
    // Loading the program Worker while the child is still reading makes the first Run quick.
    requestIdleCallback(() => this._runner.prewarm());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._running = false;
    void this._runner.dispose();
  }

  /**
   * Opens example `name` in place of the current blocks. An unknown or broken example leaves the
   * blocks as they were and says why in the notice area.
   */
  openExample(name: string): void {
    const text = exampleText(name);
    if (text === null) {
      this._notice = t('unknownExample', { name });
      return;
    }
    const problem = this.openProject(text);
    if (problem) this._notice = t('exampleFailed', { name, reason: problem });
  }

  /**
   * Opens a project file's text in place of the current blocks. Returns null when it opened, or
   * the sentence that says why it could not (and then the blocks are left as they were).
   */
  openProject(text: string): string | null {
    const workspace = this.editor?.workspace;
    if (!workspace) return null;
    try {
      const project = parseProject(text);
      loadProject(workspace, project);
      this._settings = project.settings;
      this._notice = null;
      return null;
    } catch (error) {
      if (!(error instanceof ProjectFileError)) throw error;
      return error.message;
    }
  }

  private _openExampleFromAddress(): void {
    const url = new URL(location.href);
    const name = url.searchParams.get(EXAMPLE_PARAM);
    if (name === null) return;
    // A reload must not replace the child's blocks with the example again.
    url.searchParams.delete(EXAMPLE_PARAM);
    history.replaceState(history.state, '', url);
    this.openExample(name);
  }

  /** Generates both languages; the panel gets new values only when what it shows changes. */
  private _regenerate(): void {
    const workspace = this.editor?.workspace;
    if (!workspace) return;
    const micropython = generateMicroPython(workspace);
    const typescript = generateTypeScript(workspace);
    this.dataset.generations = String(++this._generations);
    if (!sameProgram(this._micropython, micropython)) this._micropython = micropython;
    if (!sameProgram(this._typescript, typescript)) this._typescript = typescript;
  }

  private _onProgramChanged(): void {
    this._regenerate();
  }

  private _onBlockSelected(event: CustomEvent<{ blockId: string | null }>): void {
    this._selectedBlockId = this._statementOf(event.detail.blockId);
  }

  /**
   * Only statement blocks own lines; a selected value block (a number, "the message") shows the
   * lines of the statement it sits in.
   */
  private _statementOf(blockId: string | null): string | null {
    let block: Blockly.Block | null = blockId
      ? (this.editor?.workspace?.getBlockById(blockId) ?? null)
      : null;
    while (block?.outputConnection && block.getParent()) block = block.getParent();
    return block?.id ?? blockId;
  }

  /** The client ID of the program's connect block: the device the console talks to. */
  private _deviceId(): string {
    const connect = this.editor?.workspace?.getBlocksByType('mqtt_connect', false)[0];
    return connect ? String(connect.getFieldValue('CLIENT_ID')) : '';
  }

  private get _console(): MessageConsole | null {
    return this.renderRoot.querySelector('message-console');
  }

  /** Runs the program as it is now, in a fresh Worker, on a board that starts dark. */
  private async _onRun(): Promise<void> {
    const workspace = this.editor?.workspace;
    if (!workspace) return;
    const program = generateTypeScript(workspace);
    this._runningProgram = program;
    this._running = true;
    // What the program prints and receives is what a child looks at next.
    this._sideTab = 'messages';
    this._board = idleBoard({ light: this._board.light, sound: this._board.sound });
    this._console?.addProgramLine({ kind: 'info', text: t('programStarted') });
    const target = brokerTarget(this._settings.browserBroker, location.href);
    await this._runner.run(program.code, target, (message) => this._onProgramMessage(message));
  }

  private async _onStop(): Promise<void> {
    if (!this._running) return;
    this._running = false;
    await this._runner.stop();
    this._board = idleBoard({ light: this._board.light, sound: this._board.sound });
    this._console?.addProgramLine({ kind: 'info', text: t('programStopped') });
    this._runner.prewarm();
  }

  private _onProgramMessage(message: FromWorker): void {
    switch (message.type) {
      case 'leds':
        this._board = { ...this._board, leds: message.leds };
        break;
      case 'oled':
        this._board = { ...this._board, oled: message.lines };
        break;
      case 'status':
        if (message.status === 'online' || message.status === 'offline') {
          this._board = { ...this._board, online: message.status === 'online' };
        } else if (message.status === 'ended') {
          this._board = { ...this._board, online: false };
          this._console?.addProgramLine({ kind: 'info', text: t('programEnded') });
        }
        break;
      case 'print':
        this._console?.addProgramLine({ kind: 'print', text: message.text });
        break;
      case 'error': {
        const blockId = this._blockAtLine(message.line);
        this._console?.addProgramLine({ kind: 'error', text: message.message, blockId });
        this._sideTab = 'messages';
        if (blockId) this._showBlock(blockId);
        break;
      }
    }
  }

  /** The block that produced line `line` (1-based) of the running program, if any. */
  private _blockAtLine(line: number | undefined): string | undefined {
    if (!line || !this._runningProgram) return undefined;
    const id = this._runningProgram.lineBlocks[line - 1];
    return id && this.editor?.workspace?.getBlockById(id) ? id : undefined;
  }

  /** Selects block `id` and scrolls the workspace to it. */
  private _showBlock(id: string): void {
    const workspace = this.editor?.workspace;
    const block = workspace?.getBlockById(id);
    if (!workspace || !block) return;
    workspace.centerOnBlock(id);
    block.select();
  }

  private _onShowBlock(event: CustomEvent<ShowBlockDetail>): void {
    this._showBlock(event.detail.blockId);
  }

  private _onBoardInput(event: CustomEvent<BoardInput>): void {
    const input = event.detail;
    if (input.kind === 'light' || input.kind === 'sound') {
      this._board = { ...this._board, [input.kind]: input.level };
    }
    this._runner.input(input);
  }

  private _onBrokerChoice(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const choice = BROKER_CHOICES.find(([v]) => v === value);
    const setting: BrowserBroker = choice?.[2] ?? { kind: 'custom', url: '' };
    this._customBrokerError = false;
    this._settings = { ...this._settings, browserBroker: setting };
  }

  private _onCustomBrokerUrl(event: Event): void {
    const url = (event.target as HTMLInputElement).value.trim();
    this._customBrokerError = !isBrokerUrl(url);
    if (!this._customBrokerError) {
      this._settings = { ...this._settings, browserBroker: { kind: 'custom', url } };
    }
  }

  private _onDownloadMicroPython(): void {
    this._download('main.py', this._micropython?.code ?? '', 'text/x-python');
  }

  private _onDownloadTypeScript(): void {
    this._download('main.ts', this._typescript?.code ?? '', 'text/plain');
  }

  private _onDismissNotice(): void {
    this._notice = null;
  }

  /** Saves `text` as a file through a temporary link, the way every browser accepts. */
  private _download(filename: string, text: string, type: string): void {
    const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    // Revoking at once can cancel a download the browser has not started reading yet.
    setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'iot-studio': IotStudio;
  }
}
