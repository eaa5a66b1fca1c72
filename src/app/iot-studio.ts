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
import { exampleText } from '../examples/index.ts';
import {
  ProjectFileError,
  defaultSettings,
  loadProject,
  parseProject,
} from '../project/project-file.ts';
import './block-editor.ts';
import type { BlockEditor } from './block-editor.ts';
import './code-panel.ts';
import { t } from './strings.ts';

/** The address parameter that opens an example project. */
const EXAMPLE_PARAM = 'example';

/** How long a download's object URL stays valid: long enough for the browser to read it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

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
    .actions button {
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
    .actions button.secondary {
      background: #e6ecf3;
      color: #1a3a6b;
    }
    .actions button:hover {
      filter: brightness(1.08);
    }
    .actions button:focus-visible,
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
    main {
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(0, 1fr) max(320px, 40%);
    }
    ::slotted(block-editor) {
      min-height: 0;
    }
    code-panel {
      border-left: 1px solid #d9e0e8;
    }
  `;

  @state() private _projectName = defaultSettings().name;
  @state() private _notice: string | null = null;
  @state() private _micropython?: GeneratedProgram;
  @state() private _typescript?: GeneratedProgram;
  @state() private _selectedBlockId: string | null = null;

  private _generations = 0;

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
        <span class="project" title=${t('projectNameLabel')}>${this._projectName}</span>
        <div class="actions">
          <button
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
        <code-panel
          .micropython=${this._micropython}
          .typescript=${this._typescript}
          .selectedBlockId=${this._selectedBlockId}
        ></code-panel>
      </main>
    `;
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
  }

  /**
   * Opens example `name` in place of the current blocks. An unknown or broken example leaves the
   * blocks as they were and says why in the notice area.
   */
  openExample(name: string): void {
    const workspace = this.editor?.workspace;
    if (!workspace) return;
    const text = exampleText(name);
    if (text === null) {
      this._notice = t('unknownExample', { name });
      return;
    }
    try {
      const project = parseProject(text);
      loadProject(workspace, project);
      this._projectName = project.settings.name;
      this._notice = null;
    } catch (error) {
      if (!(error instanceof ProjectFileError)) throw error;
      this._notice = t('exampleFailed', { name, reason: error.message });
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
