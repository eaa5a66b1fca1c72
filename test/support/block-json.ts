// Small builders for Blockly JSON, and generation from it, shared by the generator tests.
import * as Blockly from 'blockly';
import type { GeneratedProgram } from '../../generators/line-map.ts';

/** A block in Blockly's JSON serialization. */
export type BlockJson = Record<string, unknown>;

/** An input holding a number block. */
export const num = (n: number) => ({ block: { type: 'math_number', fields: { NUM: n } } });
/** An input holding a text block. */
export const txt = (text: string) => ({ block: { type: 'text', fields: { TEXT: text } } });
/** An input holding a variable (by id). */
export const get = (id: string) => ({ block: { type: 'variables_get', fields: { VAR: { id } } } });
/** An input holding `block`. */
export const value = (block: BlockJson) => ({ block });
/** A print block printing `input`. */
export const print = (input: unknown): BlockJson => ({
  type: 'text_print',
  inputs: { TEXT: input },
});

/** Links statement blocks into one stack, each the `next` of the one before. */
export function stack(...blocks: BlockJson[]): BlockJson {
  return blocks.reduceRight((next, block) => ({ ...block, next: { block: next } }));
}

/**
 * Generates a program from top-level blocks and variables (id = name) in a fresh workspace, with
 * its lines and a way to pick the lines whose owner (block id or null) passes a test.
 */
export function generateLines(
  generate: (workspace: Blockly.Workspace) => GeneratedProgram,
  blocks: BlockJson[],
  variables: string[] = [],
) {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(
      {
        variables: variables.map((name) => ({ name, id: name })),
        blocks: { languageVersion: 0, blocks },
      },
      workspace,
    );
    const program = generate(workspace);
    const lines = program.code.split('\n').slice(0, -1);
    const owned = (owner: (id: string | null) => boolean) =>
      lines.filter((_, n) => owner(program.lineBlocks[n]));
    return { ...program, lines, owned };
  } finally {
    workspace.dispose();
  }
}
