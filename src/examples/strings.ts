/**
 * The examples' words: each example's title and description, and the gallery's own words. Kept
 * out of the project files and templates so every language has its own (same keys in each map).
 */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

/** English example strings. `{name}` marks a value filled in by `t`. */
export const en = {
  galleryLabel: 'Examples',
  openExample: 'Open',
  openExampleLabel: 'Open {title}',
  onenetRgbTitle: 'OneNET RGB remote control',
  onenetRgbDescription:
    'Send “on” from the Messages panel (or from OneNET) and the LEDs light up red. Send “off” and they go dark.',
  onenetRgbTodayTitle: 'OneNET RGB remote control, OneNET today',
  onenetRgbTodayDescription:
    'The same lamp on OneNET’s current platform: type your product ID, device name and device key. Choose “lamp” under Messages and send “on” or “off”: the board answers “ok”.',
  buttonPublishTitle: 'A button that sends a message',
  buttonPublishDescription:
    'Press button A and the board sends “hello from A” to the topic class/hello. The screen says “sent!”.',
  twoBoardsChatTitle: 'Two boards chatting',
  twoBoardsChatDescription:
    'Two boards chat through the classroom broker: A says hi, B says bye. For the second board, set “my name” to Ben and “friend’s topic” to class/chat/Ann, and give it its own client ID.',
  oledMessagesTitle: 'Every message on the screen',
  oledMessagesDescription:
    'The screen shows each message sent to a class topic: the topic, the message, and how many have arrived.',
  lightReporterTitle: 'Light-level reporter',
  lightReporterDescription:
    'Every 2 seconds the board measures how bright it is and sends the number to class/light. Move the light slider on the board to try it.',
} as const;

/** The name of a part's example's title or description (`addPartExampleWords`). */
export type PartExampleKey = `${string}.title` | `${string}.description`;

/** The name of an example string. */
export type ExampleStringKey = keyof typeof en | PartExampleKey;

/**
 * Simplified Chinese example strings: every key of `en` (a new key goes into both maps). Text the
 * examples' blocks hold (variable names such as “my name”, topics, messages) is quoted as the
 * blocks show it, since it stays the same in every language.
 */
export const zhHans: Record<keyof typeof en, string> = {
  galleryLabel: '示例',
  openExample: '打开',
  openExampleLabel: '打开“{title}”',
  onenetRgbTitle: 'OneNET RGB 灯远程控制',
  onenetRgbDescription:
    '在“消息”面板（或 OneNET）发送“on”，RGB 灯就亮起红色；发送“off”，灯就熄灭。',
  onenetRgbTodayTitle: 'OneNET RGB 灯远程控制（新版 OneNET）',
  onenetRgbTodayDescription:
    '同样的灯，用现在的 OneNET 平台：填上你的产品ID、设备名称和设备密钥。在“消息”里选择“lamp”，发送“on”或“off”：掌控板会回复“ok”。',
  buttonPublishTitle: '按一下按键就发消息',
  buttonPublishDescription:
    '按下按键A，掌控板就把“hello from A”发送到主题 class/hello，显示屏上显示“sent!”。',
  twoBoardsChatTitle: '两块掌控板聊天',
  twoBoardsChatDescription:
    '两块掌控板通过教室服务器聊天：按 A 说 hi，按 B 说 bye。第二块掌控板要把“my name”设为 Ben，把“friend’s topic”设为 class/chat/Ann，还要用它自己的客户端ID。',
  oledMessagesTitle: '屏幕显示每一条消息',
  oledMessagesDescription:
    '显示屏显示发到 class/ 下各个主题的每一条消息：主题、消息内容，以及一共收到了几条。',
  lightReporterTitle: '光线强度报告员',
  lightReporterDescription:
    '掌控板每 2 秒测一次周围有多亮，并把数值发送到 class/light。拖动掌控板下面的光线滑块试试看。',
};

const maps: Record<Language, Record<ExampleStringKey, string>> = {
  en: { ...en },
  'zh-hans': { ...zhHans },
};

/** A part's example's title and description, in every language (its `example.json`). */
export interface PartExampleWords {
  title: Record<Language, string>;
  description: Record<Language, string>;
}

/**
 * Adds the words of a part's example (src/parts/<part>/example.json), which keeps them with the
 * part, as `<name>.title` and `<name>.description`; a language left out is an error here.
 */
export function addPartExampleWords(
  name: string,
  words: PartExampleWords,
): { title: PartExampleKey; description: PartExampleKey } {
  const keys = { title: `${name}.title`, description: `${name}.description` } as const;
  const languages = Object.keys(maps) as Language[];
  for (const language of languages) {
    for (const part of ['title', 'description'] as const) {
      const text = words[part]?.[language];
      if (typeof text !== 'string' || !text.trim()) {
        throw new Error(`The example ${name} has no ${part} in ${language}`);
      }
    }
  }
  for (const language of languages) {
    maps[language][keys.title] = words.title[language];
    maps[language][keys.description] = words.description[language];
  }
  return keys;
}

/** The example string `key` in the current language, with each `{name}` filled in. */
export const t = translator(maps);
