/**
 * The open project's life, as a reactive controller of the studio: opening (a new project, a
 * file, an example, a recent project, MicroPython), saving every change in this browser within a
 * frame (`ProjectStore`, the last few versions kept; when the newest cannot be read the one
 * before it opens), the Recent list, renaming, the browser-broker setting and the downloads.
 * New projects, files, examples and recent projects each open as their own project, so nothing a
 * child made is ever replaced. The project's settings (its name and browser broker) live in the
 * project itself: in every saved version and in the file Save downloads.
 *
 * One project has one editor: when another tab of this browser already edits the project this
 * tab opens, this tab only shows it (and follows its saves) until the child takes it over here,
 * and then the other tab only shows it (`EditorTabs`). A tab that only shows never saves.
 * "Save a copy to share" downloads the project without its passwords and keys (`sharedCopy`).
 *
 * The blocks and the page stay behind `ProjectView` and `ProjectSessionOptions`, so the session
 * runs in Node as it does in the studio.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { exampleText } from '../examples/index.ts';
import { onLanguageChange, type Language } from '../i18n/language.ts';
import { EditorTabs, type ShowingReason, type TabHost } from '../project/editor-tabs.ts';
import {
  PROJECT_FORMAT,
  PROJECT_VERSION,
  ProjectFileError,
  blockTypesIn,
  defaultSettings,
  parseProject,
  projectFileName,
  type BrowserBroker,
  type Project,
  type ProjectSettings,
} from '../project/project-file.ts';
import {
  ProjectStore,
  SaveConflict,
  StoreError,
  type ProjectSummary,
  type StoreProblem,
} from '../project/project-store.ts';
import { sharedCopy } from '../project/secrets.ts';
import { CODE_TYPES } from '../editor/code-block.ts';
import type { EditError } from './code-panel.ts';
import { download } from './download.ts';
import { defaultNameIn, t, type StringKey } from './strings.ts';

/** Where the project's latest changes are: in storage, on their way there, or refused. */
export type SaveState = 'saving' | 'saved' | 'error';

/** What each storage problem is called in sentences. */
export const STORE_PROBLEMS: Record<StoreProblem, StringKey> = {
  full: 'saveProblemFull',
  unavailable: 'saveProblemUnavailable',
};

/**
 * How long a tab that takes a project over waits for the other tab's last save to reach its view
 * of localStorage (it arrives a moment after the other tab's message, or with it).
 */
export const STORE_CATCH_UP_MS = 2000;

/** A project with no blocks yet, called `name`. */
export function emptyProject(name: string): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings: defaultSettings(name),
    workspace: {},
  };
}

/** What the session needs of the block editor (the studio gives it one). */
export interface ProjectView {
  /** The program as it is now, with `settings`, as a project; null while the editor is not ready. */
  save(settings: ProjectSettings): Project | null;
  /**
   * Shows `project`'s blocks with a fresh undo history. Throws `ProjectFileError`, changing
   * nothing, when they cannot be loaded or the editor is not ready.
   */
  show(project: Project): void;
  /**
   * Shows `project`'s blocks instead of those shown (another tab saved them), where the child was
   * looking, with a fresh undo history. Throws `ProjectFileError`, changing nothing, as `show`.
   */
  follow(project: Project): void;
  /**
   * Replaces the program's blocks with those `state` describes, as one undoable step; throws,
   * changing nothing, when they cannot be loaded.
   */
  replace(state: Record<string, unknown>): void;
  /** Lays the blocks out top to bottom in the program's order (after a MicroPython import). */
  arrange(): void;
  /** The tab edits the project (`reason` null) or only shows it, and why. */
  setReadOnly(reason: ShowingReason | null): void;
  /** Where the project's latest changes are, told at once (tests and tools read it then). */
  setSaveState(state: SaveState): void;
}

/** Animation frames: several changes in one frame make one save. */
export interface Frames {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/**
 * The page's events the session follows: `pagehide`, `pageshow` and `storage` on the window,
 * `visibilitychange` on the document.
 */
export interface PageEvents {
  window: EventTarget;
  document: EventTarget & { readonly visibilityState: DocumentVisibilityState };
}

/** The parts of the page the session uses, replaceable in tests. */
export interface ProjectSessionOptions {
  /** The page (its window and document by default). */
  page?: PageEvents;
  store?: ProjectStore;
  /** This tab among the studio tabs of the browser. */
  tabs?: (host: TabHost) => EditorTabs;
  frames?: Frames;
  /** Saves `text` as file `filename` of MIME type `type`. */
  download?: (filename: string, text: string, type: string) => void;
  /** Loads the MicroPython importer (its own chunk, loaded only when used). */
  importer?: () => Promise<typeof import('../../generators/micropython/import/index.ts')>;
}

const browserFrames: Frames = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/** The open project: what it is called, where it is saved, who edits it. */
export class ProjectSession implements ReactiveController {
  private readonly _store: ProjectStore;
  private readonly _makeTabs: (host: TabHost) => EditorTabs;
  private readonly _frames: Frames;
  private readonly _download: (filename: string, text: string, type: string) => void;
  private readonly _importer: NonNullable<ProjectSessionOptions['importer']>;
  private readonly _page: PageEvents | null;

  private _settings: ProjectSettings = defaultSettings();
  /** The open project's id in the store; empty until the first project has opened. */
  private _projectId = '';
  private _saveState: SaveState = 'saved';
  private _saveProblem: StoreProblem | null = null;
  private _notice: string | null = null;
  private _recent: ProjectSummary[] = [];
  /** Why this tab only shows its project (another tab edits it), or null when it edits it. */
  private _readOnly: ShowingReason | null = null;
  /** Taking the project over from another tab: waiting for it to let go. */
  private _takingOver = false;
  /** The text of the open project's newest saved version: an unchanged project is not saved again. */
  private _lastSavedText: string | null = null;
  /**
   * The time of the open project's newest version as this tab knows it (null: none yet). A save
   * is refused when the store's newest is another: another tab saved in between.
   */
  private _newestTime: number | null = null;
  private _saveFrame = 0;
  /** This tab among the studio tabs of this browser (while connected and the page is shown). */
  private _tabs: EditorTabs | null = null;
  /** A frame that will show the newest saved version (a showing tab follows the editing one). */
  private _followFrame = 0;
  /** Those waiting for this tab's view of the store to change (a `storage` event). */
  private readonly _storageWaiters = new Set<() => void>();
  private _stopFollowingLanguage = (): void => {};
  private readonly _tabHost: TabHost = {
    isBehind: () => this._isBehind(),
    flush: () => {
      this.saveNow();
      return this._newestTime;
    },
    nowShowing: (reason) => this._setReadOnly(reason),
  };

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _view: ProjectView,
    options: ProjectSessionOptions = {},
  ) {
    this._store = options.store ?? new ProjectStore();
    this._makeTabs = options.tabs ?? ((host) => new EditorTabs(host));
    this._frames = options.frames ?? browserFrames;
    this._download = options.download ?? download;
    this._importer =
      options.importer ?? (() => import('../../generators/micropython/import/index.ts'));
    this._page =
      options.page ??
      (typeof document === 'undefined' || typeof addEventListener !== 'function'
        ? null
        : { window: globalThis as EventTarget, document });
    _host.addController(this);
  }

  /** The open project's name and browser broker. */
  get settings(): ProjectSettings {
    return this._settings;
  }

  /** The open project's id in this browser's saved projects (empty while starting). */
  get projectId(): string {
    return this._projectId;
  }

  /** Where the open project's latest changes are. */
  get saveState(): SaveState {
    return this._saveState;
  }

  /** Why saving failed, while it does. */
  get saveProblem(): StoreProblem | null {
    return this._saveProblem;
  }

  /** Why this tab only shows the project (another tab edits it), or null when it edits it. */
  get readOnly(): ShowingReason | null {
    return this._readOnly;
  }

  /** Whether this tab is taking the project over from another (waiting for it to let go). */
  get takingOver(): boolean {
    return this._takingOver;
  }

  /** The saved projects as they were when the Recent menu last opened. */
  get recent(): ProjectSummary[] {
    return this._recent;
  }

  /** What the child should know now (shown above the workspace), or null. */
  get notice(): string | null {
    return this._notice;
  }

  set notice(notice: string | null) {
    this._notice = notice;
    this._host.requestUpdate();
  }

  hostConnected(): void {
    // The last chance to save before a reload, a closed tab or a switch to another app; a page
    // that is hidden may be discarded without another word.
    this._page?.window.addEventListener('pagehide', this._onPageHide);
    this._page?.window.addEventListener('pageshow', this._onPageShow);
    this._page?.window.addEventListener('storage', this._onStorage);
    this._page?.document.addEventListener('visibilitychange', this._onVisibilityChange);
    this._stopFollowingLanguage = onLanguageChange(this._nameInLanguage);
    // Moved back into the page: say again which project this tab has open.
    this._joinTabs();
  }

  hostDisconnected(): void {
    this.saveNow();
    this._leaveTabs();
    if (this._followFrame) this._frames.cancel(this._followFrame);
    this._followFrame = 0;
    this._page?.window.removeEventListener('pagehide', this._onPageHide);
    this._page?.window.removeEventListener('pageshow', this._onPageShow);
    this._page?.window.removeEventListener('storage', this._onStorage);
    this._page?.document.removeEventListener('visibilitychange', this._onVisibilityChange);
    this._stopFollowingLanguage();
  }

  /**
   * Opens a project file's text as a new project; the project open before stays in the recent
   * list. Returns null when it opened, or the sentence that says why it could not (and then the
   * open project is left as it was, unsaved-over).
   */
  openProject(text: string): string | null {
    try {
      const project = parseProject(text);
      this.openAsNew(project);
      // The blocks that lost a secret say so themselves; the broker box cannot.
      this.notice = project.blanked?.some((entry) => 'setting' in entry)
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

  /**
   * Opens example `name` as a new project; the project open before stays in the recent list.
   * Returns null when it opened, or the sentence that says why not (also shown in the notice
   * area; the open project is then left as it was).
   */
  openExample(name: string): string | null {
    const text = exampleText(name);
    if (text === null) {
      this.notice = t('unknownExample', { name });
      return this._notice;
    }
    const problem = this.openProject(text);
    if (problem) this.notice = t('exampleFailed', { name, reason: problem });
    return problem === null ? null : this._notice;
  }

  /** Starts a new, empty project; the project open before stays in the recent list. */
  newProject(): void {
    this.openAsNew(emptyProject(this._newProjectName()));
    this.notice = null;
  }

  /** The project open last time in this browser, else (a first visit) an empty one. */
  openLast(): void {
    let id: string | null = null;
    try {
      id = this._store.currentId() ?? this._store.list()[0]?.id ?? null;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._saveFailed(error.problem);
    }
    if (id !== null) {
      if (this._reopen(id)) return;
      this.notice = t('lastProjectUnreadable');
    }
    this.openAsNew(emptyProject(t('firstProjectName')));
  }

  /** Opens saved project `id` (from the Recent menu); says so when none of its versions opens. */
  openRecent(id: string): void {
    if (id === this._projectId) return;
    this.saveNow();
    this.notice = null;
    if (!this._reopen(id)) this.notice = t('recentUnreadable');
  }

  /** Reads the saved projects again for the Recent menu (another tab may have saved some). */
  refreshRecent(): void {
    this.saveNow();
    try {
      this._recent = this._store.list();
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      this._recent = [];
      this._saveFailed(error.problem);
    }
    this._host.requestUpdate();
  }

  /** Opens `file` (a project file, or MicroPython when it ends in `.py`) as a new project, or says in the notice area why it cannot. */
  async openFile(file: Blob & { readonly name: string }): Promise<void> {
    let text: string;
    try {
      text = await file.text();
    } catch {
      this.notice = t('openFailed', { file: file.name, reason: t('fileUnreadable') });
      return;
    }
    const problem = /\.py$/i.test(file.name)
      ? await this.openMicroPython(text, file.name.replace(/\.py$/i, ''))
      : this.openProject(text);
    if (problem) this.notice = t('openFailed', { file: file.name, reason: problem });
  }

  /**
   * Opens a MicroPython program as blocks in a new project (the importer is loaded only now, in
   * its own chunk); the project open before stays in the recent list. Returns null when it
   * opened, or the sentence that says why not (a syntax error's line and column); then nothing
   * changed.
   */
  async openMicroPython(text: string, name: string): Promise<string | null> {
    const { importMicroPython, PythonSyntaxError } = await this._importer();
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
      this.openAsNew({ ...emptyProject(name), workspace: imported.workspace });
    } catch (error) {
      if (!(error instanceof ProjectFileError)) throw error;
      return error.message;
    }
    // Laid out top to bottom in the program's order (the order decides main.py's order too).
    this._view.arrange();
    this.notice = imported.codeBlocks
      ? t('importedWithCode', { count: String(imported.codeBlocks) })
      : null;
    return null;
  }

  /**
   * The MicroPython tab's edit: text that parses replaces the blocks as one undoable step (Undo
   * brings the blocks before back) and null is returned; text that does not gives where and why
   * (`line` 0 when no line is to blame) and changes nothing.
   */
  async applyMicroPython(code: string): Promise<EditError | null> {
    const { importMicroPython, PythonSyntaxError } = await this._importer();
    let imported;
    try {
      imported = importMicroPython(code);
      this._view.replace(imported.workspace);
    } catch (error) {
      if (!(error instanceof PythonSyntaxError)) {
        return { line: 0, message: (error as Error).message };
      }
      return {
        line: error.line,
        message: t('editErrorAtLine', {
          line: String(error.line),
          column: String(error.column),
          text: error.lineText.trim(),
        }),
      };
    }
    this.notice = imported.codeBlocks
      ? t('importedWithCode', { count: String(imported.codeBlocks) })
      : null;
    return null;
  }

  /**
   * Opens `project` as a new project in the store. Throws `ProjectFileError` (changing nothing)
   * when its blocks cannot be loaded; the project open before is saved first and stays.
   */
  openAsNew(project: Project): void {
    this.saveNow();
    this._show(this._store.newId(), project);
    this._lastSavedText = null;
    this._newestTime = null;
    this.saveNow();
  }

  /** Renames the project (an empty name, or the same, changes nothing) and saves it. */
  rename(typed: string): void {
    const name = typed.replace(/\s+/g, ' ').trim();
    if (!name || name === this._settings.name || this._readOnly !== null) return;
    this._settings = { ...this._settings, name };
    this.changed();
  }

  /** Sets where the program goes online when Run is pressed, and saves it with the project. */
  setBroker(browserBroker: BrowserBroker): void {
    if (this._readOnly !== null) return;
    this._settings = { ...this._settings, browserBroker };
    this.changed();
  }

  /** Downloads the project file (after saving it here too). */
  save(): void {
    this.saveNow();
    const project = this._view.save(this._settings);
    if (!project) return;
    const text = JSON.stringify(project, null, 2);
    this._download(projectFileName(this._settings.name), `${text}\n`, 'application/json');
  }

  /**
   * Downloads a copy of the project to give to others: without the WiFi password, the MQTT
   * password, the OneNET device key or a password in the broker address, and saying which it
   * left out, so the blocks that lost one ask for it where the copy is opened.
   */
  saveShared(): void {
    this.saveNow();
    const project = this._view.save(this._settings);
    if (!project) return;
    const text = JSON.stringify(sharedCopy(project), null, 2);
    const name = projectFileName(t('sharedFileName', { name: this._settings.name }));
    this._download(name, `${text}\n`, 'application/json');
  }

  /** Marks the project changed and saves it at the next frame (several changes, one save). */
  changed(): void {
    if (!this._projectId || this._readOnly !== null) return;
    this._setSaveState('saving');
    this._saveFrame ||= this._frames.request(() => {
      this._saveFrame = 0;
      this.saveNow();
    });
  }

  /**
   * Saves the open project now if it changed since its last save. Serializing every time, not
   * only after a reported change, also catches a change whose report has not arrived yet (a
   * field edited just before the tab closed).
   */
  saveNow(): void {
    if (this._saveFrame) this._frames.cancel(this._saveFrame);
    this._saveFrame = 0;
    // A tab that only shows the project never saves it: the editing tab does.
    if (!this._projectId || this._readOnly !== null) return;
    const project = this._view.save(this._settings);
    if (!project) return;
    const text = JSON.stringify(project);
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

  /** The page is going away (or into the back-forward cache): save, and let the project go. */
  private _onPageHide = (): void => {
    this.saveNow();
    // A page kept in the back-forward cache must not answer for a project it no longer shows.
    this._leaveTabs();
  };

  /** Back from the back-forward cache: another tab may have edited the project meanwhile. */
  private _onPageShow = (event: Event): void => {
    if (!(event as PageTransitionEvent).persisted) return;
    if (this._isBehind()) this._showNewest();
    this._setReadOnly(null);
    this._joinTabs();
  };

  private _onVisibilityChange = (): void => {
    if (this._page?.document.visibilityState === 'hidden') this.saveNow();
  };

  private _onStorage = (event: Event): void => this._storageChanged((event as StorageEvent).key);

  /**
   * Another tab wrote `key` of the store: a tab that only shows the project shows the new
   * version (once a frame).
   */
  private _storageChanged(key: string | null): void {
    for (const waiter of [...this._storageWaiters]) waiter();
    if (this._readOnly === null || this._takingOver || key === null) return;
    if (this._store.projectOfKey(key) !== this._projectId) return;
    // Frames do not run in a hidden tab: it catches up once it is looked at.
    this._followFrame ||= this._frames.request(() => {
      this._followFrame = 0;
      if (this._readOnly !== null && this._isBehind()) this._showNewest();
    });
  }

  /** Edit here: takes the project over from the tab that edits it, starting from its last save. */
  async editHere(): Promise<void> {
    const tabs = this._tabs;
    if (!tabs || this._readOnly === null || this._takingOver) return;
    this._takingOver = true;
    this._host.requestUpdate();
    const result = await tabs.takeOver();
    if (result !== null && result !== 'unanswered') await this._storeReaches(result.newest);
    if (result !== null && this._tabs === tabs) {
      this._showNewest();
      this._setReadOnly(null);
    }
    this._takingOver = false;
    this._host.requestUpdate();
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
        this.notice = t('restoredOlderVersion', {
          name: project.settings.name,
          time: new Date(version.time).toLocaleTimeString(),
        });
      }
      this.saveNow();
      return true;
    }
    return false;
  }

  /**
   * Shows `project` as project `id`: its blocks (loaded first into a scratch workspace, so one
   * that cannot be loaded throws `ProjectFileError` and changes nothing), settings and a fresh
   * undo history.
   */
  private _show(id: string, project: Project): void {
    this._view.show(project);
    this._projectId = id;
    this._settings = project.settings;
    this._host.requestUpdate();
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

  /**
   * Another tab saved the open project since this one last did (both edited it: the tabs'
   * messages missed each other). Saving would put this tab's version over the other's, so this
   * tab's work becomes a project of its own, under a name that says where it came from.
   */
  private _saveAsCopy(): void {
    const name = this._settings.name;
    const settings = { ...this._settings, name: t('conflictCopyName', { name }) };
    const project = this._view.save(settings);
    if (!project) return;
    const id = this._store.newId();
    const text = JSON.stringify(project);
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
    this.notice = t('savedAsCopy', { name, copy: settings.name });
    this._setSaveState('saved');
  }

  /** Shows that saving failed, with why and what to do, once per failure. */
  private _saveFailed(problem: StoreProblem): void {
    if (this._saveState !== 'error' || this._saveProblem !== problem) {
      this.notice = t('saveFailedNotice', { reason: t(STORE_PROBLEMS[problem]) });
    }
    this._saveProblem = problem;
    this._setSaveState('error');
  }

  private _setSaveState(state: SaveState): void {
    if (state !== 'error') this._saveProblem = null;
    this._saveState = state;
    this._view.setSaveState(state);
    this._host.requestUpdate();
  }

  /** A name the studio gave ("My first project") follows the language; a child's own stays. */
  private _nameInLanguage = (lang: Language): void => {
    const name = defaultNameIn(this._settings.name, lang);
    if (name === null || name === this._settings.name || this._readOnly !== null) return;
    this._settings = { ...this._settings, name };
    this.changed();
    this._host.requestUpdate();
  };

  /** Starts talking to the other studio tabs, and says which project this one has open. */
  private _joinTabs(): void {
    if (this._tabs) return;
    this._tabs = this._makeTabs(this._tabHost);
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

  /**
   * Shows the open project's newest version that opens (a tab that only shows it follows the
   * editing tab; a tab that takes over starts from the other's last save), where the child was
   * looking: same scroll, same zoom, and no undo into what was shown before.
   */
  private _showNewest(): void {
    if (!this._projectId) return;
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
        this._view.follow(project);
      } catch (error) {
        if (!(error instanceof ProjectFileError)) throw error;
        continue;
      }
      this._settings = project.settings;
      this._lastSavedText = index === 0 ? version.text : null;
      this._newestTime = versions[0].time;
      this._host.requestUpdate();
      return;
    }
  }

  /** This tab edits the project (`reason` null) or only shows it, and why. */
  private _setReadOnly(reason: ShowingReason | null): void {
    if (reason !== null) {
      if (this._saveFrame) this._frames.cancel(this._saveFrame);
      this._saveFrame = 0;
      this._setSaveState('saved');
    }
    this._readOnly = reason;
    this._view.setReadOnly(reason);
    this._host.requestUpdate();
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
        this._storageWaiters.delete(check);
        resolve();
      };
      const check = () => {
        if (reached()) done();
      };
      const timer = setTimeout(done, STORE_CATCH_UP_MS);
      this._storageWaiters.add(check);
      check();
    });
  }
}
