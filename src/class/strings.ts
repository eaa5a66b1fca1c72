/**
 * The classroom wall's words in English and Simplified Chinese. Its templates call `t()` while
 * rendering, so a language switch shows at once.
 */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

/** English classroom-wall strings. `{name}` marks a value filled in by `t`. */
export const en = {
  title: 'Classroom wall',
  live: 'Live',
  connecting: 'Connecting…',
  lost: 'Connection to the studio lost: reconnecting…',
  devices: '{online} of {count} devices online',
  noDevices: 'No device has connected yet. Children press Run; boards connect to the MQTT port.',
  target: 'Send to',
  targetAll: 'Everyone',
  targetGroup: 'Group {group}',
  message: 'Message',
  messagePlaceholder: 'e.g. on',
  send: 'Send',
  stopAll: 'Stop every program',
  stopAllHint: 'Stops the Run of every virtual board (real boards are left alone)',
  online: 'online',
  offline: 'offline',
  realBoard: 'real board',
  virtualBoard: 'virtual board',
  noProject: '(no project name)',
  lastIn: 'In',
  lastOut: 'Out',
  leds: 'LEDs',
  screen: 'Screen',
  checkHeading: 'Check the class',
  checkSend: 'Send',
  checkExpect: 'expect',
  expectRed: 'LEDs red',
  expectGreen: 'LEDs green',
  expectBlue: 'LEDs blue',
  expectOff: 'LEDs off',
  expectReply: 'a reply',
  checkWithin: 'within (s)',
  checkRun: 'Run the check',
  checkRunning: 'Checking… {left} s',
  checkDone: '{passed} of {count} passed',
  checkSave: 'Save as CSV',
  checkPass: 'passed',
  checkFail: 'did not pass',
  checkWaiting: 'waiting',
  csvDevice: 'client ID',
  csvProject: 'project',
  csvGroup: 'group',
  csvKind: 'kind',
  csvResult: 'result',
  csvCheck: 'check',
  csvTime: 'time',
};

/** Classroom-wall string keys. */
export type ClassStringKey = keyof typeof en;

/** Simplified Chinese classroom-wall strings. */
export const zhHans: Record<ClassStringKey, string> = {
  title: '班级墙',
  live: '已连接',
  connecting: '正在连接…',
  lost: '和本站服务器的连接断开了，正在重新连接…',
  devices: '{count} 个设备中 {online} 个在线',
  noDevices: '还没有设备连上。学生按下“运行”，掌控板连到 MQTT 端口后就会出现在这里。',
  target: '发给',
  targetAll: '所有人',
  targetGroup: '小组 {group}',
  message: '消息',
  messagePlaceholder: '例如 on',
  send: '发送',
  stopAll: '停止所有程序',
  stopAllHint: '停止每块虚拟掌控板的运行（真的掌控板不受影响）',
  online: '在线',
  offline: '离线',
  realBoard: '真掌控板',
  virtualBoard: '虚拟掌控板',
  noProject: '（没有项目名）',
  lastIn: '收到',
  lastOut: '发出',
  leds: '彩灯',
  screen: '屏幕',
  checkHeading: '检查全班',
  checkSend: '发送',
  checkExpect: '期望',
  expectRed: '彩灯变红',
  expectGreen: '彩灯变绿',
  expectBlue: '彩灯变蓝',
  expectOff: '彩灯熄灭',
  expectReply: '有回复',
  checkWithin: '时限（秒）',
  checkRun: '开始检查',
  checkRunning: '检查中… 还有 {left} 秒',
  checkDone: '{count} 个中 {passed} 个通过',
  checkSave: '保存为 CSV',
  checkPass: '通过',
  checkFail: '没通过',
  checkWaiting: '等待中',
  csvDevice: '客户端 ID',
  csvProject: '项目',
  csvGroup: '小组',
  csvKind: '类型',
  csvResult: '结果',
  csvCheck: '检查',
  csvTime: '时间',
};

const maps: Record<Language, Record<ClassStringKey, string>> = { en, 'zh-hans': zhHans };

/** The classroom-wall string `key` in the current language. */
export const t = translator(maps);
