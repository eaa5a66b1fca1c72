/**
 * Every board part, each registered by one line (src/parts/part.ts says what a part is). The
 * blocks, the toolbox, the messages, the help, both generators, the MicroPython importer and the
 * runtime's names all come from this list; a part's view and its runtime piece in the Worker are
 * found by their file names (`view.ts`, `runtime.ts`) in the part's folder.
 */
import type { Part } from './part.ts';
import { buzzer } from './buzzer/part.ts';

/** The parts, in toolbox order (after the board's own categories). */
export const PARTS: readonly Part[] = [buzzer];
