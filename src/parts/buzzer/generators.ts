/**
 * The buzzer blocks' code: MicroPython for the board (`import music`), TypeScript for the
 * browser's runtime (`buzzer`), and MicroPython back to blocks.
 */
import type * as Blockly from 'blockly';
import { Order as PythonOrder } from 'blockly/python';
import { Order as TypeScriptOrder } from 'blockly/javascript';
import type { MicroPythonGenerator } from '../../../generators/micropython/generator.ts';
import type { TypeScriptGenerator } from '../../../generators/typescript/generator.ts';
import { pythonInt } from '../../../generators/typescript/builtins.ts';
import {
  callNamed,
  numberValue,
  unwrap,
} from '../../../generators/micropython/import/python-tree.ts';
import { block, type ImportTable } from '../../../generators/micropython/import/context.ts';
import { TUNES } from './runtime.ts';

/** The tune a block names, one of the board's (a project file could hold anything). */
const tuneOf = (block: Blockly.Block) => {
  const tune = String(block.getFieldValue('TUNE'));
  return Object.hasOwn(TUNES, tune) ? tune : 'BA_DING';
};

/** The note block's frequency, a whole number of hertz. */
const hertzOf = (block: Blockly.Block) => Math.trunc(Number(block.getFieldValue('NOTE'))) || 0;

/** MicroPython for each buzzer block. */
export const micropython = {
  buzzer_play_note(block: Blockly.Block, generator: MicroPythonGenerator): string {
    generator.addImport('import music');
    const ms = generator.valueToCode(block, 'MS', PythonOrder.NONE) || '0';
    // `music.pitch` takes whole numbers only, as `sleep_ms` does.
    return `music.pitch(${hertzOf(block)}, ${/^\d+$/.test(ms) ? ms : `int(${ms})`})\n`;
  },
  buzzer_play_tune(block: Blockly.Block, generator: MicroPythonGenerator): string {
    generator.addImport('import music');
    return `music.play(music.${tuneOf(block)})\n`;
  },
  buzzer_stop(_block: Blockly.Block, generator: MicroPythonGenerator): string {
    generator.addImport('import music');
    return 'music.stop()\n';
  },
};

/** TypeScript for each buzzer block: the runtime's `buzzer`, waiting as the board does. */
export const typescript = {
  buzzer_play_note(block: Blockly.Block, generator: TypeScriptGenerator): string {
    const ms = generator.valueToCode(block, 'MS', TypeScriptOrder.NONE) || '0';
    const whole = /^\d+$/.test(ms) ? ms : pythonInt(generator, ms);
    return `await ${generator.use('buzzer')}.pitch(${hertzOf(block)}, ${whole});\n`;
  },
  buzzer_play_tune(block: Blockly.Block, generator: TypeScriptGenerator): string {
    return `await ${generator.use('buzzer')}.play("${tuneOf(block)}");\n`;
  },
  buzzer_stop(_block: Blockly.Block, generator: TypeScriptGenerator): string {
    return `${generator.use('buzzer')}.stop();\n`;
  },
};

/** The notes the note block offers, by frequency (a note between them becomes code). */
const NOTE_HERTZ = new Set(['262', '294', '330', '349', '392', '440', '494', '523']);

/** MicroPython back to buzzer blocks. */
export const importers: ImportTable = {
  statements: {
    buzzer_play_note: (list, at, cx) => {
      const call = callNamed(list[at], 'music.pitch');
      const hertz = call?.args.length === 2 ? numberValue(cx.resolve(call.args[0])) : null;
      if (!call || hertz === null || !NOTE_HERTZ.has(String(hertz))) return null;
      const whole = callNamed(unwrap(call.args[1]), 'int');
      const ms = cx.value(whole?.args.length === 1 ? whole.args[0] : call.args[1]);
      return { block: block('buzzer_play_note', { NOTE: String(hertz) }, { MS: ms }), used: 1 };
    },
    buzzer_play_tune: (list, at) => {
      const call = callNamed(list[at], 'music.play');
      const tune = call?.args.length === 1 ? /^music\.(\w+)$/.exec(call.args[0].text)?.[1] : null;
      return tune && Object.hasOwn(TUNES, tune)
        ? { block: block('buzzer_play_tune', { TUNE: tune }), used: 1 }
        : null;
    },
    buzzer_stop: (list, at) =>
      callNamed(list[at], 'music.stop')?.args.length === 0
        ? { block: block('buzzer_stop'), used: 1 }
        : null,
  },
};
