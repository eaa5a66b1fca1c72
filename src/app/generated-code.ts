/**
 * The program's code in both languages, as a reactive controller of the studio. It is generated
 * only when the program changes (`regenerate`): UI events (selecting, scrolling, zooming,
 * opening the toolbox) never regenerate it, and the host renders again only when what the code
 * panel shows would change. The host's `data-generations` counts the generations (tests and
 * the benchmark read it).
 */
import type * as Blockly from 'blockly';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';

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

/** Same code and same line owners: nothing the panel shows would change. */
function sameProgram(a: GeneratedProgram | undefined, b: GeneratedProgram): boolean {
  return (
    a !== undefined &&
    a.code === b.code &&
    a.lineBlocks.length === b.lineBlocks.length &&
    a.lineBlocks.every((id, i) => id === b.lineBlocks[i])
  );
}

/** The MicroPython and TypeScript of the program as it was at its last change. */
export class GeneratedCode implements ReactiveController {
  private _micropython?: GeneratedProgram;
  private _typescript?: GeneratedProgram;
  private _generations = 0;

  /** `program` is the program to generate (undefined while the editor is not ready). */
  constructor(
    private readonly _host: ReactiveControllerHost & HTMLElement,
    private readonly _program: () => Blockly.Workspace | undefined,
  ) {
    _host.addController(this);
  }

  /** The program's MicroPython, for the board (`main.py`). */
  get micropython(): GeneratedProgram | undefined {
    return this._micropython;
  }

  /** The program's TypeScript, as Run runs it in the browser (`main.ts`). */
  get typescript(): GeneratedProgram | undefined {
    return this._typescript;
  }

  hostConnected(): void {
    this._host.dataset.generations = String(this._generations);
  }

  /** Generates both languages again (the program changed). */
  regenerate(): void {
    const workspace = this._program();
    if (!workspace) return;
    const micropython = measured('generate MicroPython', () => generateMicroPython(workspace));
    const typescript = measured('generate TypeScript', () => generateTypeScript(workspace));
    this._host.dataset.generations = String(++this._generations);
    let changed = false;
    if (!sameProgram(this._micropython, micropython)) {
      this._micropython = micropython;
      changed = true;
    }
    if (!sameProgram(this._typescript, typescript)) {
      this._typescript = typescript;
      changed = true;
    }
    if (changed) this._host.requestUpdate();
  }
}
