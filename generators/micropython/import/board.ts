/** Importers for the board blocks: the OLED, buttons A and B, waiting, light and sound. */
import { callNamed, numberValue, unwrap, type Py } from './python-tree.ts';
import { block, type BlockJson, type ImportContext, type ImportTable } from './context.ts';

/** The handler block for a button's function body (the function is found by ./index.ts). */
export function buttonHandler(button: 'a' | 'b', body: BlockJson | undefined): BlockJson {
  return block('board_on_button', { BUTTON: button }, { DO: body });
}

/** How long, in ms, for `sleep_ms(n)`, `time.sleep_ms(n)`, `time.sleep(s)`, `sleep(s)`. */
function waited(node: Py, cx: ImportContext): BlockJson | null {
  for (const name of ['sleep_ms', 'time.sleep_ms', 'utime.sleep_ms']) {
    const call = callNamed(node, name);
    if (call?.args.length === 1) {
      const whole = callNamed(unwrap(call.args[0]), 'int');
      return cx.value(whole?.args.length === 1 ? whole.args[0] : call.args[0]);
    }
  }
  for (const name of ['time.sleep', 'sleep', 'utime.sleep']) {
    const call = callNamed(node, name);
    const seconds = call?.args.length === 1 ? numberValue(cx.resolve(call.args[0])) : null;
    if (seconds !== null) return block('math_number', { NUM: Math.round(seconds * 1000) });
  }
  return null;
}

const LINES: Record<number, string> = { 0: '1', 16: '2', 32: '3', 48: '4' };

export const importers: ImportTable = {
  statements: {
    oled_show_text: (list, at, cx) => {
      let i = at;
      const clear = callNamed(list[i], 'oled.fill_rect');
      if (clear?.args.length === 5) i++;
      const call = callNamed(list[i], 'oled.DispChar');
      if (!call || call.args.length < 3) return null;
      const [text, x, y] = call.args;
      const line = LINES[numberValue(cx.resolve(y)) ?? -1];
      if (numberValue(cx.resolve(x)) !== 0 || !line) return null;
      if (clear && numberValue(clear.args[1]) !== numberValue(cx.resolve(y))) return null;
      const shown = callNamed(list[i + 1], 'oled.show')?.args.length === 0 ? 1 : 0;
      const str = callNamed(unwrap(text), 'str');
      const value = cx.value(str?.args.length === 1 ? str.args[0] : text);
      return {
        block: block('oled_show_text', { LINE: line }, { TEXT: value }),
        used: i - at + 1 + shown,
      };
    },
    oled_clear: (list, at) => {
      const call = callNamed(list[at], 'oled.fill');
      if (call?.args.length !== 1 || numberValue(call.args[0]) !== 0) return null;
      const shown = callNamed(list[at + 1], 'oled.show')?.args.length === 0 ? 1 : 0;
      return { block: block('oled_clear'), used: 1 + shown };
    },
    // A lone `oled.show()` after other screen lines: they show already.
    oled_show: (list, at) =>
      callNamed(list[at], 'oled.show')?.args.length === 0 &&
      at > 0 &&
      list[at - 1].text.startsWith('oled.')
        ? { block: null, used: 1 }
        : null,
    board_wait: (list, at, cx) => {
      const node = list[at];
      const ms = node.type === 'ExpressionStatement' ? waited(node.kids[0], cx) : null;
      return ms ? { block: block('board_wait', {}, { MS: ms }), used: 1 } : null;
    },
  },
  values: {
    board_light_level: (node) =>
      callNamed(node, 'light.read')?.args.length === 0 ? block('board_light_level') : null,
    board_sound_level: (node) =>
      callNamed(node, 'sound.read')?.args.length === 0 ? block('board_sound_level') : null,
  },
  handlers: {
    board_on_button: (event, body) =>
      event === 'button_a' || event === 'button_b'
        ? buttonHandler(event === 'button_a' ? 'a' : 'b', body)
        : null,
  },
};
