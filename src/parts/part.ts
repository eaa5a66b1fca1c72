/**
 * What a board part is (src/parts/<name>/): everything about it under one name, registered by one
 * line in `index.ts`. The part's pure faces (its blocks, words, help, both generators, its
 * MicroPython importer and its runtime piece) are this `Part`; its view on the virtual board is
 * `view.ts` beside it, which the board finds by that file name, and its runtime piece is
 * `runtime.ts`, which the program Worker finds the same way (the Worker loads nothing else of a
 * part, so no blocks or generators).
 */
import type * as Blockly from 'blockly';
import type { SVGTemplateResult, CSSResult } from 'lit';
import type { BoardState } from '../board/board-state.ts';
import type { PartRuntime } from './part-runtime.ts';
import type { Language } from '../i18n/language.ts';
import type { BlockHelp } from '../help/strings.ts';
import type { ImportTable } from '../../generators/micropython/import/context.ts';
import type { MicroPythonGenerator } from '../../generators/micropython/generator.ts';
import type { TypeScriptGenerator } from '../../generators/typescript/generator.ts';

/** A block function of one language, as `forBlock` takes it. */
type BlockFunction<G> = (block: Blockly.Block, generator: G) => string | [string, number] | null;

/** A part's view on the virtual board (`src/parts/<name>/view.ts`, `export const view`). */
export interface PartView {
  /** Styles the board adopts for the part's drawing. */
  styles: CSSResult;
  /** The part drawn from the board state, inside the board's SVG (400 × 340 view units). */
  render(state: BoardState): SVGTemplateResult;
  /** Called when the board state changed (before it is drawn), for effects such as sound. */
  changed?(before: BoardState | undefined, now: BoardState): void;
  /** Called when the board leaves the page. */
  disconnected?(): void;
}

/** Words of one language: the part's block messages and its help, keyed by block type. */
export interface PartWords {
  /** Block messages (`%{BKY_KEY}` in the block JSON), as blocks/messages/*.json hold them. */
  messages: Record<string, string>;
  /** Help for every block of the part (see src/help/strings.ts). */
  help: Record<string, BlockHelp>;
}

/** A board part: everything about it but its view and its Worker entry (see the module comment). */
export interface Part {
  /** The part's one name: its folder, its runtime export, its toolbox id, its block prefix. */
  name: string;
  /** Its block definitions (JSON, as blocks/*.json), each `style` `<name>_blocks`. */
  blocks: ReadonlyArray<{ type: string } & Record<string, unknown>>;
  /** Its toolbox category: the blocks as dragged out, in order (`{kind: 'block', type, …}`). */
  toolbox: ReadonlyArray<Record<string, unknown>>;
  /** The colour of its blocks and its category. */
  colour: string;
  /** Its words in each language; `messages.CATEGORY` is the toolbox category's name. */
  words: Record<Language, PartWords>;
  /** Names its MicroPython uses (modules, functions): a child's variable never takes them. */
  pythonNames: readonly string[];
  /** MicroPython for each block type. */
  micropython: Record<string, BlockFunction<MicroPythonGenerator>>;
  /** TypeScript for each block type (calls to the part's runtime export). */
  typescript: Record<string, BlockFunction<TypeScriptGenerator>>;
  /** MicroPython back to its blocks. */
  importers: ImportTable;
  /** Its runtime piece. */
  runtime: PartRuntime;
  /**
   * What a call on the MicroPython stand-in board does to the board state, as the runtime piece
   * shows it (`undefined`: not this part's call): the parity harness compares the two.
   */
  boardCall?(call: string, args: readonly unknown[]): Partial<BoardState> | undefined;
}
