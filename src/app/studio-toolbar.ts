/**
 * `<studio-toolbar>`: the studio's top bar. The brand, the Project menu (new, open, paste
 * MicroPython, save, examples, lessons, the program downloads), Recent, the project's name (a
 * button that becomes a box to rename it), where its changes are saved, Undo and Redo, Run and
 * Stop, and the language. It shows what it is given and says what the child chose in events: a
 * `toolbar-action`, a `start-lesson`, a `project-rename` and, from the Recent list, `open-recent`.
 *
 * It draws into the studio's own shadow root, not one of its own: the studio's hooks
 * (`[data-action="run"]`, `header`, the rename box as the studio's active element) and its Tab
 * order stay where pages, tests and scripts find them. Its styles go where it is drawn.
 */
import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { language } from '../i18n/language.ts';
import type { ShowingReason } from '../project/editor-tabs.ts';
import type { ProjectSummary, StoreProblem } from '../project/project-store.ts';
import { lessons } from '../lessons/index.ts';
import { filledButton, themeTokens } from '../theme/theme.ts';
import {
  downloadIcon,
  examplesIcon,
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
} from './icons.ts';
import { STORE_PROBLEMS, type SaveState } from './project-session.ts';
import './language-switch.ts';
import './recent-projects.ts';
import { StudioPiece } from './adopt-styles.ts';
import { t } from './strings.ts';
import './toolbar-menu.ts';
import type { MenuToggleDetail, ToolbarMenu } from './toolbar-menu.ts';

/** Longest project name the rename box takes (file names stay well inside every limit). */
const NAME_MAX_LENGTH = 80;

/** What a toolbar button asks the studio to do. */
export type ToolbarAction =
  | 'new'
  | 'open'
  | 'paste-micropython'
  | 'save'
  | 'save-shared'
  | 'examples'
  | 'download-micropython'
  | 'download-typescript'
  | 'recent'
  | 'undo'
  | 'redo'
  | 'run'
  | 'stop';

/** `toolbar-action`: a button was pressed (`recent`: the Recent menu is opening). */
export interface ToolbarActionDetail {
  action: ToolbarAction;
}

/** `start-lesson`: the child chose guided lesson `name` in the Project menu. */
export interface StartLessonDetail {
  name: string;
}

/** `project-rename`: the child typed a new name for the project (as typed). */
export interface ProjectRenameDetail {
  name: string;
}

@customElement('studio-toolbar')
export class StudioToolbar extends StudioPiece {
  static override styles = css`
    ${themeTokens}
    studio-toolbar {
      display: contents;
    }
    header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 8px 12px;
      background: var(--iot-surface);
      border-bottom: 1px solid var(--iot-line);
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
      border-radius: var(--iot-radius-pill);
      background: var(--iot-fill);
      color: var(--iot-ink-soft);
      cursor: text;
    }
    .project-name:hover {
      border-color: var(--iot-line-strong);
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
      border: 1px solid var(--iot-primary);
      border-radius: var(--iot-radius-pill);
      color: var(--iot-ink);
    }
    .save-state {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      flex: none;
      font-size: 13px;
      color: var(--iot-ink-muted);
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
      color: var(--iot-ok);
    }
    /* Only the long "Could not save: …" may shorten (its whole text is in the notice). */
    .save-state[data-state='error'] {
      flex: 0 1 auto;
      min-width: 0;
      max-width: 18em;
      color: var(--iot-error);
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
      ${filledButton}
      padding: var(--toolbar-button-padding);
      white-space: nowrap;
    }
    header button.secondary {
      background: var(--iot-secondary);
      color: var(--iot-on-secondary);
    }
    header button:hover {
      filter: brightness(1.08);
    }
    header button.secondary:hover {
      filter: brightness(0.96);
    }
    header button:focus-visible,
    .menu button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    header button[data-action='run'] {
      /* Dark enough for white text (4.5:1 and more): the axe check holds it to that. */
      background: #137333;
    }
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
      border-radius: var(--iot-radius-small);
      background: none;
      color: inherit;
      cursor: pointer;
      white-space: nowrap;
    }
    .menu button:hover {
      background: var(--iot-fill);
    }
    .menu svg {
      flex: none;
      color: var(--iot-primary);
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
      color: var(--iot-ink-muted);
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
    }
  `;

  /** The open project's name. */
  @property() name = '';
  /** The open project's id (a new one ends renaming and marks it in Recent). */
  @property() projectId = '';
  /** Where the project's latest changes are. */
  @property() saveState: SaveState = 'saved';
  /** Why saving fails, while it does. */
  @property({ attribute: false }) saveProblem: StoreProblem | null = null;
  /** Why this tab only shows the project (another tab edits it), or null when it edits it. */
  @property({ attribute: false }) readOnly: ShowingReason | null = null;
  /** Whether there is something to undo, and to redo. */
  @property({ type: Boolean }) canUndo = false;
  @property({ type: Boolean }) canRedo = false;
  /** Whether a program runs (Stop is enabled). */
  @property({ type: Boolean }) running = false;
  /** The saved projects for the Recent menu. */
  @property({ attribute: false }) recent: ProjectSummary[] = [];

  @state() private _renaming = false;

  /** The Project menu (focus goes back to it when a dialog it opened closes). */
  get projectMenu(): ToolbarMenu | null {
    return this.querySelector('toolbar-menu[data-menu="project"]');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another project, or only showing this one: the box goes without taking what it held.
    if (changed.has('projectId') || (changed.has('readOnly') && this.readOnly !== null)) {
      this._renaming = false;
    }
  }

  protected override render() {
    const readOnly = this.readOnly !== null;
    return html`<header>
      <h1 class="brand">${logo}<span class="brand-name">${t('appName')}</span></h1>
      ${this._renderProjectMenu()}
      <div class="project">${this._renderProjectName()} ${this._renderSaveState()}</div>
      <div class="group">
        <button
          class="secondary"
          data-action="undo"
          title=${t('undoHint')}
          ?disabled=${!this.canUndo || readOnly}
          @click=${this._onAction}
        >
          ${undoIcon}${t('undo')}
        </button>
        <button
          class="secondary"
          data-action="redo"
          title=${t('redoHint')}
          ?disabled=${!this.canRedo || readOnly}
          @click=${this._onAction}
        >
          ${redoIcon}${t('redo')}
        </button>
      </div>
      <div class="group">
        <button data-action="run" title=${t('runHint')} @click=${this._onAction}>
          ${runIcon}${t('run')}
        </button>
        <button
          class="secondary"
          data-action="stop"
          title=${t('stopHint')}
          ?disabled=${!this.running}
          @click=${this._onAction}
        >
          ${stopIcon}${t('stop')}
        </button>
      </div>
      <language-switch compact></language-switch>
    </header>`;
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
          <button data-action="new" title=${t('newProjectHint')} @click=${this._onAction}>
            ${newIcon}${t('newProject')}
          </button>
          <button data-action="open" title=${t('openProjectHint')} @click=${this._onAction}>
            ${openIcon}${t('openProject')}
          </button>
          <button
            data-action="paste-micropython"
            title=${t('pasteMicroPythonHint')}
            @click=${this._onAction}
          >
            ${openIcon}${t('pasteMicroPython')}
          </button>
          <button data-action="save" title=${t('saveProjectHint')} @click=${this._onAction}>
            ${saveIcon}${t('saveProject')}
          </button>
          <button data-action="save-shared" title=${t('saveSharedHint')} @click=${this._onAction}>
            ${saveIcon}${t('saveShared')}
          </button>
          <button data-action="examples" title=${t('examplesHint')} @click=${this._onAction}>
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
            @click=${this._onAction}
          >
            ${downloadIcon}${t('downloadMicroPython')}
            <span class="hint">${t('downloadMicroPythonFor')}</span>
          </button>
          <button
            data-action="download-typescript"
            title=${t('downloadTypeScriptHint')}
            @click=${this._onAction}
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
        <recent-projects .projects=${this.recent} currentId=${this.projectId}></recent-projects>
      </toolbar-menu>`;
  }

  private _renderProjectName() {
    const name = this.name;
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
      ?disabled=${this.readOnly !== null}
      title=${t('renameHint')}
      aria-label=${t('renameLabel', { name })}
      @click=${this._onRename}
    >
      <span>${name}</span>${renameIcon}
    </button>`;
  }

  private _renderSaveState() {
    const [icon, text] =
      this.saveState === 'error'
        ? [saveErrorIcon, t('saveStateError', { reason: t(STORE_PROBLEMS[this.saveProblem!]) })]
        : this.saveState === 'saving'
          ? [savingIcon, t('saveStateSaving')]
          : [savedIcon, t('saveStateSaved')];
    return html`<span class="save-state" data-state=${this.saveState} title=${text}
      >${icon}<span>${text}</span></span
    >`;
  }

  private _emit(action: ToolbarAction): void {
    this.dispatchEvent(
      new CustomEvent<ToolbarActionDetail>('toolbar-action', {
        detail: { action },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private _onAction(event: Event): void {
    this._emit((event.currentTarget as HTMLElement).dataset.action as ToolbarAction);
  }

  private _onRecentToggle(event: CustomEvent<MenuToggleDetail>): void {
    // The list as it is now: another tab may have saved projects too.
    if (event.detail.open) this._emit('recent');
  }

  private _onStartLesson(event: Event): void {
    const name = (event.currentTarget as HTMLElement).dataset.lesson!;
    this.dispatchEvent(
      new CustomEvent<StartLessonDetail>('start-lesson', {
        detail: { name },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private _onRename(): void {
    if (this.readOnly !== null) return;
    this._renaming = true;
    void this.updateComplete.then(() => {
      const input = this.querySelector<HTMLInputElement>('[data-setting="project-name"]');
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

  /** Ends renaming and says what was typed (the studio ignores an empty or unchanged name). */
  private _commitName(input: HTMLInputElement): void {
    this._renaming = false;
    this.dispatchEvent(
      new CustomEvent<ProjectRenameDetail>('project-rename', {
        detail: { name: input.value },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'studio-toolbar': StudioToolbar;
  }
  interface HTMLElementEventMap {
    'toolbar-action': CustomEvent<ToolbarActionDetail>;
    'start-lesson': CustomEvent<StartLessonDetail>;
    'project-rename': CustomEvent<ProjectRenameDetail>;
  }
}
