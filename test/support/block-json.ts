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

/** A connect block with test defaults, `fields` overriding them. */
export const connect = (fields: Record<string, unknown> = {}): BlockJson => ({
  type: 'mqtt_connect',
  fields: {
    SERVER: '192.168.1.10',
    PORT: 1883,
    CLIENT_ID: 'board1',
    USERNAME: '',
    PASSWORD: '',
    KEEPALIVE: 60,
    ...fields,
  },
});
/** A message handler running `body`. */
export const onMessage = (...body: BlockJson[]): BlockJson => ({
  type: 'mqtt_on_message',
  inputs: body.length ? { DO: { block: stack(...body) } } : {},
});
/** A button handler running `body`. */
export const onButton = (button: 'a' | 'b', ...body: BlockJson[]): BlockJson => ({
  type: 'board_on_button',
  fields: { BUTTON: button },
  inputs: { DO: { block: stack(...body) } },
});
/** An "all LEDs" block with these colour inputs. */
export const rgbFill = (red: unknown, green: unknown, blue: unknown): BlockJson => ({
  type: 'rgb_fill',
  inputs: { RED: red, GREEN: green, BLUE: blue },
});

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
