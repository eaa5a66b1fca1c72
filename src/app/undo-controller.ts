/**
 * Undo and Redo for the studio, as a reactive controller: whether there is something to undo
 * or redo (for the toolbar's buttons), the buttons' own undo and redo, and Ctrl/Cmd+Z,
 * Ctrl/Cmd+Shift+Z and Ctrl+Y pressed outside the workspace (Blockly handles them inside it,
 * and text boxes have their own undo).
 */
import type * as Blockly from 'blockly';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Whether a key press in `target` belongs to it (typing, choosing), not to the studio. */
function isTextEntry(target: EventTarget): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** What undoing needs of the studio. */
export interface UndoView {
  /** The workspace whose steps are undone (undefined while the editor is not ready). */
  workspace(): Blockly.WorkspaceSvg | undefined;
  /** The block editor's element: keys pressed in it are Blockly's. */
  editor(): Element | null;
  /** Whether the child may change the program (not while another tab edits it). */
  editable(): boolean;
}

/** The studio's Undo and Redo. */
export class UndoController implements ReactiveController {
  private _canUndo = false;
  private _canRedo = false;

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _view: UndoView,
  ) {
    _host.addController(this);
  }

  /** Whether there is a step to undo. */
  get canUndo(): boolean {
    return this._canUndo;
  }

  /** Whether there is a step to redo. */
  get canRedo(): boolean {
    return this._canRedo;
  }

  hostConnected(): void {
    document.addEventListener('keydown', this._onKeyDown);
  }

  hostDisconnected(): void {
    document.removeEventListener('keydown', this._onKeyDown);
  }

  /** Enables Undo and Redo when there is something to undo or redo. */
  update(): void {
    const workspace = this._view.workspace();
    const canUndo = (workspace?.getUndoStack().length ?? 0) > 0;
    const canRedo = (workspace?.getRedoStack().length ?? 0) > 0;
    if (canUndo === this._canUndo && canRedo === this._canRedo) return;
    this._canUndo = canUndo;
    this._canRedo = canRedo;
    this._host.requestUpdate();
  }

  /** Undoes the last step (or redoes the last undone one, `redo`). */
  undo(redo: boolean): void {
    const workspace = this._view.workspace();
    if (!workspace || !this._view.editable()) return;
    // As Blockly's own shortcut does: an open dropdown or field editor would be left stale.
    workspace.hideChaff();
    workspace.undo(redo);
    this.update();
  }

  private _onKeyDown = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    const redo =
      (key === 'z' && event.shiftKey) || (key === 'y' && event.ctrlKey && !event.shiftKey);
    if (!redo && !(key === 'z' && !event.shiftKey)) return;
    const path = event.composedPath();
    const editor = this._view.editor();
    if ((editor && path.includes(editor)) || path.some(isTextEntry)) return;
    event.preventDefault();
    this.undo(redo);
  };
}
