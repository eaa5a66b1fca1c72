/**
 * The buzzer (蜂鸣器): the board's `music` module on P6. Three blocks — play a note for a time,
 * play a built-in tune, stop — with their words, help and code in both languages; the runtime
 * piece is `runtime.ts`, the drawing and the sound on the virtual board `view.ts`.
 */
import type { Part } from '../part.ts';
import { TUNES, pitchTones, runtime, tuneTones } from './runtime.ts';
import { importers, micropython, typescript } from './generators.ts';

/** The notes the note block offers: middle C up to the next C, in whole hertz. */
const NOTES: [label: string, hertz: string][] = [
  ['C4 do', '262'],
  ['D4 re', '294'],
  ['E4 mi', '330'],
  ['F4 fa', '349'],
  ['G4 sol', '392'],
  ['A4 la', '440'],
  ['B4 si', '494'],
  ['C5 do', '523'],
];

const TUNE_NAMES = Object.keys(TUNES) as (keyof typeof TUNES)[];

const blocks = [
  {
    type: 'buzzer_play_note',
    message0: '%{BKY_BUZZER_PLAY_NOTE_MESSAGE}',
    args0: [
      { type: 'field_dropdown', name: 'NOTE', ariaTypeName: '%{BKY_ARIA_NOTE}', options: NOTES },
      { type: 'input_value', name: 'MS', check: 'Number', ariaLabelText: '%{BKY_ARIA_NOTE_MS}' },
    ],
    inputsInline: true,
    previousStatement: null,
    nextStatement: null,
    style: 'buzzer_blocks',
    tooltip: '%{BKY_BUZZER_PLAY_NOTE_TOOLTIP}',
    helpUrl: 'src/help/index.html#buzzer_play_note',
  },
  {
    type: 'buzzer_play_tune',
    message0: '%{BKY_BUZZER_PLAY_TUNE_MESSAGE}',
    args0: [
      {
        type: 'field_dropdown',
        name: 'TUNE',
        ariaTypeName: '%{BKY_ARIA_TUNE}',
        options: TUNE_NAMES.map((name) => [`%{BKY_BUZZER_TUNE_${name}}`, name]),
      },
    ],
    previousStatement: null,
    nextStatement: null,
    style: 'buzzer_blocks',
    tooltip: '%{BKY_BUZZER_PLAY_TUNE_TOOLTIP}',
    helpUrl: 'src/help/index.html#buzzer_play_tune',
  },
  {
    type: 'buzzer_stop',
    message0: '%{BKY_BUZZER_STOP_MESSAGE}',
    previousStatement: null,
    nextStatement: null,
    style: 'buzzer_blocks',
    tooltip: '%{BKY_BUZZER_STOP_TOOLTIP}',
    helpUrl: 'src/help/index.html#buzzer_stop',
  },
];

/** The buzzer part. */
export const buzzer: Part = {
  name: 'buzzer',
  colour: '#b5179e',
  blocks,
  toolbox: [
    {
      kind: 'block',
      type: 'buzzer_play_note',
      inputs: { MS: { shadow: { type: 'math_number', fields: { NUM: 500 } } } },
    },
    { kind: 'block', type: 'buzzer_play_tune' },
    { kind: 'block', type: 'buzzer_stop' },
  ],
  pythonNames: ['music'],
  micropython,
  typescript,
  importers,
  runtime,
  boardCall(call, args) {
    if (call === 'music.pitch')
      return { buzzer: { tones: pitchTones(Number(args[0]), Number(args[1])) } };
    if (call === 'music.play') return { buzzer: { tones: tuneTones(args[0] as string[]) } };
    if (call === 'music idle' || call === 'music.stop') return { buzzer: null };
    return undefined;
  },
  words: {
    en: {
      messages: {
        CATEGORY_BUZZER: 'Buzzer',
        BUZZER_PLAY_NOTE_MESSAGE: 'play note %1 for %2 ms',
        BUZZER_PLAY_NOTE_TOOLTIP:
          'The buzzer plays this note, and the program waits until it has finished.',
        BUZZER_PLAY_TUNE_MESSAGE: 'play tune %1',
        BUZZER_PLAY_TUNE_TOOLTIP:
          'The buzzer plays one of the board’s own tunes, and the program waits until its end.',
        BUZZER_STOP_MESSAGE: 'stop the buzzer',
        BUZZER_STOP_TOOLTIP: 'Silences the buzzer at once.',
        BUZZER_TUNE_BA_DING: 'ba-ding',
        BUZZER_TUNE_JUMP_UP: 'jump up',
        BUZZER_TUNE_JUMP_DOWN: 'jump down',
        BUZZER_TUNE_POWER_DOWN: 'power down',
        BUZZER_TUNE_RINGTONE: 'ringtone',
        BUZZER_TUNE_BIRTHDAY: 'happy birthday',
        ARIA_NOTE: 'note',
        ARIA_NOTE_MS: 'how long, in milliseconds',
        ARIA_TUNE: 'tune',
      },
      help: {
        buzzer_play_note: {
          title: 'Play a note',
          what:
            'The buzzer on the board plays a note — do, re, mi… — for this many milliseconds ' +
            '(1000 ms is one second). The next block runs when the note has finished.',
          tip: 'Put a few notes one under the other to play your own tune.',
          board: 'music.pitch(262, 500): the buzzer on P6 sounds, and the program waits.',
          browser:
            'The board on the page plays the note through your speakers and shows a sounding ' +
            'buzzer (press Run first: browsers only play sound after a click).',
        },
        buzzer_play_tune: {
          title: 'Play a tune',
          what:
            'The buzzer plays one of the board’s own tunes, like “ba-ding” or “happy birthday”. ' +
            'The next block runs when the tune has ended.',
          tip: 'Use “ba-ding” for a doorbell: put it inside “when button A is pressed”.',
          board: 'music.play(music.BA_DING): the firmware’s tune, played to its end.',
          browser: 'The board on the page plays the same notes for the same time.',
        },
        buzzer_stop: {
          title: 'Stop the buzzer',
          what: 'Silences the buzzer at once.',
          tip: 'A note or tune stops by itself at its end: you need this one only to cut it short.',
          board: 'music.stop()',
          browser: 'The board on the page goes quiet, as it does when you press Stop.',
        },
      },
    },
    'zh-hans': {
      messages: {
        CATEGORY_BUZZER: '蜂鸣器',
        BUZZER_PLAY_NOTE_MESSAGE: '播放音符 %1 持续 %2 毫秒',
        BUZZER_PLAY_NOTE_TOOLTIP: '蜂鸣器播放这个音符，程序等它播完再往下走。',
        BUZZER_PLAY_TUNE_MESSAGE: '播放旋律 %1',
        BUZZER_PLAY_TUNE_TOOLTIP: '蜂鸣器播放掌控板自带的一段旋律，程序等它播完再往下走。',
        BUZZER_STOP_MESSAGE: '停止蜂鸣器',
        BUZZER_STOP_TOOLTIP: '让蜂鸣器马上安静下来。',
        BUZZER_TUNE_BA_DING: '叮咚',
        BUZZER_TUNE_JUMP_UP: '跳上去',
        BUZZER_TUNE_JUMP_DOWN: '跳下来',
        BUZZER_TUNE_POWER_DOWN: '关机',
        BUZZER_TUNE_RINGTONE: '铃声',
        BUZZER_TUNE_BIRTHDAY: '生日快乐',
        ARIA_NOTE: '音符',
        ARIA_NOTE_MS: '持续多少毫秒',
        ARIA_TUNE: '旋律',
      },
      help: {
        buzzer_play_note: {
          title: '播放音符',
          what: '掌控板上的蜂鸣器播放一个音符（do、re、mi……），持续这么多毫秒（1000 毫秒就是 1 秒）。音符播完，才执行下一个积木。',
          tip: '把几个音符一个接一个排起来，就是你自己的曲子。',
          board: 'music.pitch(262, 500)：P6 上的蜂鸣器发声，程序等它播完。',
          browser:
            '页面上的那块板用你的扬声器播放这个音符，蜂鸣器显示正在发声（先点“运行”：浏览器只在点击之后才放声音）。',
        },
        buzzer_play_tune: {
          title: '播放旋律',
          what: '蜂鸣器播放掌控板自带的一段旋律，比如“叮咚”或“生日快乐”。旋律播完，才执行下一个积木。',
          tip: '做门铃就用“叮咚”：把它放进“当按键 A 被按下”里。',
          board: 'music.play(music.BA_DING)：固件里的旋律，一直播到结束。',
          browser: '页面上的那块板播放同样的音符，时间也一样长。',
        },
        buzzer_stop: {
          title: '停止蜂鸣器',
          what: '让蜂鸣器马上安静下来。',
          tip: '音符和旋律播完会自己停：只有想提前打断时才需要这个积木。',
          board: 'music.stop()',
          browser: '页面上的那块板安静下来，就像你点“停止”时一样。',
        },
      },
    },
  },
};
