/**
 * The guided lesson a child follows (`src/lessons/`), as a reactive controller of the studio:
 * the step it is at moves on by itself as the program and the board come to do what the step
 * asks, the toolbox marks the step's category, and the lesson's card (`<lesson-panel>`) sits
 * beside the workspace, in the studio's light DOM because it draws blocks.
 */
import type * as Blockly from 'blockly';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BoardState } from '../board/board-state.ts';
import '../lessons/lesson-panel.ts';
import type { LessonPanel } from '../lessons/lesson-panel.ts';
import { nextStep, type Lesson } from '../lessons/lesson.ts';

/** What the lesson reads and marks (the studio gives it). */
export interface LessonView {
  /** The program as it is now (undefined while the editor is not ready). */
  program(): Blockly.Workspace | undefined;
  /** What the virtual board shows now. */
  board(): BoardState;
  /** Marks toolbox category `id` (null: none). */
  highlightCategory(id: string | null): void;
}

/** The lesson being followed, if any, and the step it is at. */
export class LessonSession implements ReactiveController {
  private _lesson: Lesson | null = null;
  private _step = 0;

  constructor(
    private readonly _host: ReactiveControllerHost & HTMLElement,
    private readonly _view: LessonView,
  ) {
    _host.addController(this);
  }

  hostConnected(): void {}

  /** Starts `lesson` at its first step (its project is already open). */
  start(lesson: Lesson): void {
    this._lesson = lesson;
    this._step = 0;
    this.check();
  }

  /** Moves the lesson on to the first step not done yet, and marks its toolbox category. */
  check(): void {
    const lesson = this._lesson;
    const workspace = this._view.program();
    if (!lesson || !workspace) return;
    const { online, leds } = this._view.board();
    const board = { online, leds: leds.map((led) => led.join(',')) };
    this._step = nextStep(lesson, this._step, workspace, board);
    this._view.highlightCategory(lesson.steps[this._step]?.category ?? null);
    this._showCard();
  }

  /** Puts the lesson card beside the workspace, or takes it away. */
  private _showCard(): void {
    let panel = this._host.querySelector<LessonPanel>(':scope > lesson-panel');
    if (!this._lesson) {
      panel?.remove();
      return;
    }
    if (!panel) {
      panel = document.createElement('lesson-panel');
      panel.slot = 'lesson';
      panel.addEventListener('lesson-next', this._onNext);
      panel.addEventListener('lesson-close', this._onClose);
      this._host.append(panel);
    }
    panel.lesson = this._lesson;
    panel.step = this._step;
  }

  private _onNext = (): void => {
    if (!this._lesson) return;
    this._step = Math.min(this._step + 1, this._lesson.steps.length);
    this.check();
  };

  private _onClose = (): void => {
    this._lesson = null;
    this._view.highlightCategory(null);
    this._showCard();
  };
}
