/**
 * The "MicroPython code" blocks: what importing MicroPython could not turn into blocks, kept
 * exactly. The text is their state (`{code, imports}`), shown in full, one label per line (a
 * text field would cut it at 50 characters and one line); `imports` are the program's import
 * lines the text uses (`import math` for `math.sqrt(x)`), so that main.py imports them again, and
 * `helpers`, the generator's helpers it calls (`mqtt_text`), so that main.py defines them again.
 */
import * as Blockly from 'blockly';

/** A code block's state. */
export interface CodeBlockState {
  code: string;
  imports?: string[];
  /** The generator's helpers (`def mqtt_text(data): …`) the code calls, as the program had them. */
  helpers?: string[];
  /** A value that is an operation (`a + b`): it needs parentheses inside another operation. */
  loose?: boolean;
}

type CodeBlock = Blockly.Block & {
  code?: string;
  imports?: string[];
  helpers?: string[];
  loose?: boolean;
};

/** Shows `code` on the block, one line per row. */
function show(block: CodeBlock): void {
  for (const input of [...block.inputList]) {
    if (input.name.startsWith('LINE')) block.removeInput(input.name);
  }
  (block.code ?? '').split('\n').forEach((line, i) => {
    const label = new Blockly.FieldLabel(line || ' ', 'micropython-code-line');
    label.maxDisplayLength = Infinity;
    block.appendDummyInput(`LINE${i}`).appendField(label);
  });
}

/** The block definitions (a statement and a value), shared by the browser and the command line. */
function definition(output: boolean): object {
  return {
    init(this: CodeBlock) {
      this.appendDummyInput('TITLE').appendField(
        Blockly.Msg.MICROPYTHON_CODE_MESSAGE ?? 'MicroPython',
      );
      if (output) this.setOutput(true);
      else {
        this.setPreviousStatement(true);
        this.setNextStatement(true);
      }
      this.setStyle('text_blocks');
      this.setTooltip(() => Blockly.Msg.MICROPYTHON_CODE_TOOLTIP ?? '');
      this.code = output ? 'None' : 'pass';
      this.imports = [];
      show(this);
    },
    saveExtraState(this: CodeBlock): CodeBlockState {
      const state: CodeBlockState = { code: this.code ?? '' };
      if (this.imports?.length) state.imports = [...this.imports];
      if (this.helpers?.length) state.helpers = [...this.helpers];
      if (this.loose) state.loose = true;
      return state;
    },
    loadExtraState(this: CodeBlock, state: CodeBlockState): void {
      this.code = typeof state?.code === 'string' ? state.code : '';
      this.imports = Array.isArray(state?.imports) ? state.imports.map(String) : [];
      this.helpers = Array.isArray(state?.helpers) ? state.helpers.map(String) : [];
      this.loose = state?.loose === true;
      show(this);
    },
  };
}

/** The statement block's type and the value block's type. */
export const CODE_TYPES = ['micropython_code', 'micropython_code_value'] as const;

/** Registers both code blocks with Blockly. */
export function defineCodeBlocks(): void {
  Blockly.common.defineBlocks({
    micropython_code: definition(false),
    micropython_code_value: definition(true),
  });
}

/** The MicroPython text a code block holds. */
export function codeOf(block: Blockly.Block): string {
  return (block as CodeBlock).code ?? '';
}

/** Whether a code value is an operation that needs parentheses inside another. */
export function isLoose(block: Blockly.Block): boolean {
  return (block as CodeBlock).loose === true;
}

/** The helper definitions a code block carries. */
export function helpersOf(block: Blockly.Block): string[] {
  return (block as CodeBlock).helpers ?? [];
}

/** The import lines a code block carries. */
export function importsOf(block: Blockly.Block): string[] {
  return (block as CodeBlock).imports ?? [];
}
