/**
 * Opening a file dropped on the studio, as a reactive controller: the listeners sit on the host,
 * so a file dropped anywhere on the studio (the workspace too) is caught, and while a file is
 * dragged over it `hint` is true (the studio shows where to drop).
 */
import type { LitElement, ReactiveController } from 'lit';

/** Whether a drag carries files (and not, say, text dragged from another page). */
function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Files dropped on the studio, and the hint while one is dragged over it. */
export class FileDrop implements ReactiveController {
  private _hint = false;

  /** `open` opens a dropped file. */
  constructor(
    private readonly _host: LitElement,
    private readonly _open: (file: File) => void,
  ) {
    _host.addController(this);
    _host.addEventListener('dragenter', this._onDragOver);
    _host.addEventListener('dragover', this._onDragOver);
    _host.addEventListener('dragleave', this._onDragLeave);
    _host.addEventListener('drop', this._onDrop);
  }

  /** Whether a file is being dragged over the studio. */
  get hint(): boolean {
    return this._hint;
  }

  hostConnected(): void {}

  private _setHint(hint: boolean): void {
    if (hint === this._hint) return;
    this._hint = hint;
    this._host.requestUpdate();
  }

  private _onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    // Accepting the drag is what makes the browser deliver the drop here.
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
    this._setHint(true);
  };

  private _onDragLeave = (event: DragEvent): void => {
    // Leaving for somewhere outside the studio (or the window): the hint goes.
    const host = this._host;
    const to = event.relatedTarget;
    if (
      !(to instanceof Node) ||
      !(to === host || host.contains(to) || host.renderRoot.contains(to))
    ) {
      this._setHint(false);
    }
  };

  private _onDrop = (event: DragEvent): void => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    this._setHint(false);
    const file = event.dataTransfer?.files[0];
    if (file) this._open(file);
  };
}
