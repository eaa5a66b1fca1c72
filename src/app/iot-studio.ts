/**
 * `<iot-studio>`: the whole studio, put together. It holds no logic of its own beyond wiring: the
 * open project is a `ProjectSession` (opening, saving within a frame, versions, Recent, one
 * editor per project across tabs, renaming, downloads), a program's run a `RunSession` (the
 * Worker, the board state, Messages, errors at their blocks), and the code, the lesson, Undo and
 * the file drop are controllers of their own; the toolbar, the notices, the side panel (board,
 * settings, code, Messages, real board) and the dialogs are elements that get properties and
 * send events. The block editor lives in this element's light DOM (Blockly cannot render in a
 * shadow root); the other parts draw into its shadow root, where pages, tests and the
 * keyboard's Tab order find them.
 */
import { LitElement, css, html, render } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import type { BoardInput } from '../board/board-state.ts';
import type { MessageConsole, ShowBlockDetail } from '../console/message-console.ts';
import { programClientId } from '../editor/client-id.ts';
import { handlerBlockName } from '../editor/handler-name.ts';
import { LanguageController, language } from '../i18n/language.ts';
import { lessonNamed } from '../lessons/index.ts';
import {
  ProjectFileError,
  loadProject,
  loadProjectCopy,
  saveProject,
} from '../project/project-file.ts';
import type { ShowingReason } from '../project/editor-tabs.ts';
import { allowSound } from '../parts/sound.ts';
import { ProgramRunner } from '../run/program-runner.ts';
import { themeTokens } from '../theme/theme.ts';
import './block-editor.ts';
import type { BlockEditor } from './block-editor.ts';
import type { BrokerChangeDetail } from './broker-setting.ts';
import type { ApplyMicroPythonDetail, CodePanel } from './code-panel.ts';
import { download } from './download.ts';
import type { OpenExampleDetail } from './example-gallery.ts';
import './examples-dialog.ts';
import { openIcon } from './icons.ts';
import { FileDrop } from './file-drop.ts';
import { GeneratedCode } from './generated-code.ts';
import { LessonSession } from './lesson-session.ts';
import './paste-python-dialog.ts';
import type { OpenPythonDetail, PastePythonDialog } from './paste-python-dialog.ts';
import { ProjectSession, emptyProject, type SaveState } from './project-session.ts';
import type { OpenRecentDetail } from './recent-projects.ts';
import { RunSession } from './run-session.ts';
import './side-panel.ts';
import type { SideTab, SideTabDetail } from './side-panel.ts';
import { t } from './strings.ts';
import './studio-notices.ts';
import './studio-toolbar.ts';
import type {
  ProjectRenameDetail,
  StartLessonDetail,
  ToolbarActionDetail,
} from './studio-toolbar.ts';
import { UndoController } from './undo-controller.ts';

export type { SaveState } from './project-session.ts';

/** The address parameter that opens an example project. */
const EXAMPLE_PARAM = 'example';
/** The address parameter that opens a guided lesson (`?lesson=lamp`). */
const LESSON_PARAM = 'lesson';

@customElement('iot-studio')
export class IotStudio extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: flex;
      flex-direction: column;
      position: relative;
      height: 100%;
      min-height: 0;
      overflow: hidden;
      background: var(--iot-canvas);
      color: var(--iot-ink);
      font-size: 15px;
      --toolbar-button-padding: 8px 12px;
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
      filter: none;
    }
    /* A 1024 px tablet: every toolbar button keeps its word. */
    @media (max-width: 1180px) {
      :host {
        --toolbar-button-padding: 8px 10px;
      }
    }
    main {
      position: relative;
      flex: 1;
      min-height: 0;
      display: grid;
      grid-template-columns: minmax(0, 1fr) max(340px, 40%);
    }
    /* A lesson's card: the top right corner of the workspace, where a new program has no blocks. */
    ::slotted(lesson-panel) {
      position: absolute;
      top: 10px;
      right: calc(max(340px, 40%) + 12px);
      z-index: 5;
      width: min(300px, 45%);
      max-height: calc(100% - 120px);
    }
    ::slotted(block-editor) {
      min-height: 0;
    }
    .drop-hint {
      position: absolute;
      inset: 0;
      z-index: 100;
      display: flex;
      align-items: center;
      justify-content: center;
      background: rgb(26 86 196 / 12%);
      border: 4px dashed var(--iot-primary);
      border-radius: 12px;
    }
    .drop-hint p {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: 0;
      padding: 16px 24px;
      border-radius: 12px;
      background: var(--iot-surface);
      color: var(--iot-on-secondary);
      font-size: 18px;
      font-weight: 600;
      box-shadow: var(--iot-shadow-popover);
      /* The hint shows; the studio under it receives the drop. */
      pointer-events: none;
    }
    .drop-hint svg {
      color: var(--iot-primary);
    }
  `;

  @state() private _sideTab: SideTab = 'code';
  @state() private _selectedBlockId: string | null = null;

  private readonly _code = new GeneratedCode(this, () => this.editor?.program);

  private readonly _project = new ProjectSession(this, {
    save: (settings) => {
      const workspace = this.editor?.program;
      return workspace ? saveProject(workspace, settings) : null;
    },
    show: (project) => {
      const editor = this.editor;
      const workspace = editor?.workspace;
      if (!editor || !workspace) throw new ProjectFileError(t('studioNotReady'));
      // Drawn in view first; code and saving read the copy until every block is drawn.
      editor.openProgram(loadProjectCopy(project), project.workspace);
      // Undoing must not reach back into the project before.
      workspace.clearUndo();
      this._undo.update();
      // A program still running belongs to the project before.
      if (this._run.running) void this._run.stop();
    },
    follow: (project) => {
      const editor = this.editor;
      if (!editor?.workspace) throw new ProjectFileError(t('studioNotReady'));
      editor.loadInPlace((target) => loadProject(target, project));
      this._undo.update();
    },
    replace: (state) => this.editor!.replaceProgram(state),
    arrange: () => this.editor?.workspace?.cleanUp(),
    setReadOnly: (reason) => this._setReadOnly(reason),
    // At once, not at the next render: tests and tools read it right after a save.
    setSaveState: (state) => (this.dataset.saveState = state),
  });

  private readonly _run = new RunSession(
    this,
    {
      boardChanged: (board) => {
        this._lessons.check();
        // Straight to the side panel: re-rendering the studio for every LED would be slow.
        const panel = this.renderRoot?.querySelector('side-panel');
        if (panel) panel.board = board;
        else this.requestUpdate();
      },
      addLine: (line) => this._console?.addProgramLine(line),
      showMessages: () => (this._sideTab = 'messages'),
      programEnded: (reason) =>
        this.renderRoot.querySelector('virtual-board')?.programEnded(reason),
      hasBlock: (id) => Boolean(this.editor?.program?.getBlockById(id)),
      showError: (id, text) => {
        this.editor?.showBlock(id);
        this.editor?.showRunError(id, text);
      },
      clearErrors: () => this.editor?.clearRunErrors(),
      handlerName: handlerBlockName,
      projectName: () => this._project.settings.name,
    },
    new ProgramRunner(),
  );

  private readonly _lessons = new LessonSession(this, {
    program: () => this.editor?.program,
    board: () => this._run.board,
    highlightCategory: (id) => this.editor?.highlightCategory(id),
  });

  private readonly _undo = new UndoController(this, {
    workspace: () => this.editor?.workspace,
    editor: () => this.editor,
    editable: () => this._project.readOnly === null,
  });

  private readonly _drop = new FileDrop(this, (file) => void this._project.openFile(file));

  constructor() {
    super();
    new LanguageController(this);
  }

  /** The block editor; it lives in our light DOM (Blockly cannot render in a shadow root). */
  get editor(): BlockEditor | null {
    return this.querySelector(':scope > block-editor');
  }

  /** The open project's id in this browser's saved projects (empty while starting). */
  get projectId(): string {
    return this._project.projectId;
  }

  /** Where the open project's latest changes are (also the host's `data-save-state`). */
  get saveState(): SaveState {
    return this._project.saveState;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.saveState = this._project.saveState;
  }

  protected override render() {
    const project = this._project;
    const readOnly = project.readOnly !== null;
    return html`
      <studio-toolbar
        name=${project.settings.name}
        projectId=${project.projectId}
        saveState=${project.saveState}
        .saveProblem=${project.saveProblem}
        .readOnly=${project.readOnly}
        ?canUndo=${this._undo.canUndo}
        ?canRedo=${this._undo.canRedo}
        ?running=${this._run.running}
        .recent=${project.recent}
        @toolbar-action=${this._onToolbarAction}
        @start-lesson=${this._onStartLesson}
        @project-rename=${this._onRename}
        @open-recent=${this._onOpenRecent}
      ></studio-toolbar>
      <paste-python-dialog @open-python=${this._onOpenPython}></paste-python-dialog>
      <examples-dialog
        @open-example=${this._onOpenExample}
        @examples-closed=${this._onExamplesClosed}
      ></examples-dialog>
      <studio-notices
        .notice=${project.notice}
        .readOnly=${project.readOnly}
        ?takingOver=${project.takingOver}
        @edit-here=${this._onEditHere}
        @notice-dismiss=${this._onDismissNotice}
      ></studio-notices>
      <main>
        <slot name="editor"></slot>
        <slot name="lesson"></slot>
        <side-panel
          tab=${this._sideTab}
          .board=${this._run.board}
          .broker=${project.settings.browserBroker}
          ?readOnly=${readOnly}
          .micropython=${this._code.micropython}
          .typescript=${this._code.typescript}
          .selectedBlockId=${this._selectedBlockId}
          deviceId=${this._deviceId()}
          programId=${this._run.programId}
          @side-tab=${this._onSideTab}
          @board-input=${this._onBoardInput}
          @broker-change=${this._onBrokerChange}
          @apply-micropython=${this._onApplyMicroPython}
          @show-block=${this._onShowBlock}
          @download-micropython=${this._onDownloadMicroPython}
        ></side-panel>
      </main>
      <input
        type="file"
        accept=".json,application/json,.py,text/x-python"
        hidden
        data-input="open"
        @change=${this._onFileChosen}
      />
      ${
        this._drop.hint
          ? html`<div class="drop-hint" data-drop-hint>
              <p>${openIcon}${t('dropHint')}</p>
            </div>`
          : ''
      }
    `;
  }

  /** Done when the studio and the parts drawn into it (toolbar, settings, dialogs) are. */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    const parts =
      this.renderRoot?.querySelectorAll<LitElement>(
        'studio-toolbar, studio-notices, side-panel, broker-setting, paste-python-dialog, examples-dialog',
      ) ?? [];
    await Promise.all([...parts].map((part) => part.updateComplete));
    return done;
  }

  protected override async firstUpdated(): Promise<void> {
    // The toolbar first: the workspace takes the height the toolbar leaves it.
    await this.renderRoot.querySelector('studio-toolbar')?.updateComplete;
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
    this._code.regenerate();
    this._openFirstProject();
    // Loading the program Worker while the child is still reading makes the first Run quick.
    requestIdleCallback(() => this._run.prewarm());
  }

  /**
   * Opens example `name` as a new project; the project open before stays in the recent list.
   * Returns null when it opened, or the sentence that says why not (also shown in the notice
   * area; the open project is then left as it was).
   */
  openExample(name: string): string | null {
    return this._project.openExample(name);
  }

  /**
   * Opens a project file's text as a new project; the project open before stays in the recent
   * list. Returns null when it opened, or the sentence that says why it could not (and then the
   * open project is left as it was, unsaved-over).
   */
  openProject(text: string): string | null {
    return this._project.openProject(text);
  }

  /** Starts a new, empty project; the project open before stays in the recent list. */
  newProject(): void {
    this._project.newProject();
  }

  /**
   * Opens a MicroPython program as blocks in a new project; the project open before stays in
   * the recent list. Returns null when it opened, or the sentence that says why not.
   */
  openMicroPython(text: string, name: string): Promise<string | null> {
    return this._project.openMicroPython(text, name);
  }

  /**
   * Starts guided lesson `name` (`src/lessons/`) in a new, empty project named after it; the
   * project open before stays in the recent list. Returns null when it started, or the sentence
   * that says why not.
   */
  startLesson(name: string): string | null {
    const lesson = lessonNamed(name);
    if (!lesson) {
      this._project.notice = t('unknownLesson', { name });
      return this._project.notice;
    }
    this._project.openAsNew(emptyProject(lesson.title[language()]));
    this._project.notice = null;
    this._lessons.start(lesson);
    return null;
  }

  /**
   * The first project of this page: the lesson or example in the address if there is one, else
   * the project open last time, else (a first visit) an empty one.
   */
  private _openFirstProject(): void {
    const lesson = this._takeParamFromAddress(LESSON_PARAM);
    if (lesson !== null && this.startLesson(lesson) === null) return;
    const example = this._takeParamFromAddress(EXAMPLE_PARAM);
    if (example !== null && this.openExample(example) === null) return;
    this._project.openLast();
  }

  /** Address parameter `param`, taken out of the address so a reload does not act on it again. */
  private _takeParamFromAddress(param: string): string | null {
    const url = new URL(location.href);
    const name = url.searchParams.get(param);
    if (name === null) return null;
    url.searchParams.delete(param);
    history.replaceState(history.state, '', url);
    return name;
  }

  private _onStartLesson(event: CustomEvent<StartLessonDetail>): void {
    this.startLesson(event.detail.name);
  }

  private _onToolbarAction(event: CustomEvent<ToolbarActionDetail>): void {
    switch (event.detail.action) {
      case 'new':
        return this.newProject();
      case 'open':
        return this.renderRoot.querySelector<HTMLInputElement>('[data-input="open"]')!.click();
      case 'paste-micropython':
        return this.renderRoot.querySelector('paste-python-dialog')?.show();
      case 'save':
        return this._project.save();
      case 'save-shared':
        return this._project.saveShared();
      case 'examples':
        return this.renderRoot.querySelector('examples-dialog')?.show();
      case 'download-micropython':
        return this._onDownloadMicroPython();
      case 'download-typescript':
        return download('main.ts', this._code.typescript?.code ?? '', 'text/plain');
      case 'recent':
        return this._project.refreshRecent();
      case 'undo':
        return this._undo.undo(false);
      case 'redo':
        return this._undo.undo(true);
      case 'run':
        return void this._onRun();
      case 'stop':
        return void this._run.stop();
    }
  }

  private _onOpenRecent(event: CustomEvent<OpenRecentDetail>): void {
    this._project.openRecent(event.detail.id);
  }

  private _onRename(event: CustomEvent<ProjectRenameDetail>): void {
    this._project.rename(event.detail.name);
  }

  private _onBrokerChange(event: CustomEvent<BrokerChangeDetail>): void {
    this._project.setBroker(event.detail.setting);
  }

  private _onEditHere(): void {
    void this._project.editHere();
  }

  private _onDismissNotice(): void {
    this._project.notice = null;
  }

  private _onDownloadMicroPython(): void {
    download('main.py', this._code.micropython?.code ?? '', 'text/x-python');
  }

  /**
   * A closed dialog gives focus back to what opened it, here a menu item hidden by then, so
   * keyboard focus would fall to the page: to the Project button instead (an example opened
   * from the dialog leaves it there too).
   */
  private _onExamplesClosed(event: Event): void {
    const menu = this.renderRoot.querySelector('studio-toolbar')?.projectMenu;
    const active = this.shadowRoot?.activeElement;
    const dialog = event.currentTarget as HTMLElement;
    if (!active || dialog.contains(active) || menu?.contains(active)) menu?.focus();
  }

  private _onOpenExample(event: CustomEvent<OpenExampleDetail>): void {
    this.openExample(event.detail.name);
  }

  /** Pasted MicroPython: opened as blocks, or the dialog stays open and says why not. */
  private async _onOpenPython(event: CustomEvent<OpenPythonDetail>): Promise<void> {
    const dialog = event.currentTarget as PastePythonDialog;
    const problem = await this.openMicroPython(event.detail.text, t('pastedProjectName'));
    dialog.error = problem;
    if (problem === null) dialog.close();
  }

  private async _onFileChosen(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so choosing the same file again (after fixing it) opens it again.
    input.value = '';
    if (file) await this._project.openFile(file);
  }

  /** This tab edits the project (`reason` null) or only shows it: the workspace follows. */
  private _setReadOnly(reason: ShowingReason | null): void {
    if (reason === null) delete this.dataset.readOnly;
    else this.dataset.readOnly = reason;
    this.editor?.setReadOnly(reason !== null);
  }

  private _onProgramChanged(): void {
    this._code.regenerate();
    this._undo.update();
    this._project.changed();
    this._lessons.check();
  }

  private _onBlockSelected(event: CustomEvent<{ blockId: string | null }>): void {
    this._selectedBlockId = this.editor?.statementOf(event.detail.blockId) ?? event.detail.blockId;
  }

  /** The board the console talks to: the client ID of the first connect block, MQTT or OneNET. */
  private _deviceId(): string {
    const workspace = this.editor?.program;
    return workspace ? programClientId(workspace) : '';
  }

  private get _console(): MessageConsole | null {
    return this.renderRoot.querySelector('message-console');
  }

  /** Runs the program as it is now, in a fresh Worker, on a board that starts dark. */
  private async _onRun(): Promise<void> {
    allowSound(); // In the click itself: browsers start sound only from a gesture.
    const workspace = this.editor?.program;
    if (!workspace) return;
    const program = generateTypeScript(workspace);
    await this._run.run(program, this._project.settings, this._deviceId());
  }

  private _onSideTab(event: CustomEvent<SideTabDetail>): void {
    this._sideTab = event.detail.tab;
  }

  private _onShowBlock(event: CustomEvent<ShowBlockDetail>): void {
    this.editor?.showBlock(event.detail.blockId);
  }

  private _onBoardInput(event: CustomEvent<BoardInput>): void {
    this._run.input(event.detail);
  }

  /** The MicroPython tab's edit: the blocks it makes replace the program, or it shows why not. */
  private async _onApplyMicroPython(event: CustomEvent<ApplyMicroPythonDetail>): Promise<void> {
    const panel = event.target as CodePanel;
    if (!this.editor?.workspace || this._project.readOnly !== null) return;
    panel.editError = await this._project.applyMicroPython(event.detail.code);
    if (panel.editError === null) panel.editing = false;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'iot-studio': IotStudio;
  }
}
