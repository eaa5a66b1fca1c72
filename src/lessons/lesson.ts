/**
 * A guided lesson: steps a child follows inside the studio, each with a short instruction, the
 * toolbox category to open, the block to drag, a hint for when it takes a while, and a check that
 * says the step is done. Lessons are data (`src/lessons/<name>.json`, listed in `index.ts`), so a
 * teacher adds one by writing a file; this module reads them and checks steps against the program
 * and the virtual board.
 *
 * A check is a list of things that must all be true:
 * - `{"block": "rgb_fill", "parent": "mqtt_if_message.DO", "parentFields": {"TEXT": "on"},
 *    "inputs": {"RED": 50}}`: a block of that type (enabled, not a shadow) sits in that input of
 *   a block of that type ("top" for a stack of its own, "<type>.next" under one), with those
 *   field values, those numbers in its inputs, and its parent's fields as given;
 * - `{"online": true}`: the program runs and its board is online;
 * - `{"leds": "50,0,0"}`: every LED of the virtual board shows that colour.
 */
import type * as Blockly from 'blockly';
import type { Language } from '../i18n/language.ts';

/** How long a child is on a step before its hint shows, in milliseconds. */
export const HINT_MS = 30_000;

/** Text in each language the studio speaks. */
export type Words = Record<Language, string>;

/** One thing a step's check asks for. */
export interface Requirement {
  block?: string;
  parent?: string;
  fields?: Record<string, string>;
  parentFields?: Record<string, string>;
  inputs?: Record<string, number>;
  online?: boolean;
  leds?: string;
}

/** One step of a lesson. */
export interface Step {
  text: Words;
  /** A toolbox category's id (`toolboxitemid` in blocks/toolbox.json) to highlight. */
  category?: string;
  /** The block type to drag, shown as a picture. */
  block?: string;
  hint?: Words;
  /** What must be true for the step to be done; a step without it is read and then finished. */
  done?: Requirement[];
}

/** A lesson as its file holds it. */
export interface Lesson {
  name: string;
  title: Words;
  steps: Step[];
}

/** What the studio shows now, beside the program: whether it runs online, and its LEDs. */
export interface BoardView {
  online: boolean;
  leds: readonly string[];
}

/** The block's place: "top", "<parent type>.next" or "<parent type>.<input name>". */
function placeOf(block: Blockly.Block): string {
  const parent = block.getParent();
  if (!parent) return 'top';
  const input = parent.getInputWithBlock(block);
  return `${parent.type}.${input ? input.name : 'next'}`;
}

function fieldsMatch(block: Blockly.Block | null, fields: Record<string, string> = {}): boolean {
  return Object.entries(fields).every(
    ([name, value]) => block !== null && String(block.getFieldValue(name)) === value,
  );
}

function inputsMatch(block: Blockly.Block, inputs: Record<string, number> = {}): boolean {
  return Object.entries(inputs).every(([name, value]) => {
    const child = block.getInputTargetBlock(name);
    return child?.type === 'math_number' && Number(child.getFieldValue('NUM')) === value;
  });
}

/** Whether `requirement` holds for `workspace` and the board. */
export function holds(
  requirement: Requirement,
  workspace: Blockly.Workspace,
  board: BoardView,
): boolean {
  if (requirement.online !== undefined && board.online !== requirement.online) return false;
  if (requirement.leds !== undefined && !board.leds.every((led) => led === requirement.leds)) {
    return false;
  }
  if (requirement.block === undefined) return true;
  return workspace
    .getBlocksByType(requirement.block, false)
    .some(
      (block) =>
        block.isEnabled() &&
        !block.isShadow() &&
        (requirement.parent === undefined || placeOf(block) === requirement.parent) &&
        fieldsMatch(block, requirement.fields) &&
        fieldsMatch(block.getParent(), requirement.parentFields) &&
        inputsMatch(block, requirement.inputs),
    );
}

/** Whether `step` is done: every requirement holds (a step with none is never done by itself). */
export function stepDone(step: Step, workspace: Blockly.Workspace, board: BoardView): boolean {
  return (step.done?.length ?? 0) > 0 && step.done!.every((r) => holds(r, workspace, board));
}

/**
 * The first step not done yet, from `from` on: a child who already built part of the program
 * (or went back) lands where the work is. `steps.length` when every step with a check is done.
 */
export function nextStep(
  lesson: Lesson,
  from: number,
  workspace: Blockly.Workspace,
  board: BoardView,
): number {
  let index = from;
  while (index < lesson.steps.length && stepDone(lesson.steps[index], workspace, board)) index++;
  return index;
}
