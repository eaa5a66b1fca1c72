/**
 * `<iot-studio>`: the whole studio. A toolbar, the block editor on the left and the code panel on
 * the right. The code follows every change to the program and is generated only then: UI events
 * (selecting, scrolling, zooming, opening the toolbox) never regenerate it.
 *
 * It never loses work: every change to the program or the project's settings is saved in this
 * browser (`ProjectStore`) within a frame, and again when the page is hidden or closed; the
 * last few versions are kept, and when the newest cannot be read the one before it opens. New
 * projects, files, examples and recent projects each open as their own project, so nothing a
 * child made is ever replaced. The project's settings (its name and browser broker) live in the
 * project itself: in every saved version and in the file Save downloads.
 *
 * One project has one editor: when another tab of this browser already edits the project this
 * tab opens, this tab only shows it (and follows its saves) until the child takes it over here,
 * and then the other tab only shows it (`EditorTabs`). A tab that only shows never saves.
 * "Save a copy to share" downloads the project without its passwords and keys (`sharedCopy`).
 */
import * as Blockly from 'blockly';
import { LitElement, css, html, render } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { idleBoard, type BoardInput, type BoardState } from '../board/board-state.ts';
import { allowSound } from '../parts/sound.ts';
import { announcementsWanted, rememberAnnouncements } from '../board/announcer.ts';
import '../board/virtual-board.ts';
import '../console/message-console.ts';
import type { MessageConsole, ShowBlockDetail } from '../console/message-console.ts';
import { exampleText } from '../examples/index.ts';
import { LanguageController, language, onLanguageChange, type Language } from '../i18n/language.ts';
import {
  brokerTarget,
  consoleUrl,
  isBrokerUrl,
  maskedBrokerUrl,
  withStoredPassword,
} from '../project/browser-broker.ts';
import { BoardLink, boardChannelUrl, newRunSecret, withRunSecret } from '../class/board-link.ts';
import {
  PROJECT_FORMAT,
  PROJECT_VERSION,
  ProjectFileError,
  blockTypesIn,
  defaultSettings,
  loadProject,
  loadProjectCopy,
  parseProject,
  projectFileName,
  saveProject,
  type BrowserBroker,
  type Project,
  type ProjectSettings,
} from '../project/project-file.ts';
import { EditorTabs, type ShowingReason, type TabHost } from '../project/editor-tabs.ts';
import {
  ProjectStore,
  SaveConflict,
  StoreError,
  type ProjectSummary,
  type StoreProblem,
} from '../project/project-store.ts';
import { sharedCopy } from '../project/secrets.ts';
import { CODE_TYPES } from '../editor/code-block.ts';
import { ProgramRunner } from '../run/program-runner.ts';
import type { FromWorker, ProgramHandler } from '../run/protocol.ts';
import { wordSentence, type Sentence } from '../runtime/strings.ts';
import { worded, type Wording } from '../i18n/translate.ts';
import './block-editor.ts';
import type { BlockEditor } from './block-editor.ts';
import './code-panel.ts';
import type { ApplyMicroPythonDetail, CodePanel } from './code-panel.ts';
import './example-gallery.ts';
import type { OpenExampleDetail } from './example-gallery.ts';
import './language-switch.ts';
import {
  downloadIcon,
  logo,
  newIcon,
  openIcon,
  projectIcon,
  recentIcon,
  redoIcon,
  renameIcon,
  runIcon,
  saveErrorIcon,
  saveIcon,
  savedIcon,
  savingIcon,
  stopIcon,
  undoIcon,
  examplesIcon,
} from './icons.ts';
import './recent-projects.ts';
import type { OpenRecentDetail } from './recent-projects.ts';
import { defaultNameIn, t, type StringKey } from './strings.ts';
import './toolbar-menu.ts';
import '../lessons/lesson-panel.ts';
import type { LessonPanel } from '../lessons/lesson-panel.ts';
import { nextStep, type Lesson } from '../lessons/lesson.ts';
import { lessonNamed, lessons } from '../lessons/index.ts';
import type { MenuToggleDetail, ToolbarMenu } from './toolbar-menu.ts';

/** The address parameter that opens an example project. */
const EXAMPLE_PARAM = 'example';
/** The address parameter that opens a guided lesson (`?lesson=lamp`). */
const LESSON_PARAM = 'lesson';

/** How long a download's object URL stays valid: long enough for the browser to read it. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/** Longest project name the rename box takes (file names stay well inside every limit). */
const NAME_MAX_LENGTH = 80;

/**
 * How long a tab that takes a project over waits for the other tab's last save to reach its view
 * of localStorage (it arrives a moment after the other tab's message, or with it).
 */
const STORE_CATCH_UP_MS = 2000;

/** Where the project's latest changes are: in storage, on their way there, or refused. */
export type SaveState = 'saving' | 'saved' | 'error';

/** The browser-broker choices in the toolbar, by option value. */
const BROKER_CHOICES: [value: string, label: StringKey, setting: BrowserBroker | null][] = [
  ['embedded', 'brokerEmbedded', { kind: 'embedded' }],
  ['emqx', 'brokerEmqx', { kind: 'preset', preset: 'emqx' }],
  ['hivemq', 'brokerHivemq', { kind: 'preset', preset: 'hivemq' }],
  ['mosquitto', 'brokerMosquitto', { kind: 'preset', preset: 'mosquitto' }],
  ['custom', 'brokerCustom', null],
];

/** The side panel's tabs: the code, the messages, and the real board over USB. */
type SideTab = 'code' | 'messages' | 'board';
const SIDE_TABS: readonly SideTab[] = ['code', 'messages', 'board'];
const SIDE_TAB_LABELS: Record<SideTab, StringKey> = {
  code: 'tabCode',
  messages: 'tabMessages',
  board: 'tabBoard',
};

/** What each storage problem is called in sentences. */
const STORE_PROBLEMS: Record<StoreProblem, StringKey> = {
  full: 'saveProblemFull',
  unavailable: 'saveProblemUnavailable',
};

function brokerChoice(setting: BrowserBroker): string {
  return setting.kind === 'preset' ? setting.preset : setting.kind;
}

/** A project with no blocks yet, called `name`. */
function emptyProject(name: string): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings: defaultSettings(name),
    workspace: {},
  };
}

/** Whether a key press in `target` belongs to it (typing, choosing), not to the studio. */
function isTextEntry(target: EventTarget): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** Whether a drag carries files (and not, say, text dragged from another page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Runs `task` and keeps its duration as the one User Timing measure called `name` (the benchmark
 * and DevTools read it; only the latest is kept, so a long session does not pile them up).
 */
function measured<T>(name: string, task: () => T): T {
  const start = performance.now();
  const result = task();
  performance.clearMeasures(name);
  performance.measure(name, { start });
  return result;
}

/**
 * An error thrown in a handler as a sentence that names the handler block in its own words and
 * says the program goes on (it does: the next message or press runs the handler again).
 */
function handlerFailed(handler: ProgramHandler, error: string, in_?: Language): string {
  const reason = error.replace(/[\s.。]+$/u, '');
  return handler.kind === 'message'
    ? t('messageHandlerFailed', { handler: Blockly.Msg.MQTT_ON_MESSAGE_MESSAGE, reason }, in_)
    : t(
        'buttonHandlerFailed',
        {
          handler: Blockly.Msg.BOARD_ON_BUTTON_MESSAGE.replace('%1', handler.button.toUpperCase()),
          reason,
        },
        in_,
      );
}

/** Studio string `key` as a console line's text, worded again when the language changes. */
const studioWords = (key: StringKey) => (in_: Language) => t(key, {}, in_);

/** What the Worker said (`error` or `notice`): worded again when it sent a runtime sentence. */
function workerWords(message: { message: string; sentence?: Sentence }): Wording {
  const { sentence } = message;
  return sentence ? (in_: Language) => wordSentence(sentence, in_) : message.message;
}

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
      position: relative;
      height: 100%;
      min-height: 0;
      overflow: hidden;
      background: #f3f6fa;
      color: #1f2933;
      font-size: 15px;
      --toolbar-button-padding: 8px 12px;
    }
    header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 12px;
      background: #ffffff;
      border-bottom: 1px solid #d9e0e8;
      flex: none;
    }
    .brand {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 0 4px 0 0;
      font-size: 18px;
      font-weight: 700;
      white-space: nowrap;
    }
    .project {
      display: flex;
      align-items: center;
      gap: 8px;
      min-width: 0;
      flex: 1 1 auto;
      margin-left: 4px;
    }
    .project-name {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-width: 5em;
      max-width: 360px;
      font: inherit;
      font-weight: 600;
      padding: 5px 12px;
      border: 1px solid transparent;
      border-radius: 999px;
      background: #eef2f7;
      color: #3e4c59;
      cursor: text;
    }
    .project-name:hover {
      border-color: #c3ccd6;
    }
    .project-name span {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .project-name svg {
      flex: none;
      opacity: 0.6;
    }
    .project input {
      font: inherit;
      font-weight: 600;
      flex: 0 1 16em;
      min-width: 9em;
      padding: 4px 11px;
      border: 1px solid #1a56c4;
      border-radius: 999px;
      color: #1f2933;
    }
    .save-state {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      flex: none;
      font-size: 13px;
      color: #52606d;
      white-space: nowrap;
    }
    .save-state span {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .save-state svg {
      flex: none;
    }
    .save-state[data-state='saved'] svg {
      color: #1e8e3e;
    }
    /* Only the long "Could not save: …" may shorten (its whole text is in the notice). */
    .save-state[data-state='error'] {
      flex: 0 1 auto;
      min-width: 0;
      max-width: 18em;
      color: #b42318;
      font-weight: 600;
    }
    .group {
      display: flex;
      gap: 6px;
      flex: none;
    }
    header button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: inherit;
      font-weight: 600;
      padding: var(--toolbar-button-padding);
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
    header button.secondary:hover {
      filter: brightness(0.96);
    }
    header button:focus-visible,
    .notice button:focus-visible,
    .menu button:focus-visible,
    .dialog-head button:focus-visible,
    .tabs button:focus-visible,
    .broker select:focus-visible,
    .broker input:focus-visible,
    .announce input:focus-visible {
      outline: 3px solid #2563eb;
      outline-offset: 2px;
    }
    header button[data-action='run'] {
      /* Dark enough for white text (4.5:1 and more): the axe check holds it to that. */
      background: #137333;
    }
    button:disabled,
    header button:disabled:hover {
      opacity: 0.45;
      cursor: default;
      filter: none;
    }
    .menu {
      display: flex;
      flex-direction: column;
    }
    .menu button {
      display: flex;
      align-items: center;
      gap: 10px;
      font: inherit;
      text-align: start;
      padding: 8px 10px;
      border: none;
      border-radius: 8px;
      background: none;
      color: inherit;
      cursor: pointer;
      white-space: nowrap;
    }
    .menu button:hover {
      background: #eef2f7;
    }
    .menu svg {
      flex: none;
      color: #1a56c4;
    }
    .menu hr {
      width: 100%;
      margin: 4px 0;
      border: none;
      border-top: 1px solid #e1e7ef;
    }
    .menu .hint {
      margin-left: auto;
      padding-left: 16px;
      font-size: 13px;
      color: #52606d;
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
    .notice.read-only {
      background: #e8f0fe;
      border-bottom-color: #c6d7f5;
      color: #1a3a6b;
    }
    .notice.read-only button {
      font-size: 15px;
      font-weight: 600;
      padding: 6px 14px;
      border-radius: 10px;
      background: #1a56c4;
      color: #ffffff;
      white-space: nowrap;
    }
    /* Under the board it sets the broker for: where the board goes online when Run is pressed. */
    .broker {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
      min-width: 0;
      padding: 0 12px 8px;
      font-size: 13px;
      color: #52606d;
      flex: none;
    }
    .broker span {
      white-space: nowrap;
    }
    /* The announcements setting: one checkbox under the board it speaks for. */
    .announce {
      display: flex;
      align-items: center;
      justify-content: center;
      gap: 6px;
      padding: 0 12px 8px;
      font-size: 13px;
      color: #52606d;
      flex: none;
      cursor: pointer;
    }
    .announce input {
      width: 16px;
      height: 16px;
      margin: 0;
      accent-color: #1a56c4;
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
    .broker select:disabled,
    .broker input:disabled {
      opacity: 0.6;
    }
    .broker input[aria-invalid='true'] {
      border-color: #c81e1e;
      outline-color: #c81e1e;
    }
    /* A 1024 px tablet: the brand keeps its logo (and its name for screen readers), every
       button keeps its word. */
    @media (max-width: 1180px) {
      .brand-name {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
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
    /* Messages needs height for its log (ten lines at 1280×720): the board gets smaller. */
    aside[data-side-tab='messages'] virtual-board {
      width: min(calc(100% - 24px), 170px);
      margin-top: 4px;
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
    aside > message-console,
    aside > serial-panel {
      flex: 1;
      min-height: 0;
    }
    aside > [hidden] {
      display: none;
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
      border: 4px dashed #1a56c4;
      border-radius: 12px;
    }
    .drop-hint p {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: 0;
      padding: 16px 24px;
      border-radius: 12px;
      background: #ffffff;
      color: #1a3a6b;
      font-size: 18px;
      font-weight: 600;
      box-shadow: 0 10px 28px rgb(15 30 60 / 18%);
      /* The hint shows; the studio under it receives the drop. */
      pointer-events: none;
    }
    .drop-hint svg {
      color: #1a56c4;
    }
    dialog.examples {
      width: min(960px, calc(100vw - 48px));
      max-height: calc(100vh - 48px);
      padding: 0;
      border: none;
      border-radius: 16px;
      box-shadow: 0 12px 48px #0004;
    }
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
      color: #b42318;
    }
    .dialog-actions {
      display: flex;
      justify-content: flex-end;
      gap: 8px;
    }
    dialog.examples::backdrop {
      background: #1f293366;
    }
    .dialog-head {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 12px 16px;
      border-bottom: 1px solid #d9e0e8;
    }
    .dialog-head h2 {
      margin: 0;
      font-size: 18px;
    }
  `;

  @state() private _settings: ProjectSettings = defaultSettings();
  /**
   * What the virtual board shows. Not a lit state: a program can change its LEDs hundreds of times
   * a second, and each change goes straight to the board element (`_setBoard`) instead of
   * re-rendering the whole studio.
   */
  private _board: BoardState = idleBoard();
  @state() private _running = false;
  @state() private _sideTab: SideTab = 'code';
  /** The client ID the running program connected as ('' when none runs), for Messages. */
  @state() private _programId = '';
  /** Whether the board and Messages tell screen readers what changes (kept in this browser). */
  @state() private _announce = announcementsWanted();
  /** Why the running program will end: its top-level error, once it had one. */
  private _endReason: string | undefined;
  @state() private _customBrokerError = false;
  @state() private _notice: string | null = null;
  @state() private _micropython?: GeneratedProgram;
  /** The guided lesson being followed, if any, and the step it is at. */
  private _lesson: Lesson | null = null;
  private _lessonStep = 0;
  @state() private _typescript?: GeneratedProgram;
  @state() private _selectedBlockId: string | null = null;
  @state() private _saveState: SaveState = 'saved';
  @state() private _saveProblem: StoreProblem | null = null;
  @state() private _canUndo = false;
  @state() private _canRedo = false;
  @state() private _renaming = false;
  @state() private _recent: ProjectSummary[] = [];
  @state() private _dropHint = false;
  /** Why the pasted MicroPython could not open (shown in the paste dialog), or null. */
  @state() private _pasteError: string | null = null;
  /** Whether the Board tab was opened: its code (Web Serial) loads only then. */
  @state() private _boardPanelWanted = false;

  private _generations = 0;
  private readonly _runner = new ProgramRunner();
  /** The TypeScript of the program running now: its line map points errors at blocks. */
  private _runningProgram?: GeneratedProgram;
  private readonly _store = new ProjectStore();
  /** The open project's id in the store; empty until the first project has opened. */
  @state() private _projectId = '';
  /** The text of the open project's newest saved version: an unchanged project is not saved again. */
  private _lastSavedText: string | null = null;
  /**
   * The time of the open project's newest version as this tab knows it (null: none yet). A save
   * is refused when the store's newest is another: another tab saved in between.
   */
  private _newestTime: number | null = null;
  private _saveFrame = 0;
  /** Why this tab only shows its project (another tab edits it), or null when it edits it. */
  @state() private _readOnly: ShowingReason | null = null;
  /** Taking the project over from another tab: waiting for it to let go. */
  @state() private _takingOver = false;
  /** This tab among the studio tabs of this browser (while connected and the page is shown). */
  private _tabs: EditorTabs | null = null;
  /** A frame that will show the newest saved version (a showing tab follows the editing one). */
  private _followFrame = 0;
  private readonly _tabHost: TabHost = {
    isBehind: () => this._isBehind(),
    flush: () => {
      this._saveNow();
      return this._newestTime;
    },
    nowShowing: (reason) => this._setReadOnly(reason),
  };

  constructor() {
    super();
    new LanguageController(this);
    // On the host, so a file dropped anywhere on the studio (the workspace too) is caught.
    this.addEventListener('dragenter', this._onDragOver);
    this.addEventListener('dragover', this._onDragOver);
    this.addEventListener('dragleave', this._onDragLeave);
    this.addEventListener('drop', this._onDrop);
  }

  /** The block editor; it lives in our light DOM (Blockly cannot render in a shadow root). */
  get editor(): BlockEditor | null {
    return this.querySelector(':scope > block-editor');
  }

  /** The open project's id in this browser's saved projects (empty while starting). */
  get projectId(): string {
    return this._projectId;
  }

  /** Where the open project's latest changes are (also the host's `data-save-state`). */
  get saveState(): SaveState {
    return this._saveState;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.generations = String(this._generations);
    this.dataset.saveState = this._saveState;
    // The last chance to save before a reload, a closed tab or a switch to another app; a page
    // that is hidden may be discarded without another word.
    addEventListener('pagehide', this._onPageHide);
    addEventListener('pageshow', this._onPageShow);
    addEventListener('storage', this._onStorage);
    document.addEventListener('visibilitychange', this._onVisibilityChange);
    document.addEventListener('keydown', this._onKeyDown);
    this._stopFollowingLanguage = onLanguageChange(this._nameInLanguage);
    // Moved back into the page: say again which project this tab has open.
    this._joinTabs();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._saveNow();
    this._leaveTabs();
    if (this._followFrame) cancelAnimationFrame(this._followFrame);
    this._followFrame = 0;
    removeEventListener('pageshow', this._onPageShow);
    removeEventListener('storage', this._onStorage);
    removeEventListener('pagehide', this._onPageHide);
    document.removeEventListener('visibilitychange', this._onVisibilityChange);
    document.removeEventListener('keydown', this._onKeyDown);
    this._stopFollowingLanguage();
    this._running = false;
    void this._runner.dispose();
  }

  protected override render() {
    return html`
      <header>
        <h1 class="brand">${logo}<span class="brand-name">${t('appName')}</span></h1>
        ${this._renderProjectMenu()}
        <div class="project">${this._renderProjectName()} ${this._renderSaveState()}</div>
        <div class="group">
          <button
            class="secondary"
            data-action="undo"
            title=${t('undoHint')}
            ?disabled=${!this._canUndo || this._readOnly !== null}
            @click=${() => this._undo(false)}
          >
            ${undoIcon}${t('undo')}
          </button>
          <button
            class="secondary"
            data-action="redo"
            title=${t('redoHint')}
            ?disabled=${!this._canRedo || this._readOnly !== null}
            @click=${() => this._undo(true)}
          >
            ${redoIcon}${t('redo')}
          </button>
        </div>
        <div class="group">
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
        <language-switch compact></language-switch>
      </header>
      <dialog
        class="paste-python"
        aria-label=${t('pasteMicroPython')}
        @close=${this._onPasteClosed}
      >
        <form method="dialog" @submit=${this._onPasteSubmit}>
          <label>
            ${t('pasteMicroPythonLabel')}
            <textarea data-input="paste-python" spellcheck="false" rows="16"></textarea>
          </label>
          ${
            this._pasteError
              ? html`<p class="paste-error" role="alert" data-paste-error>${this._pasteError}</p>`
              : ''
          }
          <div class="dialog-actions">
            <button type="button" class="secondary" @click=${this._onPasteCancel}>
              ${t('pasteMicroPythonCancel')}
            </button>
            <button type="submit" data-action="open-pasted-python">
              ${t('pasteMicroPythonOpen')}
            </button>
          </div>
        </form>
      </dialog>
      <dialog class="examples" aria-label=${t('examples')} @close=${this._onExamplesClosed}>
        <div class="dialog-head">
          <h2>${t('examples')}</h2>
          <button
            class="secondary"
            data-action="close-examples"
            aria-label=${t('closeExamples')}
            @click=${this._onCloseExamples}
          >
            ×
          </button>
        </div>
        <example-gallery @open-example=${this._onOpenExample}></example-gallery>
      </dialog>
      ${this._renderReadOnly()}
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
        <slot name="lesson"></slot>
        <aside aria-label=${t('sidePanelLabel')} data-side-tab=${this._sideTab}>
          <virtual-board
            .state=${this._board}
            .announce=${this._announce}
            @board-input=${this._onBoardInput}
          ></virtual-board>
          <label class="announce" title=${t('announceHint')}>
            <input
              type="checkbox"
              data-setting="announce"
              .checked=${live(this._announce)}
              @change=${this._onAnnounceChange}
            />
            <span>${t('announceLabel')}</span>
          </label>
          ${this._renderBrokerSetting()}
          <div class="tabs" role="tablist">
            ${SIDE_TABS.map(
              (tab) =>
                html`<button
                  role="tab"
                  data-tab=${tab}
                  aria-selected=${String(this._sideTab === tab)}
                  @click=${() => this._onSideTab(tab)}
                >
                  ${t(SIDE_TAB_LABELS[tab])}
                </button>`,
            )}
          </div>
          <code-panel
            ?hidden=${this._sideTab !== 'code'}
            .micropython=${this._micropython}
            .typescript=${this._typescript}
            .selectedBlockId=${this._selectedBlockId}
            @apply-micropython=${this._onApplyMicroPython}
          ></code-panel>
          <message-console
            ?hidden=${this._sideTab !== 'messages'}
            .url=${consoleUrl(location.href)}
            .deviceId=${this._deviceId()}
            .programId=${this._programId}
            .announce=${this._announce}
            @show-block=${this._onShowBlock}
          ></message-console>
          ${
            this._boardPanelWanted
              ? html`<serial-panel
                  ?hidden=${this._sideTab !== 'board'}
                  .program=${this._micropython}
                  @show-block=${this._onShowBlock}
                  @download-micropython=${this._onDownloadMicroPython}
                ></serial-panel>`
              : ''
          }
        </aside>
      </main>
      <input
        type="file"
        accept=".json,application/json,.py,text/x-python"
        hidden
        data-input="open"
        @change=${this._onFileChosen}
      />
      ${
        this._dropHint
          ? html`<div class="drop-hint" data-drop-hint>
              <p>${openIcon}${t('dropHint')}</p>
            </div>`
          : ''
      }
    `;
  }

  /** New, Open, Save and the program downloads, and the recent projects, in two menus. */
  private _renderProjectMenu() {
    return html`<toolbar-menu
        data-menu="project"
        label=${t('projectMenu')}
        hint=${t('projectMenuHint')}
      >
        <span slot="icon">${projectIcon}</span>
        <div class="menu">
          <button data-action="new" title=${t('newProjectHint')} @click=${this._onNew}>
            ${newIcon}${t('newProject')}
          </button>
          <button data-action="open" title=${t('openProjectHint')} @click=${this._onOpen}>
            ${openIcon}${t('openProject')}
          </button>
          <button
            data-action="paste-micropython"
            title=${t('pasteMicroPythonHint')}
            @click=${this._onPasteMicroPython}
          >
            ${openIcon}${t('pasteMicroPython')}
          </button>
          <button data-action="save" title=${t('saveProjectHint')} @click=${this._onSave}>
            ${saveIcon}${t('saveProject')}
          </button>
          <button
            data-action="save-shared"
            title=${t('saveSharedHint')}
            @click=${this._onSaveShared}
          >
            ${saveIcon}${t('saveShared')}
          </button>
          <button data-action="examples" title=${t('examplesHint')} @click=${this._onShowExamples}>
            ${examplesIcon}${t('examples')}
          </button>
          ${lessons.map(
            (lesson) =>
              html`<button
                data-action="start-lesson"
                data-lesson=${lesson.name}
                title=${t('lessonHint')}
                @click=${this._onStartLesson}
              >
                ${examplesIcon}${t('lessonItem', { title: lesson.title[language()] })}
              </button>`,
          )}
          <hr />
          <button
            data-action="download-micropython"
            title=${t('downloadMicroPythonHint')}
            @click=${this._onDownloadMicroPython}
          >
            ${downloadIcon}${t('downloadMicroPython')}
            <span class="hint">${t('downloadMicroPythonFor')}</span>
          </button>
          <button
            data-action="download-typescript"
            title=${t('downloadTypeScriptHint')}
            @click=${this._onDownloadTypeScript}
          >
            ${downloadIcon}${t('downloadTypeScript')}
            <span class="hint">${t('downloadTypeScriptFor')}</span>
          </button>
        </div>
      </toolbar-menu>
      <toolbar-menu
        data-action="recent"
        label=${t('recentProjects')}
        hint=${t('recentProjectsHint')}
        @menu-toggle=${this._onRecentToggle}
      >
        <span slot="icon">${recentIcon}</span>
        <recent-projects
          .projects=${this._recent}
          currentId=${this._projectId}
          @open-recent=${this._onOpenRecent}
        ></recent-projects>
      </toolbar-menu>`;
  }

  /** While another tab edits the project: why this tab only shows it, and how to edit here. */
  private _renderReadOnly() {
    if (this._readOnly === null) return '';
    return html`<p class="notice read-only" role="status" data-read-only-banner>
      <span>${t(this._readOnly === 'taken' ? 'takenOverBanner' : 'editedElsewhereBanner')}</span>
      <button
        data-action="edit-here"
        title=${t('editHereHint')}
        ?disabled=${this._takingOver}
        @click=${this._onEditHere}
      >
        ${t('editHere')}
      </button>
    </p>`;
  }

  private _renderProjectName() {
    const name = this._settings.name;
    if (this._renaming) {
      return html`<input
        data-setting="project-name"
        aria-label=${t('projectNameLabel')}
        maxlength=${NAME_MAX_LENGTH}
        .value=${name}
        @keydown=${this._onNameKey}
        @blur=${this._onNameBlur}
      />`;
    }
    return html`<button
      class="project-name"
      data-action="rename"
      ?disabled=${this._readOnly !== null}
      title=${t('renameHint')}
      aria-label=${t('renameLabel', { name })}
      @click=${this._onRename}
    >
      <span>${name}</span>${renameIcon}
    </button>`;
  }

  private _renderSaveState() {
    const [icon, text] =
      this._saveState === 'error'
        ? [saveErrorIcon, t('saveStateError', { reason: t(STORE_PROBLEMS[this._saveProblem!]) })]
        : this._saveState === 'saving'
          ? [savingIcon, t('saveStateSaving')]
          : [savedIcon, t('saveStateSaved')];
    return html`<span class="save-state" data-state=${this._saveState} title=${text}
      >${icon}<span>${text}</span></span
    >`;
  }

  private _renderBrokerSetting() {
    const setting = this._settings.browserBroker;
    return html`<label class="broker">
      <span>${t('brokerLabel')}</span>
      <select
        data-setting="browser-broker"
        title=${t('brokerLabel')}
        ?disabled=${this._readOnly !== null}
        @change=${this._onBrokerChoice}
      >
        ${BROKER_CHOICES.map(
          ([value, label]) =>
            // A property, not the attribute: once a person has chosen, the attribute no
            // longer moves the selection, and switching projects must.
            html`<option value=${value} .selected=${live(brokerChoice(setting) === value)}>
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
              .value=${maskedBrokerUrl(setting.url)}
              ?disabled=${this._readOnly !== null}
              aria-invalid=${String(this._customBrokerError)}
              title=${t(this._customBrokerError ? 'brokerCustomInvalid' : 'brokerCustomHint')}
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
    this._openFirstProject();
    // Loading the program Worker while the child is still reading makes the first Run quick.
    requestIdleCallback(() => this._runner.prewarm());
  }

  /**
   * Opens example `name` as a new project; the project open before stays in the recent list.
   * Returns null when it opened, or the sentence that says why not (also shown in the notice
   * area; the open project is then left as it was).
   */
  private get _examplesDialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog.examples');
  }

  private _onShowExamples(): void {
    this._examplesDialog?.showModal();
  }

  private _onCloseExamples(): void {
    this._examplesDialog?.close();
  }

  /**
   * A closed dialog gives focus back to what opened it, here a menu item hidden by then, so
   * keyboard focus would fall to the page: to the Project button instead (an example opened
   * from the dialog leaves it there too).
   */
  private _onExamplesClosed(event: Event): void {
    const menu = this.renderRoot.querySelector<ToolbarMenu>('toolbar-menu[data-menu="project"]');
    const active = this.shadowRoot?.activeElement;
    const dialog = event.currentTarget as HTMLDialogElement;
    if (!active || dialog.contains(active) || menu?.contains(active)) menu?.focus();
  }

  private _onOpenExample(event: CustomEvent<OpenExampleDetail>): void {
    this._examplesDialog?.close();
    this.openExample(event.detail.name);
  }

  /**
   * Starts guided lesson `name` (`src/lessons/`) in a new, empty project named after it; the
   * project open before stays in the recent list. Returns null when it started, or the sentence
   * that says why not.
   */
  startLesson(name: string): string | null {
    const lesson = lessonNamed(name);
    if (!lesson) {
      this._notice = t('unknownLesson', { name });
      return this._notice;
    }
    this._openAsNewProject(emptyProject(lesson.title[language()]));
    this._notice = null;
    this._lesson = lesson;
    this._lessonStep = 0;
    this._checkLesson();
    return null;
  }

  /** Moves the lesson on to the first step not done yet, and marks its toolbox category. */
  private _checkLesson(): void {
    const lesson = this._lesson;
    const workspace = this.editor?.program;
    if (!lesson || !workspace) return;
    const board = {
      online: this._board.online,
      leds: this._board.leds.map((led) => led.join(',')),
    };
    this._lessonStep = nextStep(lesson, this._lessonStep, workspace, board);
    this.editor?.highlightCategory(lesson.steps[this._lessonStep]?.category ?? null);
    this._showLesson();
  }

  /** Puts the lesson card beside the workspace (in the light DOM: it draws blocks), or takes it away. */
  private _showLesson(): void {
    let panel = this.querySelector<LessonPanel>(':scope > lesson-panel');
    if (!this._lesson) {
      panel?.remove();
      return;
    }
    if (!panel) {
      panel = document.createElement('lesson-panel');
      panel.slot = 'lesson';
      panel.addEventListener('lesson-next', this._onLessonNext);
      panel.addEventListener('lesson-close', this._onLessonClose);
      this.append(panel);
    }
    panel.lesson = this._lesson;
    panel.step = this._lessonStep;
  }

  private _onLessonNext = (): void => {
    if (!this._lesson) return;
    this._lessonStep = Math.min(this._lessonStep + 1, this._lesson.steps.length);
    this._checkLesson();
  };

  private _onLessonClose = (): void => {
    this._lesson = null;
    this.editor?.highlightCategory(null);
    this._showLesson();
  };

  private _onStartLesson(event: Event): void {
    const name = (event.currentTarget as HTMLElement).dataset.lesson!;
    this.startLesson(name);
  }

  openExample(name: string): string | null {
    const text = exampleText(name);
    if (text === null) {
      this._notice = t('unknownExample', { name });
      return this._notice;
    }
    const problem = this.openProject(text);
    if (problem) this._notice = t('exampleFailed', { name, reason: problem });
    return problem === null ? null : this._notice;
  }

  /**
   * Opens a project file's text as a new project; the project open before stays in the recent
   * list. Returns null when it opened, or the sentence that says why it could not (and then the
   * open project is left as it was, unsaved-over).
   */
  openProject(text: string): string | null {
    try {
      const project = parseProject(text);
      this._openAsNewProject(project);
      // The blocks that lost a secret say so themselves; the broker box cannot.
      this._notice = project.blanked?.some((entry) => 'setting' in entry)
        ? t('brokerPasswordLeftOut')
        : CODE_TYPES.some((type) => blockTypesIn(project.workspace).has(type))
          ? t('projectHasCode')
          : null;
      return null;
    } catch (error) {
      if (!(error instanceof ProjectFileError)) throw error;
      return error.message;
    }
  }

  /** Starts a new, empty project; the project open before stays in the recent list. */
  newProject(): void {
    this._openAsNewProject(emptyProject(this._newProjectName()));
    this._notice = null;
  }

  /**
   * The first project of this page: the example in the address if there is one, else the
   * project open last time, else (a first visit) an empty one.
   */
  private _openFirstProject(): void {
    const lesson = this._takeParamFromAddress(LESSON_PARAM);
    if (lesson !== null && this.startLesson(lesson) === null) return;
    const example = this._takeExampleFromAddress();
    if (example !== null && this.openExample(example) === null) return;
    let id: string | null = null;
    try {
      id = this._store.currentId() ?? this._store.list()[0]?.id ?? null;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
    }
    if (id !== null) {
      if (this._reopen(id)) return;
      this._notice = t('lastProjectUnreadable');
    }
    this._openAsNewProject(emptyProject(t('firstProjectName')));
  }

  /** The example named in the address, taken out of it so a reload does not open it again. */
  private _takeExampleFromAddress(): string | null {
    return this._takeParamFromAddress(EXAMPLE_PARAM);
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

  /**
   * Opens saved project `id` from its newest version that still opens; when that is not the
   * newest, says so and saves it again as the newest. Returns false (and changes nothing) when
   * no version opens.
   */
  private _reopen(id: string): boolean {
    let versions;
    try {
      versions = this._store.versions(id);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
      return false;
    }
    for (const [index, version] of versions.entries()) {
      let project: Project;
      try {
        project = parseProject(version.text);
        this._show(id, project);
      } catch (error) {
        if (!(error instanceof ProjectFileError)) throw error;
        continue;
      }
      // The newest is the one to save after, even a damaged one.
      this._newestTime = versions[0].time;
      if (index === 0) {
        this._lastSavedText = version.text;
      } else {
        this._notice = t('restoredOlderVersion', {
          name: project.settings.name,
          time: new Date(version.time).toLocaleTimeString(),
        });
      }
      this._saveNow();
      return true;
    }
    return false;
  }

  /**
   * Opens `project` as a new project in the store. Throws `ProjectFileError` (changing nothing)
   * when its blocks cannot be loaded; the project open before is saved first and stays.
   */
  private _openAsNewProject(project: Project): void {
    const workspace = this.editor?.workspace;
    if (!workspace) throw new ProjectFileError(t('studioNotReady'));
    this._saveNow();
    this._show(this._store.newId(), project);
    this._lastSavedText = null;
    this._newestTime = null;
    this._saveNow();
  }

  /**
   * Shows `project` as project `id`: its blocks (loaded first into a scratch workspace, so one
   * that cannot be loaded throws `ProjectFileError` and changes nothing), settings and a fresh
   * undo history. A program still running belongs to the project before, so it stops.
   */
  private _show(id: string, project: Project): void {
    const workspace = this.editor?.workspace;
    if (!workspace) throw new ProjectFileError(t('studioNotReady'));
    // Drawn in view first; code and saving read the copy until every block is drawn.
    this.editor!.openProgram(loadProjectCopy(project), project.workspace);
    // Undoing must not reach back into the project before.
    workspace.clearUndo();
    this._projectId = id;
    this._settings = project.settings;
    this._customBrokerError = false;
    this._renaming = false;
    this._updateUndo();
    if (this._running) void this._onStop();
    try {
      this._store.setCurrent(id);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
    }
    // Editing, unless another tab that edits this project answers.
    this._setReadOnly(null);
    this._tabs?.open(id);
  }

  /** "My project 2", "My project 3", …: the first such name no saved project has. */
  private _newProjectName(): string {
    let names = new Set<string | null>();
    try {
      names = new Set(this._store.list().map((p) => p.name));
    } catch {
      // Unavailable storage is reported when saving; any name will do here.
    }
    for (let number = 2; ; number++) {
      const name = t('newProjectName', { number });
      if (!names.has(name)) return name;
    }
  }

  /** Marks the project changed and saves it at the next frame (several changes, one save). */
  private _scheduleSave(): void {
    if (!this._projectId || this._readOnly !== null) return;
    this._setSaveState('saving');
    this._saveFrame ||= requestAnimationFrame(() => {
      this._saveFrame = 0;
      this._saveNow();
    });
  }

  /**
   * Saves the open project now if it changed since its last save. Serializing every time, not
   * only after a reported change, also catches a change whose report has not arrived yet (a
   * field edited just before the tab closed).
   */
  private _saveNow(): void {
    if (this._saveFrame) cancelAnimationFrame(this._saveFrame);
    this._saveFrame = 0;
    const workspace = this.editor?.program;
    // A tab that only shows the project never saves it: the editing tab does.
    if (!workspace || !this._projectId || this._readOnly !== null) return;
    const text = JSON.stringify(saveProject(workspace, this._settings));
    if (text === this._lastSavedText) {
      this._setSaveState('saved');
      return;
    }
    try {
      this._newestTime = this._store.save(this._projectId, text, this._newestTime);
    } catch (error) {
      if (error instanceof SaveConflict) {
        this._saveAsCopy();
        return;
      }
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
      return;
    }
    this._lastSavedText = text;
    this._setSaveState('saved');
  }

  /**
   * Another tab saved the open project since this one last did (both edited it: the tabs'
   * messages missed each other). Saving would put this tab's version over the other's, so this
   * tab's work becomes a project of its own, under a name that says where it came from.
   */
  private _saveAsCopy(): void {
    const workspace = this.editor?.program;
    if (!workspace) return;
    const name = this._settings.name;
    const settings = { ...this._settings, name: t('conflictCopyName', { name }) };
    const id = this._store.newId();
    const text = JSON.stringify(saveProject(workspace, settings));
    try {
      this._newestTime = this._store.save(id, text, null);
      this._store.setCurrent(id);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
      return;
    }
    this._projectId = id;
    this._settings = settings;
    this._lastSavedText = text;
    this._tabs?.open(id);
    this._notice = t('savedAsCopy', { name, copy: settings.name });
    this._setSaveState('saved');
  }

  /** Shows that saving failed, with why and what to do, once per failure. */
  private _saveFailed(problem: StoreProblem): void {
    if (this._saveState !== 'error' || this._saveProblem !== problem) {
      this._notice = t('saveFailedNotice', { reason: t(STORE_PROBLEMS[problem]) });
    }
    this._saveProblem = problem;
    this._setSaveState('error');
  }

  private _setSaveState(state: SaveState): void {
    if (state !== 'error') this._saveProblem = null;
    this._saveState = state;
    // At once, not at the next render: tests and tools read it right after a save.
    this.dataset.saveState = state;
  }

  private _onPageHide = (): void => {
    this._saveNow();
    // A page kept in the back-forward cache must not answer for a project it no longer shows.
    this._leaveTabs();
  };

  /** Back from the back-forward cache: another tab may have edited the project meanwhile. */
  private _onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    if (this._isBehind()) this._showNewest();
    this._setReadOnly(null);
    this._joinTabs();
  };

  /** Starts talking to the other studio tabs, and says which project this one has open. */
  private _joinTabs(): void {
    if (this._tabs) return;
    this._tabs = new EditorTabs(this._tabHost);
    if (this._projectId) this._tabs.open(this._projectId);
  }

  private _leaveTabs(): void {
    this._tabs?.close();
    this._tabs = null;
    this._takingOver = false;
  }

  /** Whether another tab saved the open project since this tab last saved or read it. */
  private _isBehind(): boolean {
    if (!this._projectId) return false;
    try {
      return this._store.newestTime(this._projectId) !== this._newestTime;
    } catch {
      return false;
    }
  }

  /** Another tab saved: a tab that only shows the project shows the new version (once a frame). */
  private _onStorage = (event: StorageEvent): void => {
    if (this._readOnly === null || this._takingOver || event.key === null) return;
    if (this._store.projectOfKey(event.key) !== this._projectId) return;
    // Frames do not run in a hidden tab: it catches up once it is looked at.
    this._followFrame ||= requestAnimationFrame(() => {
      this._followFrame = 0;
      if (this._readOnly !== null && this._isBehind()) this._showNewest();
    });
  };

  /**
   * Shows the open project's newest version that opens (a tab that only shows it follows the
   * editing tab; a tab that takes over starts from the other's last save), where the child was
   * looking: same scroll, same zoom, and no undo into what was shown before.
   */
  private _showNewest(): void {
    const workspace = this.editor?.workspace;
    if (!workspace || !this._projectId) return;
    let versions;
    try {
      versions = this._store.versions(this._projectId);
    } catch {
      return;
    }
    for (const [index, version] of versions.entries()) {
      let project: Project;
      try {
        project = parseProject(version.text);
        const { scrollX, scrollY, scale } = workspace;
        this.editor!.loadBlocks((target) => loadProject(target, project));
        if (workspace.scale !== scale) workspace.setScale(scale);
        workspace.scroll(scrollX, scrollY);
      } catch (error) {
        if (!(error instanceof ProjectFileError)) throw error;
        continue;
      }
      workspace.clearUndo();
      this._updateUndo();
      this._settings = project.settings;
      this._customBrokerError = false;
      this._lastSavedText = index === 0 ? version.text : null;
      this._newestTime = versions[0].time;
      return;
    }
  }

  /** This tab edits the project (`reason` null) or only shows it, and why. */
  private _setReadOnly(reason: ShowingReason | null): void {
    if (reason !== null) {
      if (this._saveFrame) cancelAnimationFrame(this._saveFrame);
      this._saveFrame = 0;
      this._renaming = false;
      this._setSaveState('saved');
      // An open field editor or menu would still let a change in.
      this.editor?.workspace?.hideChaff();
    }
    this._readOnly = reason;
    if (reason === null) delete this.dataset.readOnly;
    else this.dataset.readOnly = reason;
    const workspace = this.editor?.workspace;
    if (!workspace || workspace.isReadOnly() === (reason !== null)) return;
    workspace.setIsReadOnly(reason !== null);
    // Blockly styles a block's fields as editable or not when it draws them, and again only
    // when the block's own setting changes: set it again, so they look (and take clicks) as
    // they now are.
    for (const block of workspace.getAllBlocks(false)) block.setEditable(block.isOwnEditable());
  }

  /** Edit here: takes the project over from the tab that edits it, starting from its last save. */
  private async _onEditHere(): Promise<void> {
    const tabs = this._tabs;
    if (!tabs || this._readOnly === null || this._takingOver) return;
    this._takingOver = true;
    const result = await tabs.takeOver();
    if (result !== null && result !== 'unanswered') await this._storeReaches(result.newest);
    if (result !== null && this._tabs === tabs) {
      this._showNewest();
      this._setReadOnly(null);
    }
    this._takingOver = false;
  }

  /**
   * Resolves once this tab's view of the store has the open project's version saved at `time`
   * (another tab's write reaches this one with a `storage` event), or after STORE_CATCH_UP_MS.
   */
  private _storeReaches(time: number | null): Promise<void> {
    return new Promise((resolve) => {
      const reached = () => {
        try {
          return (this._store.newestTime(this._projectId) ?? -1) >= (time ?? -1);
        } catch {
          return true;
        }
      };
      const done = () => {
        clearTimeout(timer);
        removeEventListener('storage', check);
        resolve();
      };
      const check = () => {
        if (reached()) done();
      };
      const timer = setTimeout(done, STORE_CATCH_UP_MS);
      addEventListener('storage', check);
      check();
    });
  }

  private _onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this._saveNow();
  };

  /** Enables Undo and Redo when there is something to undo or redo. */
  private _updateUndo(): void {
    const workspace = this.editor?.workspace;
    this._canUndo = (workspace?.getUndoStack().length ?? 0) > 0;
    this._canRedo = (workspace?.getRedoStack().length ?? 0) > 0;
  }

  private _undo(redo: boolean): void {
    const workspace = this.editor?.workspace;
    if (!workspace || this._readOnly !== null) return;
    // As Blockly's own shortcut does: an open dropdown or field editor would be left stale.
    workspace.hideChaff();
    workspace.undo(redo);
    this._updateUndo();
  }

  /**
   * Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl+Y outside the workspace (Blockly handles them inside
   * it, and text boxes have their own undo).
   */
  private _onKeyDown = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    const redo =
      (key === 'z' && event.shiftKey) || (key === 'y' && event.ctrlKey && !event.shiftKey);
    if (!redo && !(key === 'z' && !event.shiftKey)) return;
    const path = event.composedPath();
    const editor = this.editor;
    if ((editor && path.includes(editor)) || path.some(isTextEntry)) return;
    event.preventDefault();
    this._undo(redo);
  };

  private _onNew(): void {
    this.newProject();
  }

  private _onOpen(): void {
    this.renderRoot.querySelector<HTMLInputElement>('[data-input="open"]')!.click();
  }

  private async _onFileChosen(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared, so choosing the same file again (after fixing it) opens it again.
    input.value = '';
    if (file) await this._openFile(file);
  }

  /** Opens `file` as a new project, or says in the notice area why it cannot. */
  private async _openFile(file: File): Promise<void> {
    let text: string;
    try {
      text = await file.text();
    } catch {
      this._notice = t('openFailed', { file: file.name, reason: t('fileUnreadable') });
      return;
    }
    const problem = /\.py$/i.test(file.name)
      ? await this.openMicroPython(text, file.name.replace(/\.py$/i, ''))
      : this.openProject(text);
    if (problem) this._notice = t('openFailed', { file: file.name, reason: problem });
  }

  /**
   * Opens a MicroPython program as blocks in a new project (the importer is loaded only now, in
   * its own chunk); the project open before stays in the recent list. Returns null when it
   * opened, or the sentence that says why not (a syntax error's line and column); then nothing
   * changed.
   */
  async openMicroPython(text: string, name: string): Promise<string | null> {
    const { importMicroPython, PythonSyntaxError } =
      await import('../../generators/micropython/import/index.ts');
    let imported;
    try {
      imported = importMicroPython(text);
    } catch (error) {
      if (!(error instanceof PythonSyntaxError)) throw error;
      return t('pythonSyntaxError', {
        line: String(error.line),
        column: String(error.column),
        text: error.lineText.trim(),
      });
    }
    try {
      this._openAsNewProject({ ...emptyProject(name), workspace: imported.workspace });
    } catch (error) {
      if (!(error instanceof ProjectFileError)) throw error;
      return error.message;
    }
    // Laid out top to bottom in the program's order (the order decides main.py's order too).
    this.editor?.workspace?.cleanUp();
    this._notice = imported.codeBlocks
      ? t('importedWithCode', { count: String(imported.codeBlocks) })
      : null;
    return null;
  }

  /**
   * The MicroPython tab's edit: text that parses replaces the blocks as one undoable step (Undo
   * brings the blocks before back); text that does not shows its line and changes nothing.
   */
  private async _onApplyMicroPython(event: CustomEvent<ApplyMicroPythonDetail>): Promise<void> {
    const panel = event.target as CodePanel;
    const workspace = this.editor?.workspace;
    if (!workspace || this._readOnly !== null) return;
    const { importMicroPython, PythonSyntaxError } =
      await import('../../generators/micropython/import/index.ts');
    let imported;
    try {
      imported = importMicroPython(event.detail.code);
      // Loaded into a scratch workspace first: blocks that cannot be loaded change nothing.
      const scratch = new Blockly.Workspace();
      try {
        Blockly.serialization.workspaces.load(imported.workspace, scratch);
      } finally {
        scratch.dispose();
      }
    } catch (error) {
      if (!(error instanceof PythonSyntaxError)) {
        panel.editError = { line: 0, message: (error as Error).message };
        return;
      }
      panel.editError = {
        line: error.line,
        message: t('editErrorAtLine', {
          line: String(error.line),
          column: String(error.column),
          text: error.lineText.trim(),
        }),
      };
      return;
    }
    Blockly.Events.setGroup(true);
    try {
      Blockly.serialization.workspaces.load(imported.workspace, workspace, { recordUndo: true });
    } finally {
      Blockly.Events.setGroup(false);
    }
    panel.editError = null;
    panel.editing = false;
    this._notice = imported.codeBlocks
      ? t('importedWithCode', { count: String(imported.codeBlocks) })
      : null;
  }

  private get _pasteDialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog.paste-python');
  }

  private _onPasteMicroPython(): void {
    this._pasteError = null;
    this._pasteDialog?.showModal();
  }

  private _onPasteCancel(): void {
    this._pasteDialog?.close();
  }

  private _onPasteClosed(): void {
    this._pasteError = null;
  }

  private async _onPasteSubmit(event: SubmitEvent): Promise<void> {
    // The dialog stays open until the program opened: an error is shown in it.
    event.preventDefault();
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('[data-input="paste-python"]')!;
    const problem = await this.openMicroPython(area.value, t('pastedProjectName'));
    this._pasteError = problem;
    if (problem === null) {
      area.value = '';
      this._pasteDialog?.close();
    }
  }

  private _onSave(): void {
    const workspace = this.editor?.program;
    if (!workspace) return;
    this._saveNow();
    const text = JSON.stringify(saveProject(workspace, this._settings), null, 2);
    this._download(projectFileName(this._settings.name), `${text}\n`, 'application/json');
  }

  /**
   * Downloads a copy of the project to give to others: without the WiFi password, the MQTT
   * password, the OneNET device key or a password in the broker address, and saying which it
   * left out, so the blocks that lost one ask for it where the copy is opened.
   */
  private _onSaveShared(): void {
    const workspace = this.editor?.program;
    if (!workspace) return;
    this._saveNow();
    const copy = sharedCopy(saveProject(workspace, this._settings));
    const text = JSON.stringify(copy, null, 2);
    const name = projectFileName(t('sharedFileName', { name: this._settings.name }));
    this._download(name, `${text}\n`, 'application/json');
  }

  private _onRecentToggle(event: CustomEvent<MenuToggleDetail>): void {
    if (!event.detail.open) return;
    // The list as it is now: another tab may have saved projects too.
    this._saveNow();
    try {
      this._recent = this._store.list();
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._recent = [];
      this._saveFailed(error.problem);
    }
  }

  private _onOpenRecent(event: CustomEvent<OpenRecentDetail>): void {
    const { id } = event.detail;
    if (id === this._projectId) return;
    this._saveNow();
    this._notice = null;
    if (!this._reopen(id)) this._notice = t('recentUnreadable');
  }

  private _stopFollowingLanguage = (): void => {};
  /** The running program's link to the teacher's classroom wall, on the studio's own broker. */
  private _boardLink: BoardLink | null = null;

  /** A name the studio gave ("My first project") follows the language; a child's own stays. */
  private _nameInLanguage = (lang: Language): void => {
    const name = defaultNameIn(this._settings.name, lang);
    if (name === null || name === this._settings.name || this._readOnly !== null) return;
    this._settings = { ...this._settings, name };
    this._scheduleSave();
  };

  private _onRename(): void {
    if (this._readOnly !== null) return;
    this._renaming = true;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector<HTMLInputElement>(
        '[data-setting="project-name"]',
      );
      input?.focus();
      input?.select();
    });
  }

  private _onNameKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this._commitName(event.target as HTMLInputElement);
    else if (event.key === 'Escape') this._renaming = false;
  }

  private _onNameBlur(event: FocusEvent): void {
    if (this._renaming) this._commitName(event.target as HTMLInputElement);
  }

  /** Takes the typed name (an empty one changes nothing) and saves it with the project. */
  private _commitName(input: HTMLInputElement): void {
    this._renaming = false;
    const name = input.value.replace(/\s+/g, ' ').trim();
    if (!name || name === this._settings.name) return;
    this._settings = { ...this._settings, name };
    this._scheduleSave();
  }

  private _onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Accepting the drag is what makes the browser deliver the drop here.
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
    this._dropHint = true;
  };

  private _onDragLeave = (event: DragEvent): void => {
    // Leaving for somewhere outside the studio (or the window): the hint goes.
    const to = event.relatedTarget;
    if (
      !(to instanceof Node) ||
      !(to === this || this.contains(to) || this.renderRoot.contains(to))
    ) {
      this._dropHint = false;
    }
  };

  private _onDrop = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this._dropHint = false;
    const file = event.dataTransfer?.files[0];
    if (file) void this._openFile(file);
  };

  /** Generates both languages; the panel gets new values only when what it shows changes. */
  private _regenerate(): void {
    const workspace = this.editor?.program;
    if (!workspace) return;
    const micropython = measured('generate MicroPython', () => generateMicroPython(workspace));
    const typescript = measured('generate TypeScript', () => generateTypeScript(workspace));
    this.dataset.generations = String(++this._generations);
    if (!sameProgram(this._micropython, micropython)) this._micropython = micropython;
    if (!sameProgram(this._typescript, typescript)) this._typescript = typescript;
  }

  private _onProgramChanged(): void {
    this._regenerate();
    this._updateUndo();
    this._scheduleSave();
    this._checkLesson();
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
  /** The board the console talks to: the client ID of the first connect block, MQTT or OneNET. */
  private _setBoard(board: BoardState): void {
    this._board = board;
    this._checkLesson();
    this._boardLink?.show(this._settings.name, board);
    const element = this.renderRoot?.querySelector('virtual-board');
    if (element) element.state = board;
    else this.requestUpdate();
  }

  private _deviceId(): string {
    const workspace = this.editor?.program;
    const mqtt = workspace?.getBlocksByType('mqtt_connect', false)[0];
    if (mqtt) return String(mqtt.getFieldValue('CLIENT_ID'));
    const onenet = workspace?.getBlocksByType('onenet_connect', false)[0];
    return onenet ? String(onenet.getFieldValue('DEVICE_NAME')) : '';
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
    this._runningProgram = program;
    this._running = true;
    this._programId = this._deviceId();
    this._endReason = undefined;
    this.editor?.clearRunErrors();
    // What the program prints and receives is what a child looks at next.
    this._sideTab = 'messages';
    this._setBoard(idleBoard({ light: this._board.light, sound: this._board.sound }));
    this._console?.addProgramLine({ kind: 'info', text: studioWords('programStarted') });
    let target = brokerTarget(this._settings.browserBroker, location.href);
    // On the studio's own broker the teacher's classroom wall mirrors the board (src/class/).
    this._boardLink?.close();
    this._boardLink = null;
    if (this._settings.browserBroker.kind === 'embedded') {
      const run = newRunSecret();
      target = { ...target, url: withRunSecret(target.url, run) };
      this._boardLink = new BoardLink(
        boardChannelUrl(location.href),
        run,
        () => void this._onStop(),
      );
      this._boardLink.show(this._settings.name, this._board);
    }
    await this._runner.run(program.code, target, (message) => this._onProgramMessage(message));
  }

  private async _onStop(): Promise<void> {
    if (!this._running) return;
    this._running = false;
    this._programId = '';
    this._boardLink?.close();
    this._boardLink = null;
    await this._runner.stop();
    this._setBoard(idleBoard({ light: this._board.light, sound: this._board.sound }));
    this._console?.addProgramLine({ kind: 'info', text: studioWords('programStopped') });
    this._runner.prewarm();
  }

  private _onProgramMessage(message: FromWorker): void {
    switch (message.type) {
      case 'board':
        this._setBoard({ ...this._board, ...message.patch });
        break;
      case 'status':
        if (message.status === 'online' || message.status === 'offline') {
          this._setBoard({ ...this._board, online: message.status === 'online' });
        } else if (message.status === 'ended') {
          this._setBoard({ ...this._board, online: false });
          this._console?.addProgramLine({ kind: 'info', text: studioWords('programEnded') });
          this.renderRoot.querySelector('virtual-board')?.programEnded(this._endReason);
        }
        break;
      case 'print':
        this._console?.addProgramLine({ kind: 'print', text: message.text });
        break;
      case 'notice':
        this._console?.addProgramLine({ kind: 'error', text: workerWords(message) });
        this._sideTab = 'messages';
        break;
      case 'error': {
        const blockId = this._blockAtLines(message.lines ?? [message.line]);
        const { handler } = message;
        const said = workerWords(message);
        const text: Wording = handler
          ? (in_: Language) => handlerFailed(handler, worded(said, in_), in_)
          : said;
        // A top-level error ends the program: the board says so when it has ended.
        if (!message.handler) this._endReason = message.message;
        this._console?.addProgramLine({ kind: 'error', text, blockId });
        this._sideTab = 'messages';
        if (blockId) {
          this._showBlock(blockId);
          this.editor?.showRunError(blockId, worded(text));
        }
        break;
      }
    }
  }

  /**
   * The block that produced the first of `lines` (1-based, innermost first) that a block made:
   * an error thrown inside a helper function is shown at the block that called it.
   */
  private _blockAtLines(lines: (number | undefined)[]): string | undefined {
    if (!this._runningProgram) return undefined;
    for (const line of lines) {
      const id = line ? this._runningProgram.lineBlocks[line - 1] : null;
      if (id && this.editor?.program?.getBlockById(id)) return id;
    }
    return undefined;
  }

  /** Selects block `id` and scrolls the workspace to it. */
  private _showBlock(id: string): void {
    // A program still being drawn may not have drawn that block yet.
    this.editor?.finishOpening();
    const workspace = this.editor?.workspace;
    const block = workspace?.getBlockById(id);
    if (!workspace || !block) return;
    workspace.centerOnBlock(id);
    block.select();
  }

  private _onSideTab(tab: SideTab): void {
    this._sideTab = tab;
    if (tab === 'board' && !this._boardPanelWanted) {
      // Web Serial and the uploader load only for those who use them.
      this._boardPanelWanted = true;
      void import('./serial-panel.ts');
    }
  }

  private _onShowBlock(event: CustomEvent<ShowBlockDetail>): void {
    this._showBlock(event.detail.blockId);
  }

  private _onBoardInput(event: CustomEvent<BoardInput>): void {
    const input = event.detail;
    if (input.kind === 'light' || input.kind === 'sound') {
      this._setBoard({ ...this._board, [input.kind]: input.level });
    }
    this._runner.input(input);
  }

  private _onAnnounceChange(event: Event): void {
    this._announce = (event.target as HTMLInputElement).checked;
    rememberAnnouncements(this._announce);
  }

  private _onBrokerChoice(event: Event): void {
    if (this._readOnly !== null) return;
    const value = (event.target as HTMLSelectElement).value;
    const choice = BROKER_CHOICES.find(([v]) => v === value);
    const setting: BrowserBroker = choice?.[2] ?? { kind: 'custom', url: '' };
    this._customBrokerError = false;
    this._settings = { ...this._settings, browserBroker: setting };
    this._scheduleSave();
  }

  private _onCustomBrokerUrl(event: Event): void {
    if (this._readOnly !== null) return;
    // The box shows the password as •••: an unchanged ••• keeps the stored one.
    const current = this._settings.browserBroker;
    const url = withStoredPassword(
      (event.target as HTMLInputElement).value.trim(),
      current.kind === 'custom' ? current.url : '',
    );
    this._customBrokerError = !isBrokerUrl(url);
    if (!this._customBrokerError) {
      this._settings = { ...this._settings, browserBroker: { kind: 'custom', url } };
      this._scheduleSave();
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
