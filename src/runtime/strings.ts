/**
 * Every sentence the browser runtime and its transport show a child (console lines and error
 * messages), in English and Simplified Chinese, in one place so they can be reviewed and
 * translated together.
 *
 * The program's Worker has no page to ask (no `localStorage`, no studio language): the page puts
 * the language in its `run` request and the Worker calls `setRuntimeLanguage` before the program
 * starts. `runtimeStrings` is a live binding, so every module that imports it then speaks it.
 *
 * A sentence the Worker posts to the page (an error, a notice) also goes as a `Sentence`, its name
 * and values, so the page can word it again when the child switches language.
 */
import type { Language } from '../i18n/language.ts';

/** English runtime sentences. */
const en = {
  /** Console line for the WiFi block: the browser needs no WiFi of its own. */
  wifiAlreadyOnline: (ssid: string) => `WiFi "${ssid}": the browser is already online`,
  /** Console line for the connect block: which broker the browser uses instead of the block's. */
  mqttConnecting: (url: string, server: string, port: number) =>
    `MQTT: in the browser the program connects to ${url} (the board would use ${server}:${port})`,
  cannotReachBroker: (url: string) =>
    `Cannot reach the broker at ${url}. Is the broker running, and is the address right?`,
  brokerTimedOut: (url: string, seconds: number) =>
    `The broker at ${url} did not answer within ${seconds} seconds.`,
  badCredentials: (url: string) =>
    `The broker at ${url} refused the connection: the username or password is wrong.`,
  notAuthorized: (url: string) =>
    `The broker at ${url} refused the connection: this program is not allowed to connect.`,
  clientIdRejected: (url: string, clientId: string) =>
    `The broker at ${url} refused the client ID "${clientId}". Try another client ID.`,
  brokerRefused: (url: string, code: number) =>
    `The broker at ${url} refused the connection (code ${code}).`,
  badBrokerUrl: (url: string) =>
    `"${url}" is not a broker address the browser can use: it must start with ws:// or wss://.`,
  subscribeRefused: (topic: string) => `The broker refused the subscription to topic "${topic}".`,
  /** `action` is one of the `action…` strings below. */
  connectFirst: (action: string) => `Connect to the MQTT broker before you ${action}.`,
  /** A publish or subscription after the connection dropped (on the board: OSError). */
  connectionLost:
    'The connection to the MQTT broker is closed, so nothing can be sent. On the board the program stops here too.',
  /** The broker dropped a program that sent nothing for 1.5 × its keep-alive. */
  droppedSilent: (silent: number, keepalive: number) =>
    `The broker closed the connection: the program sent nothing for ${silent} seconds, and with "keep alive ${keepalive} seconds" it must send something at least every ${keepalive} seconds. The real board is disconnected the same way. Make the time in "keep the connection alive every … ms" shorter (at most ${keepalive * 1000} ms), or take that block away: the connect block then keeps the connection alive by itself.`,
  /** The connection closed for another reason: umqtt never reconnects, so the program ends. */
  droppedOther:
    'The connection to the MQTT broker was lost: the broker stopped, or another device connected with the same client ID. The board does not connect again by itself, so its program ends here too: press Run to start again (on the board, press reset).',
  /** The top level ended while message handlers wait: on the board nothing calls wait_msg(). */
  notListening:
    'The program has run its last block, so nothing listens for messages any more: messages that arrive are not handled (buttons and the keep-alive still work). Put "keep listening for messages forever" at the end of the program. The real board does the same.',
  actionSubscribe: 'subscribe to a topic',
  actionPublish: 'publish a message',
  actionListen: 'listen for messages',
  keepaliveRange: (value: string) =>
    `Keep alive must be a whole number of seconds from 0 to 65535, not ${String(value)}.`,
  clientIdEmpty: 'The client ID is empty: every board needs its own client ID.',
  periodRange: (value: string) =>
    `The keep-alive period must be a number of milliseconds above 0, not ${String(value)}.`,
  ledIndex: (value: string) => `There are three LEDs (1, 2, 3); there is no LED ${String(value)}.`,
  oledLine: (value: string) => `The screen has lines 1 to 4; there is no line ${String(value)}.`,
  programCannotStart: 'The program could not be started in the browser.',
  /** The program's Worker itself failed (`reason` as the browser words it, when it does). */
  workerFailed: (reason: string) =>
    `The program could not be started: ${reason || 'the worker failed to load'}`,
} as const;

/** The runtime's sentences in one language: the same names and parameters as `en`. */
export type RuntimeStrings = {
  readonly [K in keyof typeof en]: (typeof en)[K] extends string ? string : (typeof en)[K];
};

/** Simplified Chinese runtime sentences. */
const zhHans: RuntimeStrings = {
  wifiAlreadyOnline: (ssid) => `WiFi“${ssid}”：浏览器已经联网了，不用再连`,
  mqttConnecting: (url, server, port) =>
    `MQTT：在浏览器里，程序连接的是 ${url}（掌控板会连接 ${server}:${port}）`,
  cannotReachBroker: (url) => `连不上 ${url} 的 MQTT 服务器。服务器开着吗？地址对吗？`,
  brokerTimedOut: (url, seconds) => `${url} 的 MQTT 服务器 ${seconds} 秒内没有回应。`,
  badCredentials: (url) => `${url} 的 MQTT 服务器拒绝了连接：用户名或密码不对。`,
  notAuthorized: (url) => `${url} 的 MQTT 服务器拒绝了连接：这个程序没有连接的权限。`,
  clientIdRejected: (url, clientId) =>
    `${url} 的 MQTT 服务器不接受客户端ID“${clientId}”。换一个客户端ID试试。`,
  brokerRefused: (url, code) => `${url} 的 MQTT 服务器拒绝了连接（代码 ${code}）。`,
  badBrokerUrl: (url) => `“${url}”不是浏览器能用的服务器地址：要以 ws:// 或 wss:// 开头。`,
  subscribeRefused: (topic) => `MQTT 服务器不允许订阅主题“${topic}”。`,
  connectFirst: (action) => `要先连接 MQTT 服务器，才能${action}。`,
  connectionLost: '和 MQTT 服务器的连接已经断开，什么也发不出去了。掌控板上的程序也会在这里停下。',
  droppedSilent: (silent, keepalive) =>
    `MQTT 服务器断开了连接：程序已经 ${silent} 秒什么也没有发送，而“保持连接 ${keepalive} 秒”要求至少每 ${keepalive} 秒发送一次。真的掌控板也会这样被断开。请把“每 … 毫秒保持一次连接”的时间改短（最多 ${keepalive * 1000} 毫秒），或者去掉这个积木：那样连接积木会自己保持连接。`,
  droppedOther:
    '和 MQTT 服务器的连接断开了：服务器停了，或者另一个设备用同一个客户端ID连上了。掌控板不会自己重新连接，所以它的程序也会在这里结束：请再按一次“运行”（掌控板上按复位键）。',
  notListening:
    '程序已经运行到最后一个积木，没有积木在等待接收消息了：收到的消息都不会被处理（按键和保持连接还在工作）。请把“一直等待接收消息”放在程序的最后。真的掌控板也是这样。',
  actionSubscribe: '订阅主题',
  actionPublish: '发布消息',
  actionListen: '接收消息',
  keepaliveRange: (value) =>
    `保持连接的时间必须是 0 到 65535 之间的整数秒，不能是 ${String(value)}。`,
  clientIdEmpty: '客户端ID是空的：每块掌控板都要有自己的客户端ID。',
  periodRange: (value) => `保持连接的间隔必须是大于 0 的毫秒数，不能是 ${String(value)}。`,
  ledIndex: (value) => `掌控板只有三个 RGB 灯（1、2、3），没有 RGB 灯 ${String(value)}。`,
  oledLine: (value) => `显示屏只有第 1 到第 4 行，没有第 ${String(value)} 行。`,
  programCannotStart: '程序没能在浏览器里启动。',
  workerFailed: (reason) => `程序没能启动：${reason || '运行程序的 Worker 没有加载成功'}`,
};

/** The runtime's sentences in each language. */
export const runtimeStringMaps: Readonly<Record<Language, RuntimeStrings>> = {
  en,
  'zh-hans': zhHans,
};

/**
 * The runtime's sentences in the language set by `setRuntimeLanguage` (English until then). A
 * live binding: importers see the new object after `setRuntimeLanguage`.
 */
export let runtimeStrings: RuntimeStrings = en;

/** The language `runtimeStrings` speaks. */
let runtimeLanguage: Language = 'en';

/** Makes `runtimeStrings` speak `language` (the Worker calls it once, before the program runs). */
export function setRuntimeLanguage(language: Language): void {
  runtimeLanguage = runtimeStringMaps[language] ? language : 'en';
  runtimeStrings = runtimeStringMaps[runtimeLanguage];
}

/** The name of a runtime sentence. */
export type SentenceKey = keyof RuntimeStrings;

/** The values sentence `K` takes; each may itself be a sentence (worded in the same language). */
export type SentenceArgs<K extends SentenceKey> = RuntimeStrings[K] extends (
  ...args: infer A
) => string
  ? { [I in keyof A]: A[I] | Sentence }
  : [];

/**
 * A runtime sentence by name and values, plain data that a Worker can post: the page words it in
 * the language it shows at the moment (`wordSentence`).
 */
export type Sentence = {
  [K in SentenceKey]: { readonly key: K; readonly args: SentenceArgs<K> };
}[SentenceKey];

/** The runtime sentence `key` with `args`. */
export function sentence<K extends SentenceKey>(key: K, ...args: SentenceArgs<K>): Sentence {
  return { key, args } as unknown as Sentence;
}

/**
 * A line of the runtime's own for Messages: its text in the run's language, and its sentence so
 * the page can word it again when its language changes.
 */
export function runtimeLine<K extends SentenceKey>(
  key: K,
  ...args: SentenceArgs<K>
): { text: string; sentence: Sentence } {
  const said = sentence(key, ...args);
  return { text: wordSentence(said, runtimeLanguage), sentence: said };
}

/** `said` in `language`. */
export function wordSentence(said: Sentence, language: Language): string {
  const words = runtimeStringMaps[language][said.key] as string | ((...args: unknown[]) => string);
  if (typeof words === 'string') return words;
  const args = (said.args as readonly unknown[]).map((arg) =>
    isSentence(arg) ? wordSentence(arg, language) : arg,
  );
  return words(...args);
}

function isSentence(value: unknown): value is Sentence {
  return typeof value === 'object' && value !== null && 'key' in value && 'args' in value;
}

/** An error whose message is a runtime sentence, worded in the run's language. */
export class SentenceError extends Error {
  constructor(
    readonly sentence: Sentence,
    options?: ErrorOptions,
  ) {
    super(wordSentence(sentence, runtimeLanguage), options);
  }
}

/**
 * The sentence `error` says: its own, or that of the error it was thrown again for (the
 * runtime rethrows errors from the program's line with the same message and the first as
 * `cause`). Undefined for any other error (the program's own, the JavaScript engine's).
 */
export function sentenceOf(error: unknown): Sentence | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof SentenceError)
      return e.message === (error as Error).message ? e.sentence : undefined;
  }
  return undefined;
}
