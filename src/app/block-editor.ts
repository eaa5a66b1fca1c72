/**
 * `<block-editor>`: the Blockly workspace with our toolbox and theme. It renders into the light
 * DOM because Blockly puts its CSS in the document head, so a workspace inside a shadow root
 * renders blank. Call `registerBlocks()` once before the first one connects.
 *
 * It speaks the studio's language (`src/i18n/language.ts`): Blockly's messages are set to it
 * before the workspace is made, and on a switch the toolbox and every block are made again in
 * the new language, in the same workspace, with nothing in the program changed.
 */
import * as Blockly from 'blockly';
import { WorkspaceSearch } from '@blockly/plugin-workspace-search';
import { LitElement, css, html, type CSSResult } from 'lit';
import { customElement } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { theme, toolbox } from '../../blocks/index.ts';
import { installWarnings } from '../editor/warnings.ts';
import { installFieldNotes } from '../editor/field-notes.ts';
import { loadQuickly } from '../editor/fast-load.ts';
import { DrawingInView } from '../editor/open-in-view.ts';
import { installUniqueClientIds } from '../editor/client-id.ts';
import { setBlockLanguage } from '../editor/register.ts';
import { RENDERER } from '../editor/renderer.ts';
import '../editor/warning-bubble.ts';
import { LanguageController, language, onLanguageChange } from '../i18n/language.ts';
import { t } from './strings.ts';

/** Detail of `program-changed`: the workspace whose program changed. */
export interface ProgramChangedDetail {
  workspace: Blockly.WorkspaceSvg;
}

/** Detail of `block-selected`: the selected block's id, or null when nothing is selected. */
export interface BlockSelectedDetail {
  blockId: string | null;
}

/**
 * The id a running program's error has among a block's warnings: it comes and goes apart from the
 * block's own warnings (an empty WiFi name, …).
 */
const RUN_ERROR = 'run-error';

/**
 * `text` in lines a warning bubble can show (Blockly's bubbles do not wrap): at spaces about every
 * 48 characters, and a long line with no spaces (Chinese) every 28 characters.
 */
function bubbleText(text: string): string {
  return Blockly.utils.string
    .wrap(text, 48)
    .split('\n')
    .flatMap((line) =>
      line.length > 48 && !line.includes(' ') ? (line.match(/.{1,28}/gu) ?? [line]) : [line],
    )
    .join('\n');
}

/** Our block and category colours on Blockly's classic theme, with a calmer workspace. */
export const studioTheme = Blockly.Theme.defineTheme('iot-blocks', {
  name: 'iot-blocks',
  base: Blockly.Themes.Classic,
  blockStyles: theme.blockStyles,
  categoryStyles: theme.categoryStyles,
  componentStyles: {
    workspaceBackgroundColour: '#f7f9fc',
    toolboxBackgroundColour: '#ffffff',
    toolboxForegroundColour: '#1f2933',
    flyoutBackgroundColour: '#e9eef5',
    flyoutOpacity: 0.95,
  },
  fontStyle: {
    family: '"IoT Blocks Chinese", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    size: 12,
  },
});

@customElement('block-editor')
export class BlockEditor extends LitElement {
  // Light DOM: lit does not adopt these for us, `connectedCallback` adds them to the document.
  static override styles = css`
    ${themeTokens}
    block-editor {
      display: block;
      position: relative;
      min-width: 0;
      min-height: 0;
      overflow: hidden;
    }
    block-editor > .workspace {
      position: absolute;
      inset: 0;
    }
    /* Blockly's category labels are \`16px sans-serif\`: Chinese too where the system has no
       Chinese font (cjk-font.ts). */
    block-editor .blocklyToolboxCategoryLabel {
      font-family: 'IoT Blocks Chinese', sans-serif;
    }
    /* The category a lesson step asks for (highlightCategory). */
    block-editor .lesson-highlight > .blocklyToolboxCategory,
    block-editor .blocklyToolboxCategory.lesson-highlight {
      outline: 3px solid var(--iot-lesson);
      outline-offset: -3px;
      background: #fff4d6;
    }
    /* A big program still being drawn takes no input yet (\`openProgram\`); the pointer says so. */
    block-editor[data-opening] {
      cursor: progress;
    }
    /* On a touch screen Blockly's 22 px toolbox rows and 27 px menu items are hard to hit with
       a child's finger: 40 px, close to the 44 px touch guidelines ask for, and the nine
       categories still fit a 768 px tall tablet. Menus live outside this element (Blockly's
       widget and dropdown divs), hence the unscoped selector. */
    @media (pointer: coarse) {
      block-editor .blocklyToolbox .blocklyToolboxCategory {
        height: 40px;
        line-height: 40px;
      }
      .blocklyMenu .blocklyMenuItem {
        padding-top: 13px;
        padding-bottom: 13px;
      }
    }
  `;

  /** Re-renders this element (its label) in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  /** The Blockly workspace; set from the first render until the element is disconnected. */
  workspace?: Blockly.WorkspaceSvg;

  /** Blockly's workspace search bar (Ctrl+F), set with the workspace. */
  search?: WorkspaceSearch;

  private _resizeObserver?: ResizeObserver;
  /** Stops the workspace helpers (warnings, unique client IDs) installed at injection. */
  private _uninstall: (() => void)[] = [];
  /** A `program-changed` is on its way (at the end of the current task). */
  private _changePending = false;
  /** The blocks at the moment of disconnecting, so moving the element loses nothing. */
  private _savedState?: Record<string, unknown>;
  /** Stops following language switches (while connected). */
  private _stopFollowingLanguage?: () => void;
  /** The blocks that show a running program's error. */
  private readonly _runErrors = new Set<string>();
  /** The program being opened (its headless copy and its drawing), until every block is drawn. */
  private _opening: { copy: Blockly.Workspace; drawing: DrawingInView } | null = null;

  /**
   * The whole program, for generating code, saving, exporting and running: the workspace, or,
   * while a program opened with `openProgram` is still being drawn, its headless copy. Never a
   * half-drawn program.
   */
  get program(): Blockly.Workspace | undefined {
    return this._opening?.copy ?? this.workspace;
  }

  /** Whether a program is still being drawn (the workspace takes no input meanwhile). */
  get opening(): boolean {
    return this._opening !== null;
  }

  /**
   * Shows a running program's error at block `id`: a warning sign on the block with `text`,
   * opened so a child reads it there. It stays until `clearRunErrors()` or until the program is
   * changed (the block's own warnings are then worked out again).
   */
  showRunError(id: string, text: string): void {
    this.finishOpening();
    const block = this.workspace?.getBlockById(id);
    if (!block) return;
    block.setWarningText(bubbleText(text), RUN_ERROR);
    this._runErrors.add(id);
    void block.getIcon(Blockly.icons.IconType.WARNING)?.setBubbleVisible(true);
  }

  /** Takes every running program's error off its block (a new run starts clean). */
  clearRunErrors(): void {
    for (const id of this._runErrors) {
      this.workspace?.getBlockById(id)?.setWarningText(null, RUN_ERROR);
    }
    this._runErrors.clear();
  }

  /**
   * Runs `load`, which replaces the workspace's blocks (opening a project), the quick way
   * (`loadQuickly`: Blockly's events off, the workspace hidden from the page's rendering), then
   * tells at once that the program changed. A loaded program is new, not an edit: nothing is
   * undone to it, so the events would only cost time (each block created is serialized for its
   * event, and every listener runs for every block; a quarter of a 1000-block load).
   * The block warnings are worked out again for the new blocks.
   */
  loadBlocks(load: (workspace: Blockly.WorkspaceSvg) => void): void {
    const workspace = this.workspace;
    if (!workspace) return;
    this._stopOpening();
    loadQuickly(workspace, load);
    this._uninstall.forEach((stop) => stop());
    this._uninstall = [installWarnings(workspace), installUniqueClientIds(workspace)];
    // At once, not after the current task: whoever loads reads the new program's code next.
    this._dispatchProgramChanged();
  }

  /**
   * Opens a program whose blocks `copy` (a headless workspace, which the editor now owns) holds
   * and `state` (their serialization) describes: the blocks in view are drawn now, the others in
   * idle slices (`DrawingInView`), and `program` is the copy until the last is drawn. Meanwhile
   * the workspace takes no input (`inert`: no drag, no delete, no shortcut, no undo step) and says
   * it is busy; a language switch, a run error shown on a block or `finishOpening` draws the rest
   * at once.
   * Tells at once that the program changed; opening is not a step to undo (events are off).
   */
  openProgram(copy: Blockly.Workspace, state: Record<string, unknown>): void {
    const workspace = this.workspace;
    if (!workspace) {
      copy.dispose();
      return;
    }
    this._stopOpening();
    workspace.cancelCurrentGesture();
    workspace.hideChaff();
    this._uninstall.forEach((stop) => stop());
    this._uninstall = [];
    this._setBusy(true);
    const drawing = new DrawingInView(workspace, state, this._onOpened);
    this._opening = { copy, drawing };
    drawing.start();
    // At once, not after the current task: whoever opens reads the new program's code next.
    this._dispatchProgramChanged();
  }

  /**
   * Replaces the program's blocks with those `state` describes, as one step Undo takes back
   * (an edit, unlike opening). They are loaded into a scratch workspace first: blocks that
   * cannot be loaded throw and change nothing.
   */
  replaceProgram(state: Record<string, unknown>): void {
    const workspace = this.workspace;
    if (!workspace) throw new Error(t('studioNotReady'));
    const scratch = new Blockly.Workspace();
    try {
      Blockly.serialization.workspaces.load(state, scratch);
    } finally {
      scratch.dispose();
    }
    Blockly.Events.setGroup(true);
    try {
      Blockly.serialization.workspaces.load(state, workspace, { recordUndo: true });
    } finally {
      Blockly.Events.setGroup(false);
    }
  }

  /**
   * Loads blocks with `load` where the child was looking: same scroll, same zoom, and no undo
   * into what was shown before (another tab's newer version of the same project).
   */
  loadInPlace(load: (workspace: Blockly.WorkspaceSvg) => void): void {
    const workspace = this.workspace;
    if (!workspace) return;
    const { scrollX, scrollY, scale } = workspace;
    this.loadBlocks(load);
    if (workspace.scale !== scale) workspace.setScale(scale);
    workspace.scroll(scrollX, scrollY);
    workspace.clearUndo();
  }

  /** Lets the child change the blocks, or not (another tab edits the project). */
  setReadOnly(readOnly: boolean): void {
    const workspace = this.workspace;
    // An open field editor or menu would still let a change in.
    if (readOnly) workspace?.hideChaff();
    if (!workspace || workspace.isReadOnly() === readOnly) return;
    workspace.setIsReadOnly(readOnly);
    // Blockly styles a block's fields as editable or not when it draws them, and again only
    // when the block's own setting changes: set it again, so they look (and take clicks) as
    // they now are.
    for (const block of workspace.getAllBlocks(false)) block.setEditable(block.isOwnEditable());
  }

  /** Selects block `id` and scrolls the workspace to it. */
  showBlock(id: string): void {
    // A program still being drawn may not have drawn that block yet.
    this.finishOpening();
    const workspace = this.workspace;
    const block = workspace?.getBlockById(id);
    if (!workspace || !block) return;
    workspace.centerOnBlock(id);
    block.select();
  }

  /**
   * The statement block whose lines block `id` is in: only statement blocks own lines, so a
   * value block (a number, "the message") answers with the statement it sits in.
   */
  statementOf(id: string | null): string | null {
    let block: Blockly.Block | null = id ? (this.workspace?.getBlockById(id) ?? null) : null;
    while (block?.outputConnection && block.getParent()) block = block.getParent();
    return block?.id ?? id;
  }

  /** Draws the rest of a program being opened, now. */
  finishOpening(): void {
    this._opening?.drawing.finish();
  }

  private _onOpened = (): void => {
    const { copy } = this._opening!;
    this._opening = null;
    this._setBusy(false);
    const workspace = this.workspace!;
    this._uninstall = [installWarnings(workspace), installUniqueClientIds(workspace)];
    copy.dispose();
  };

  /** Calls off the drawing of a program being opened (another one replaces it). */
  private _stopOpening(): void {
    if (!this._opening) return;
    this._opening.drawing.cancel();
    this._opening.copy.dispose();
    this._opening = null;
    this._setBusy(false);
  }

  /** The workspace takes no input and tells assistive technology it is busy, or not. */
  private _setBusy(busy: boolean): void {
    const host = this.querySelector<HTMLDivElement>(':scope > .workspace');
    if (host) {
      host.inert = busy;
      if (busy) host.setAttribute('aria-busy', 'true');
      else host.removeAttribute('aria-busy');
    }
    this.toggleAttribute('data-opening', busy);
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** Whether the keyboard was last used inside the editor (no pointer press since). */
  private _keyboardInEditor = false;

  private _onFocusIn = (): void => {
    this._keyboardInEditor = true;
  };

  private _onPointerDown = (): void => {
    this._keyboardInEditor = false;
  };

  /**
   * Blockly 13.3 brings a block to the front in an animation frame by moving the blocks drawn
   * after it (`moveSvgRootToFront`); a block among them that holds keyboard focus loses it to
   * the page, and nothing takes it (the stack put down just before a new one, now and then).
   * While the keyboard is in use, focus goes straight back to that element, still on the page.
   */
  private _onFocusOut = (event: FocusEvent): void => {
    const lost = event.composedPath()[0];
    if (event.relatedTarget || !this._keyboardInEditor || !(lost instanceof Element)) return;
    queueMicrotask(() => {
      if (!lost.isConnected || !document.hasFocus() || document.activeElement !== document.body) {
        return;
      }
      (lost as HTMLElement | SVGElement).focus({ preventScroll: true });
    });
  };

  /**
   * A key pressed when focus has fallen from the editor onto the page itself, with no pointer
   * press since: seen now and then right after a block was put down with the keyboard (the
   * element that held focus goes away). A child using the keyboard alone would be stranded;
   * focus goes back to where Blockly keeps it (the block just put down) and the key does there
   * what it would have done.
   */
  private _onKeyWithFocusLost = (event: KeyboardEvent): void => {
    const workspace = this.workspace;
    if (!workspace || !this._keyboardInEditor || document.activeElement !== document.body) return;
    const manager = Blockly.getFocusManager();
    const node =
      manager.getFocusedNode() ?? (Blockly.getSelected() as Blockly.IFocusableNode | null);
    manager.focusNode(node ?? workspace);
    if (document.activeElement === document.body) return;
    if (Blockly.ShortcutRegistry.registry.onKeyDown(workspace, event)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    const sheet = (BlockEditor.styles as CSSResult).styleSheet;
    if (sheet && !document.adoptedStyleSheets.includes(sheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
    this._stopFollowingLanguage ??= onLanguageChange(this._onLanguageChange);
    installFieldNotes();
    this.addEventListener('focusin', this._onFocusIn);
    this.addEventListener('focusout', this._onFocusOut);
    document.addEventListener('pointerdown', this._onPointerDown, true);
    document.addEventListener('keydown', this._onKeyWithFocusLost, true);
    // Reconnected after a move: the first render has happened, so inject again here.
    if (this.hasUpdated && !this.workspace) this._inject();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._stopFollowingLanguage?.();
    this._stopFollowingLanguage = undefined;
    this.removeEventListener('focusin', this._onFocusIn);
    this.removeEventListener('focusout', this._onFocusOut);
    document.removeEventListener('pointerdown', this._onPointerDown, true);
    document.removeEventListener('keydown', this._onKeyWithFocusLost, true);
    if (!this.workspace) return;
    this._savedState = Blockly.serialization.workspaces.save(this.program!);
    this._stopOpening();
    this._resizeObserver?.disconnect();
    this._uninstall.forEach((stop) => stop());
    this._uninstall = [];
    this.search?.dispose();
    this.search = undefined;
    this.workspace.dispose();
    this.workspace = undefined;
  }

  protected override render() {
    return html`<div class="workspace" role="region" aria-label=${t('blockEditorLabel')}></div>`;
  }

  protected override firstUpdated(): void {
    this._inject();
  }

  private _inject(): void {
    const host = this.querySelector<HTMLDivElement>(':scope > .workspace')!;
    // Blockly's messages are global: another editor, or a switch while this one was away, may
    // have left them in another language.
    setBlockLanguage(language());
    const workspace = Blockly.inject(host, {
      toolbox,
      theme: studioTheme,
      renderer: RENDERER,
      // With sounds on, Blockly fetches them from the web.
      sounds: false,
      // Blockly's sprites and cursors, served from our origin by vite.config.ts (its default
      // is a web address, and classrooms may be offline).
      media: 'blockly-media/',
      trashcan: true,
      zoom: { controls: true, wheel: true, startScale: 0.9, maxScale: 3, minScale: 0.3 },
      grid: { spacing: 24, length: 3, colour: '#dfe5ee', snap: true },
      move: { scrollbars: true, drag: true, wheel: false },
    });
    this.workspace = workspace;
    // Ctrl+F (or `search.open()`) finds blocks by their words, in the workspace's language.
    this.search = new WorkspaceSearch(workspace);
    this.search.init();
    this.search.setSearchPlaceholder(t('searchBlocks'));
    if (this._savedState) {
      Blockly.serialization.workspaces.load(this._savedState, workspace, { recordUndo: false });
      this._savedState = undefined;
    }
    workspace.addChangeListener(this._onWorkspaceEvent);
    this._uninstall = [installWarnings(workspace), installUniqueClientIds(workspace)];
    this._resizeObserver = new ResizeObserver(() => Blockly.svgResize(workspace));
    this._resizeObserver.observe(this);
  }

  private _onLanguageChange = (): void => {
    setBlockLanguage(language());
    this.search?.setSearchPlaceholder(t('searchBlocks'));
    this._relabel();
    this.highlightCategory(this._highlighted);
  };

  private _highlighted: string | null = null;

  /** Marks the toolbox category `id` (its `toolboxitemid`) for a lesson step; null marks none. */
  highlightCategory(id: string | null): void {
    this._highlighted = id;
    const toolbox = this.workspace?.getToolbox() as Blockly.Toolbox | null | undefined;
    for (const item of toolbox?.getToolboxItems() ?? []) {
      const div = (item as Partial<Blockly.ToolboxCategory>).getDiv?.();
      div?.classList.toggle('lesson-highlight', id !== null && item.getId() === id);
    }
  }

  /**
   * Makes the toolbox and every block again in the current language, in the same workspace:
   * Blockly words a block when it is made and has no way to re-word it. The blocks come back from
   * their own serialization (ids, fields, positions, variables unchanged), so the undo history
   * (kept by block id), the scroll, the zoom and every listener on the workspace carry on.
   * Events are off meanwhile: the program did not change, so nothing may regenerate, autosave
   * or record an undo step.
   */
  private _relabel(): void {
    const workspace = this.workspace;
    if (!workspace) return;
    this.finishOpening();
    // Menus, tooltips and an open field editor still show the old words; a drag in progress
    // would hold a block that is about to go.
    workspace.cancelCurrentGesture();
    Blockly.hideChaff();
    const state = Blockly.serialization.workspaces.save(workspace);
    const { scrollX, scrollY, scale } = workspace;
    Blockly.Events.disable();
    try {
      // A category left open would keep the old flyout; the toolbox is re-made closed.
      workspace.getToolbox()?.clearSelection();
      workspace.updateToolbox(toolbox);
      Blockly.serialization.workspaces.load(state, workspace, { recordUndo: false });
      if (workspace.scale !== scale) workspace.setScale(scale);
      workspace.scroll(scrollX, scrollY);
    } finally {
      Blockly.Events.enable();
    }
    // The warning icons went with the old blocks: install again, which words them all now.
    this._uninstall.forEach((stop) => stop());
    this._uninstall = [installWarnings(workspace), installUniqueClientIds(workspace)];
    // The selected block went too (selection is Blockly's focus, which is on the language
    // switch now): nothing is selected, and whoever shows the selection should know.
    this.dispatchEvent(
      new CustomEvent<BlockSelectedDetail>('block-selected', {
        detail: { blockId: null },
        bubbles: true,
      }),
    );
  }

  private _onWorkspaceEvent = (event: Blockly.Events.Abstract): void => {
    if (event.type === Blockly.Events.SELECTED) {
      const id = (event as Blockly.Events.Selected).newElementId ?? null;
      // Comments can be selected too; only blocks have code.
      const blockId = id && this.workspace?.getBlockById(id) ? id : null;
      this.dispatchEvent(
        new CustomEvent<BlockSelectedDetail>('block-selected', {
          detail: { blockId },
          bubbles: true,
        }),
      );
    }
    // UI events (selecting, scrolling, zooming, opening the toolbox) never change the program.
    if (!event.isUiEvent) this._programChanged();
  };

  /**
   * Tells once, at the end of the current task, that the program changed. Blockly fires the
   * events of one change (dozens when a project loads) together in one task, so this is one
   * notice per change, and what reads the whole program (the code panel) is up to date before
   * the next frame is drawn.
   */
  private _programChanged(): void {
    if (this._changePending) return;
    this._changePending = true;
    queueMicrotask(this._onProgramChanged);
  }

  private _onProgramChanged = (): void => {
    this._changePending = false;
    this._dispatchProgramChanged();
  };

  private _dispatchProgramChanged(): void {
    if (!this.workspace) return;
    this.dispatchEvent(
      new CustomEvent<ProgramChangedDetail>('program-changed', {
        detail: { workspace: this.workspace },
        bubbles: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'block-editor': BlockEditor;
  }
  interface HTMLElementEventMap {
    'program-changed': CustomEvent<ProgramChangedDetail>;
    'block-selected': CustomEvent<BlockSelectedDetail>;
  }
}
