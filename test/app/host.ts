// The studio as its controllers see it, for the controllers' Node tests.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A studio stand-in: the controllers it holds and the renders asked of it. */
export class Host implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}
