/**
 * The words of the block help page (`src/help/index.html`), in English and Simplified Chinese:
 * the page's own labels and, for every block of ours, what it does, a tip and, where the board
 * and the browser differ (every MQTT block), what each of them does. Keyed by block type, which
 * is also the section's id and the anchor of the block's `helpUrl`.
 */

import type { Language } from '../i18n/language.ts';
import { PARTS } from '../parts/index.ts';

/** One block's help. */
export interface BlockHelp {
  /** The section heading: the block's name in a few words. */
  title: string;
  /** What the block does, in a sentence or three a child can read. */
  what: string;
  /** One practical tip. */
  tip: string;
  /** What happens on the real board (the MicroPython in main.py); required for MQTT blocks. */
  board?: string;
  /** What happens when the program runs in the browser; required for MQTT blocks. */
  browser?: string;
}

/** The page's own labels. */
export interface HelpPageStrings {
  /** `<title>` and the heading. */
  title: string;
  intro: string;
  backToStudio: string;
  contents: string;
  whatItDoes: string;
  tip: string;
  onTheBoard: string;
  inTheBrowser: string;
  /** Heading for blocks of ours that no toolbox category lists. */
  otherBlocks: string;
  /** The language switch: each language's name, in that language. */
  languageNames: Record<Language, string>;
  languageSwitch: string;
}

/** The page's labels, per language. */
export const pageStrings: Record<Language, HelpPageStrings> = {
  en: {
    title: 'IoT Blocks — help for every block',
    intro:
      'Every block of IoT Blocks: what it does, a tip, and for the MQTT blocks what the real ' +
      'board does and what the browser does when you press Run. In the studio, right-click a ' +
      'block (or press and hold it) and choose Help to come straight here.',
    backToStudio: 'Back to the studio',
    contents: 'Blocks',
    whatItDoes: 'What it does',
    tip: 'Tip',
    onTheBoard: 'On the board (main.py)',
    inTheBrowser: 'In the browser (Run)',
    otherBlocks: 'More blocks',
    languageNames: { en: 'English', 'zh-hans': '中文' },
    languageSwitch: 'Language',
  },
  'zh-hans': {
    title: 'IoT Blocks 积木帮助',
    intro:
      'IoT Blocks 的每一个积木：它做什么、一个小窍门；MQTT 积木还会说明真正的掌控板怎么做，' +
      '以及按下“运行”后浏览器怎么做。在编程界面里右键点击积木（或者按住积木不放），' +
      '选择“帮助”就能直接来到这里。',
    backToStudio: '返回编程界面',
    contents: '积木',
    whatItDoes: '它做什么',
    tip: '小窍门',
    onTheBoard: '在掌控板上（main.py）',
    inTheBrowser: '在浏览器里（运行）',
    otherBlocks: '更多积木',
    languageNames: { en: 'English', 'zh-hans': '中文' },
    languageSwitch: '语言',
  },
};

/** Help for the board's own blocks, per language, keyed by block type. */
const boardHelp: Record<Language, Record<string, BlockHelp>> = {
  en: {
    wifi_connect: {
      title: 'Connect to WiFi',
      what:
        'Joins the WiFi network with this name and password. The board waits here until it is ' +
        'connected, then goes on to the next block.',
      tip:
        'Put it first, before "connect to MQTT broker". Name and password must match exactly, ' +
        'capital letters included. The board can only join 2.4 GHz networks.',
      board:
        'The board joins the network (wifi().connectWiFi). If it cannot, the program stops with ' +
        'an error.',
      browser:
        'The browser is already online: the block only prints a line under Messages and the ' +
        'program goes on.',
    },
    mqtt_connect: {
      title: 'Connect to an MQTT broker',
      what:
        'Connects the program to an MQTT broker, the post office that passes messages between ' +
        'boards and browsers. Server and port say where the broker is; the client ID is this ' +
        'board’s name there; username and password are for brokers that ask for them; keep ' +
        'alive is how many seconds the broker waits for a sign of life.',
      tip:
        'Every board and every browser needs its own client ID: when a second one connects with ' +
        'the same ID, the broker closes the first. The studio gives each new connect block its ' +
        'own ID and warns when two are the same. In class, the server is the address your ' +
        'teacher wrote up, port 1883. OneNET’s old address, 183.230.40.39 port 6002 (the ' +
        'OneNET RGB example uses it, as the mPython tutorial does), may no longer be running: ' +
        'for OneNET today, use the "connect to OneNET" block.',
      board:
        'The board connects over TCP to the server and port in the block (umqtt.simple), with ' +
        'the client ID, username, password and keep alive as typed: they are written into ' +
        'main.py. When the program has no "keep the connection alive" block, the connect block ' +
        'starts one of the board’s timers itself, pinging every half keep alive, so a quiet ' +
        'board is never dropped.',
      browser:
        'A browser cannot use TCP, so it connects over WebSocket to the Broker setting at the ' +
        'top of the studio (the studio’s own broker unless you chose another). The client ID and ' +
        'keep alive come from the block; the username and password go only to the studio’s ' +
        'broker or an address you typed, never to a public broker. A line under Messages says ' +
        'where it connected.',
    },
    mqtt_on_message: {
      title: 'When a message arrives',
      what:
        'Runs the blocks inside every time a message arrives, whatever its topic. Inside, "the ' +
        'topic" and "the message" tell you what arrived.',
      tip:
        'Put "message is …" in an "if" block inside to do different things for different ' +
        'messages, like on and off. One of these blocks is enough: two would both run.',
      board:
        'The blocks become the function on_message(topic, msg). The board handles messages only ' +
        'while it is in "keep listening for messages forever". OneNET’s commands ($creq/…) ' +
        'arrive here too, without subscribing.',
      browser:
        'The same as on the board: messages are handled one after another while the program ' +
        'keeps listening, and not at all when nothing listens (the block then shows a warning). ' +
        'If the blocks inside fail, the error is shown at the block and the next message is ' +
        'handled, on the page and on the board. Text sent from the Messages panel to this ' +
        'program’s client ID arrives here too, without subscribing, just as OneNET’s commands do.',
    },
    mqtt_topic: {
      title: 'The topic',
      what: 'The topic of the message that just arrived, as text.',
      tip:
        'It only has a value inside "when a message arrives". Print it to see where messages ' +
        'come from.',
      board:
        'The board receives the topic as bytes; the block turns them into text (UTF-8, so ' +
        'Chinese works).',
      browser: 'The same text as on the board.',
    },
    mqtt_message: {
      title: 'The message',
      what: 'The message that just arrived, as text.',
      tip:
        'Show it on the screen with "show … on the screen" to make a message board. It only has ' +
        'a value inside "when a message arrives".',
      board:
        'The board receives the message as bytes; the block turns them into text (UTF-8, so ' +
        'Chinese works; broken bytes become �).',
      browser: 'The same text as on the board.',
    },
    mqtt_message_is: {
      title: 'Message is …',
      what:
        'True when the message that just arrived is exactly this text, false otherwise. Capital ' +
        'letters and spaces count: "On" and "on " are not "on".',
      tip: 'Use it in an "if" block inside "when a message arrives".',
      board:
        'Compares the message’s bytes with the text’s bytes (msg == b"on"), so it works even ' +
        'though the board receives bytes.',
      browser: 'Compares the message’s bytes the same way, with the same result.',
    },
    mqtt_if_message: {
      title: 'If the message is … then',
      what:
        'Runs the blocks inside it when the message that just arrived is exactly this text. ' +
        'Capital letters and spaces count: "On" and "on " are not "on".',
      tip:
        'Put one for each word your board understands inside "when a message arrives": one ' +
        'for "on" with "set all LEDs", one for "off" with "turn off all LEDs".',
      board:
        'An `if msg == b"on":` in the message callback: it compares the message’s bytes with the ' +
        'text’s bytes.',
      browser: 'Compares the message’s bytes the same way, with the same result.',
    },
    mqtt_subscribe: {
      title: 'Subscribe to a topic',
      what: 'Asks the broker to send this program every message published on this topic.',
      tip:
        'Subscribe after connecting. Topics have levels, like class3/lights. In a topic you ' +
        'subscribe to, # means everything below (class3/#) and + any one level (+/lights).',
      board:
        'Sent to the broker over TCP; the messages reach "when a message arrives" while the ' +
        'board keeps listening.',
      browser:
        'Sent over WebSocket to the Broker setting’s broker. Boards and browsers hear each ' +
        'other only when they use the same broker.',
    },
    mqtt_publish: {
      title: 'Publish a message',
      what:
        'Sends a message on a topic. Every program subscribed to that topic gets it, this one ' +
        'too if it subscribed.',
      tip:
        'Put it inside "when button A is pressed" to make a doorbell, and watch the message ' +
        'arrive under Messages.',
      board:
        'The board sends the message and topic as UTF-8 bytes to the broker in the connect ' +
        'block.',
      browser:
        'The browser sends the same bytes to the Broker setting’s broker; the Messages panel ' +
        'shows it when that is the studio’s broker.',
    },
    mqtt_keep_alive: {
      title: 'Keep the connection alive',
      what:
        'Tells the broker "I am still here" regularly (a ping), so the connection is not dropped ' +
        'when there is nothing to say.',
      tip:
        'You may leave it out: the connect block then pings every half keep alive by itself. ' +
        'If you use it, make the time shorter than the connect block’s keep alive: 2000 ms with ' +
        'keep alive 10 seconds, say (the block warns when it is too slow).',
      board:
        'Starts one of the board’s four hardware timers, which sends ping() every period: ' +
        'umqtt.simple sends no pings by itself. A broker closes a board that sent nothing for ' +
        '1.5 × keep alive seconds.',
      browser:
        'The same timer, sending the same pings: nothing else keeps the browser’s connection ' +
        'alive, so a time that is too slow makes the page go offline exactly when the board would.',
    },
    mqtt_listen_forever: {
      title: 'Keep listening for messages forever',
      what: 'Waits for messages and handles each one with "when a message arrives", forever.',
      tip: 'Put it last: blocks after it never run.',
      board:
        'A loop around wait_msg(): this is where the board handles messages. If the connection ' +
        'breaks (the broker stopped, or dropped a silent board), the loop ends with an error and ' +
        'the program is over: umqtt.simple does not connect again. Press reset to start again.',
      browser:
        'The same: messages are handled only here, and when the connection breaks the page says ' +
        'why, marks this block and ends the program, as the board would. Press Run to start ' +
        'again.',
    },
    onenet_connect: {
      title: 'Connect to OneNET',
      what:
        'Connects the program to OneNET, China Mobile’s IoT platform, as one of your devices. ' +
        'Copy the product ID from your product’s page, and the device name and device key from ' +
        'your device’s page. The studio turns the key into a login password (a token) that works ' +
        'until the end of the date on the block (Beijing time).',
      tip:
        'The key is like a password: the program only gets the token made from it, never the key ' +
        'itself, but the key is saved in your project, so share the project only with people ' +
        'you trust. When the date has passed, OneNET refuses the login: choose a later date ' +
        '(the block warns you). Any of the three signing methods works.',
      board:
        'The board connects to mqtts.heclouds.com port 1883 with the device name as its client ' +
        'ID, the product ID as its username and the token as its password (umqtt.simple), then ' +
        'subscribes to its command topic $sys/<product ID>/<device name>/cmd/request/+, as ' +
        'OneNET asks.',
      browser:
        'A browser cannot reach OneNET (OneNET has no WebSocket address), so the program connects ' +
        'to the Broker setting instead, and the studio’s own broker plays OneNET: send a command ' +
        'to the device name from the Messages panel and it arrives on the command topic with a ' +
        'new command ID; replies and uploads show under Messages. You can practise without a ' +
        'OneNET account.',
    },
    onenet_on_command: {
      title: 'When a OneNET command arrives',
      what:
        'Runs the blocks inside every time OneNET sends this device a command. Inside, "the ' +
        'command" is what was sent. When the blocks are done, OneNET gets the answer "ok", unless ' +
        'a "reply to the command" block answered already.',
      tip:
        'Put "command is …" in an "if" block inside to do different things for different ' +
        'commands, like on and off. OneNET’s page waits a few seconds for the answer.',
      board:
        'The blocks become part of on_message(topic, msg), for messages on ' +
        '$sys/<product ID>/<device name>/cmd/request/<command ID>. The answer goes to ' +
        '…/cmd/response/<the same command ID>. The board handles commands only while it is in ' +
        '"keep listening for messages forever".',
      browser:
        'The same topics, on the studio’s broker: in the Messages panel choose the device name ' +
        'and press on or off, and the command arrives with a new command ID; the answer shows ' +
        'under Messages.',
    },
    onenet_command: {
      title: 'The command',
      what: 'The command OneNET just sent, as text.',
      tip:
        'It only has a value inside "when a OneNET command arrives". Show it on the screen to see ' +
        'what arrives.',
      board: 'The board receives the command as bytes; the block turns them into text (UTF-8).',
      browser: 'The same text as on the board.',
    },
    onenet_command_is: {
      title: 'Command is …',
      what:
        'True when the command that just arrived is exactly this text, false otherwise. Capital ' +
        'letters and spaces count.',
      tip: 'Use it in an "if" block inside "when a OneNET command arrives".',
      board: 'Compares the command’s bytes with the text’s bytes (msg == b"on").',
      browser: 'Compares the same bytes, with the same result.',
    },
    onenet_reply: {
      title: 'Reply to the command',
      what:
        'Answers the command that just arrived with this text, which OneNET shows to whoever ' +
        'sent the command. Each command gets one answer: after this block, no "ok" is sent, and ' +
        'a second reply block does nothing.',
      tip: 'Answer with what the board did, like "red" or "off", so the sender knows it worked.',
      board:
        'Publishes the text to $sys/<product ID>/<device name>/cmd/response/<command ID>, with the ' +
        'ID of the command being handled.',
      browser: 'Publishes the same to the studio’s broker; the answer shows under Messages.',
    },
    onenet_upload: {
      title: 'Upload a data point to OneNET',
      what:
        'Sends one value, a number or text, to a data stream of your OneNET device. OneNET keeps ' +
        'every value and can draw them as a chart.',
      tip:
        'Put it in a loop with "wait 2000 ms" and "light level" to record how bright the room is ' +
        'all day.',
      board:
        'Publishes {"id":1,"dp":{"light":[{"v":123}]}} to ' +
        '$sys/<product ID>/<device name>/dp/post/json; the id counts up with each upload.',
      browser:
        'Publishes the same to the studio’s broker, which answers on …/dp/post/json/accepted ' +
        'as OneNET does; both show under Messages.',
    },
    rgb_fill: {
      title: 'Set all LEDs to a colour',
      what:
        'Lights all three LEDs in one colour, mixed from red, green and blue, each from 0 (off) ' +
        'to 255 (brightest).',
      tip:
        'Pick a colour on the swatch and the numbers follow. 50 is already bright: easy on the ' +
        'eyes.',
      board: 'rgb.fill(…) then rgb.write(): the LEDs change at once.',
      browser: 'The three LEDs of the board in the page change colour.',
    },
    rgb_set: {
      title: 'Set one LED to a colour',
      what:
        'Lights one LED (1, 2 or 3) in a colour mixed from red, green and blue, each from 0 ' +
        '(off) to 255 (brightest).',
      tip: 'Give each LED its own colour to make a traffic light.',
    },
    rgb_off: {
      title: 'Turn all LEDs off',
      what: 'Turns all three LEDs off.',
      tip: 'Use it with "wait" and "set all LEDs" to make the LEDs blink.',
    },
    oled_show_text: {
      title: 'Show text on the screen',
      what:
        'Writes text on one line (1 to 4) of the board’s screen, replacing what was on that ' +
        'line.',
      tip: 'About 16 letters or 8 Chinese characters fit on a line.',
    },
    oled_clear: {
      title: 'Clear the screen',
      what: 'Makes the whole screen blank.',
      tip: 'Clear the screen first when a new message should replace everything.',
    },
    board_on_button: {
      title: 'When a button is pressed',
      what: 'Runs the blocks inside every time button A or B is pressed.',
      tip: 'On the board in the page, click or tap button A or B. One block per button is enough.',
    },
    board_wait: {
      title: 'Wait',
      what: 'Waits this many milliseconds before the next block: 1000 ms is one second.',
      tip: 'Put it between two colours to make the LEDs blink.',
    },
    board_light_level: {
      title: 'Light level',
      what:
        'How bright it is around the board’s light sensor, as a number: 0 is dark, 4095 is very ' +
        'bright.',
      tip:
        'Publish it every few seconds to make a light reporter, or compare it with a number in ' +
        'an "if" to switch the LEDs on when it gets dark.',
      board: 'Reads the light sensor (light.read()) at the moment the block runs.',
      browser: 'Reads the Light slider of the board in the page: move it to try your program.',
    },
    board_sound_level: {
      title: 'Sound level',
      what:
        'How loud it is around the board’s microphone, as a number: 0 is quiet, 4095 is very ' +
        'loud.',
      tip: 'Clap and watch it jump: show it on the screen in a loop with a short wait.',
      board: 'Reads the microphone (sound.read()) at the moment the block runs.',
      browser: 'Reads the Sound slider of the board in the page: move it to try your program.',
    },
  },
  'zh-hans': {
    wifi_connect: {
      title: '连接 WiFi',
      what: '用这个名称和密码连接 WiFi 网络。掌控板会在这里等到连上，再去执行下一个积木。',
      tip:
        '把它放在最前面，在“连接 MQTT 服务器”之前。名称和密码要一字不差，大小写也要一样。' +
        '掌控板只能连接 2.4 GHz 的 WiFi。',
      board: '掌控板连接这个网络（wifi().connectWiFi）。连不上时，程序会停下来并报错。',
      browser: '浏览器本来就已经联网：这个积木只在“消息”里打印一行，然后程序继续往下走。',
    },
    mqtt_connect: {
      title: '连接 MQTT 服务器',
      what:
        '把程序连接到 MQTT 服务器（broker）。它像一个邮局，在掌控板和浏览器之间传递消息。' +
        '服务器和端口说明邮局在哪里；客户端 ID 是这块板在邮局里的名字；有的服务器要求用户名和密码；' +
        '保持连接（keep alive）是服务器最多等多少秒收不到任何动静。',
      tip:
        '每块掌控板、每个浏览器都要有自己的客户端 ID：如果第二个用同样的 ID 连上来，服务器会把第一个断开。' +
        '编程界面会给每个新的连接积木一个不同的 ID，两个相同时会提醒你。' +
        '上课时，服务器就是老师写在黑板上的地址，端口 1883。' +
        'OneNET 的旧地址 183.230.40.39 端口 6002（“OneNET RGB 灯远程控制”示例和掌控板教程用的就是它）可能已经停用了：' +
        '现在的 OneNET 请用“连接 OneNET”积木。',
      board:
        '掌控板通过 TCP 连接积木里写的服务器和端口（umqtt.simple），客户端 ID、用户名、密码和保持连接' +
        '都按你填的写进 main.py。程序里没有“保持连接”积木时，连接积木会自己占用一个定时器，' +
        '每过“保持连接”时间的一半发送一次 ping，安静的掌控板也不会被断开。',
      browser:
        '浏览器不能使用 TCP，所以它通过 WebSocket 连接编程界面顶部“服务器”设置里的服务器' +
        '（没有改过的话就是编程界面自带的服务器）。客户端 ID 和保持连接来自积木；用户名和密码' +
        '只发给编程界面自带的服务器或你自己输入的地址，绝不发给公共服务器。' +
        '“消息”里会有一行说明连到了哪里。',
    },
    mqtt_on_message: {
      title: '当收到消息时',
      what: '每收到一条消息（不管是什么主题），就执行里面的积木。在里面用“收到的主题”和“收到的消息”看看收到了什么。',
      tip:
        '在里面放一个“如果”积木，配合“收到的消息是 …”，对不同的消息做不同的事，比如 on 和 off。' +
        '这样的积木有一个就够了：有两个的话两个都会执行。',
      board:
        '里面的积木会变成函数 on_message(topic, msg)。掌控板只有在“一直等待接收消息”的时候才会处理消息。' +
        'OneNET 的命令（$creq/…）不用订阅也会到这里。',
      browser:
        '和掌控板一样：程序在等待接收消息时，消息一条接一条地处理；没有积木在等待时，消息不会被处理' +
        '（这个积木会显示提醒）。里面的积木出错时，错误会显示在那个积木上，下一条消息照常处理，网页和掌控板都一样。' +
        '在“消息”面板里发给这个程序客户端 ID 的文字，不用订阅也会到这里，就像 OneNET 的命令一样。',
    },
    mqtt_topic: {
      title: '收到的主题',
      what: '刚收到的那条消息的主题，是一段文字。',
      tip: '只有在“当收到消息时”里面才有值。把它打印出来，就知道消息是从哪里来的。',
      board: '掌控板收到的主题是字节（bytes），这个积木把它变成文字（UTF-8，中文也没问题）。',
      browser: '和掌控板上得到的文字一样。',
    },
    mqtt_message: {
      title: '收到的消息',
      what: '刚收到的那条消息，是一段文字。',
      tip: '用“OLED 显示屏第 … 行显示”把它显示出来，就做成了一个留言板。只有在“当收到消息时”里面才有值。',
      board:
        '掌控板收到的消息是字节（bytes），这个积木把它变成文字（UTF-8，中文也没问题；坏掉的字节会变成 �）。',
      browser: '和掌控板上得到的文字一样。',
    },
    mqtt_message_is: {
      title: '收到的消息是 …',
      what:
        '刚收到的消息和这段文字完全一样时为“真”，否则为“假”。大小写和空格都算数：' +
        '“On”和“on ”都不是“on”。',
      tip: '把它放进“当收到消息时”里面的“如果”积木。',
      board:
        '比较消息的字节和这段文字的字节（msg == b"on"），所以虽然掌控板收到的是字节，也能比较。',
      browser: '用同样的方法比较字节，结果和掌控板一样。',
    },
    mqtt_if_message: {
      title: '如果收到的消息是 … 就',
      what: '刚收到的消息和这段文字完全一样时，运行它里面的积木。大小写和空格都算数：“On”和“on ”都不是“on”。',
      tip: '掌控板听得懂几个词，就在“当收到消息时”里面放几个：一个放“on”和“设置所有 RGB 灯”，一个放“off”和“关闭所有 RGB 灯”。',
      board: '在收到消息的函数里写成 `if msg == b"on":`，比较消息的字节和这段文字的字节。',
      browser: '用同样的方法比较字节，结果和掌控板一样。',
    },
    mqtt_subscribe: {
      title: '订阅主题',
      what: '请服务器把这个主题上的每一条消息都发给这个程序。',
      tip:
        '先连接，再订阅。主题可以分层，比如 class3/lights。订阅时，# 表示下面的所有层（class3/#），' +
        '+ 表示任意一层（+/lights）。',
      board: '通过 TCP 发给服务器；之后掌控板“一直等待接收消息”时，这些消息会到“当收到消息时”。',
      browser:
        '通过 WebSocket 发给“服务器”设置里的服务器。掌控板和浏览器只有连的是同一个服务器，才能互相听到。',
    },
    mqtt_publish: {
      title: '发布消息',
      what: '在一个主题上发出一条消息。订阅了这个主题的每个程序都会收到，如果自己也订阅了，自己也会收到。',
      tip: '把它放进“当按键 A 被按下时”，就做成了一个门铃；在“消息”面板里看着它到达。',
      board: '掌控板把消息和主题按 UTF-8 字节发给连接积木里的服务器。',
      browser:
        '浏览器把同样的字节发给“服务器”设置里的服务器；如果那是编程界面自带的服务器，“消息”面板里能看到它。',
    },
    mqtt_keep_alive: {
      title: '保持连接',
      what: '定时告诉服务器“我还在”（ping），这样没有消息可发的时候，连接也不会被断开。',
      tip:
        '可以不用它：那样连接积木会每过“保持连接”时间的一半自己发一次 ping。要用的话，间隔要比连接积木里的' +
        '“保持连接”短：比如保持连接 10 秒，这里填 2000 毫秒（太慢时积木会提醒你）。',
      board:
        '占用掌控板四个硬件定时器中的一个，每隔一段时间发送一次 ping()：umqtt.simple 自己不会发。' +
        '掌控板超过“保持连接”1.5 倍的秒数什么也不发送，服务器就会断开它。',
      browser:
        '同样的定时器，发同样的 ping：浏览器的连接没有别的办法保持，所以间隔太慢时，网页会在掌控板' +
        '被断开的同一时刻显示离线。',
    },
    mqtt_listen_forever: {
      title: '一直等待接收消息',
      what: '一直等待消息，每来一条就交给“当收到消息时”处理，永远不停。',
      tip: '把它放在最后：它后面的积木永远不会执行。',
      board:
        '一个不停调用 wait_msg() 的循环：掌控板就是在这里处理消息的。连接断了（服务器停了，或者断开了' +
        '太久没有动静的掌控板），循环出错结束，程序也就结束了：umqtt.simple 不会自己重新连接。按复位键重新开始。',
      browser:
        '一样：消息只在这里处理；连接断了，网页会说明原因，标出这个积木并结束程序，就像掌控板一样。' +
        '按“运行”重新开始。',
    },
    onenet_connect: {
      title: '连接 OneNET',
      what:
        '以你的一个设备的身份，把程序连接到中国移动的物联网平台 OneNET。产品ID从产品页面复制，设备名称和设备密钥' +
        '从设备页面复制。编程界面会用密钥算出登录密码（token），它一直有效到积木上那一天结束（北京时间）。',
      tip:
        '密钥就像密码：程序里只有用它算出的 token，没有密钥本身；但密钥会保存在你的项目里，所以只把项目分享给你信任的人。' +
        '日期过了以后 OneNET 会拒绝登录：选一个更晚的日期（积木会提醒你）。三种签名方法都可以用。',
      board:
        '掌控板连接 mqtts.heclouds.com 端口 1883，用设备名称做客户端ID、产品ID做用户名、token 做密码（umqtt.simple），' +
        '然后按 OneNET 的要求订阅自己的命令主题 $sys/<产品ID>/<设备名称>/cmd/request/+。',
      browser:
        '浏览器连不上 OneNET（OneNET 没有 WebSocket 地址），所以程序改为连接“服务器”设置里的服务器，' +
        '由编程界面自带的服务器扮演 OneNET：在“消息”面板里给这个设备名称发命令，命令会带着一个新的命令ID' +
        '到达命令主题；回复和上传的数据都显示在“消息”里。没有 OneNET 账号也能练习。',
    },
    onenet_on_command: {
      title: '当收到 OneNET 命令时',
      what:
        'OneNET 每给这个设备发一条命令，就执行里面的积木。在里面用“收到的命令”看看发来了什么。' +
        '积木执行完以后，自动回复 OneNET “ok”，除非已经用“回复命令”积木回复过了。',
      tip: '在里面放一个“如果”积木，配合“收到的命令是 …”，对不同的命令做不同的事，比如 on 和 off。OneNET 的页面会等几秒钟的回复。',
      board:
        '里面的积木会变成 on_message(topic, msg) 的一部分，处理 $sys/<产品ID>/<设备名称>/cmd/request/<命令ID> 上的消息；' +
        '回复发到 …/cmd/response/<同一个命令ID>。掌控板只有在“一直等待接收消息”的时候才会处理命令。',
      browser:
        '在编程界面自带的服务器上用同样的主题：在“消息”面板里选择设备名称，按 on 或 off，' +
        '命令就带着新的命令ID到达；回复显示在“消息”里。',
    },
    onenet_command: {
      title: '收到的命令',
      what: 'OneNET 刚刚发来的命令，是一段文字。',
      tip: '它只在“当收到 OneNET 命令时”里面才有值。把它显示在屏幕上，看看收到了什么。',
      board: '掌控板收到的命令是字节（bytes），这个积木把它变成文字（UTF-8）。',
      browser: '和掌控板上一样的文字。',
    },
    onenet_command_is: {
      title: '收到的命令是 …',
      what: '刚收到的命令和这段文字完全一样时为真，否则为假。大小写和空格都算。',
      tip: '把它放在“当收到 OneNET 命令时”里面的“如果”积木中使用。',
      board: '比较命令的字节和这段文字的字节（msg == b"on"）。',
      browser: '比较同样的字节，结果一样。',
    },
    onenet_reply: {
      title: '回复命令',
      what:
        '用这段文字回复刚收到的命令，OneNET 会把它显示给发命令的人。每条命令只回复一次：' +
        '用了这个积木以后不会再自动回复“ok”，第二个回复积木也不会再发送。',
      tip: '回复掌控板做了什么，比如“red”或“off”，发命令的人就知道成功了。',
      board:
        '把文字发布到 $sys/<产品ID>/<设备名称>/cmd/response/<命令ID>，命令ID就是正在处理的那条命令的ID。',
      browser: '把同样的内容发布到编程界面自带的服务器；回复显示在“消息”里。',
    },
    onenet_upload: {
      title: '上传数据点到 OneNET',
      what: '把一个值（数字或文字）发送到你的 OneNET 设备的一个数据流。OneNET 会保存每一个值，还能画成图表。',
      tip: '和“等待 2000 毫秒”“光线强度”一起放进循环，就能记录教室里一整天有多亮。',
      board:
        '把 {"id":1,"dp":{"light":[{"v":123}]}} 发布到 $sys/<产品ID>/<设备名称>/dp/post/json；' +
        '每上传一次，id 加一。',
      browser:
        '把同样的内容发布到编程界面自带的服务器，它会像 OneNET 一样在 …/dp/post/json/accepted 上回答；两条都显示在“消息”里。',
    },
    rgb_fill: {
      title: '所有 RGB 灯显示一种颜色',
      what: '把三个 RGB 灯都点亮成同一种颜色。颜色由红、绿、蓝混合而成，每种从 0（不亮）到 255（最亮）。',
      tip: '在色块上选一种颜色，数字会跟着变。50 就已经很亮了，对眼睛更友好。',
      board: 'rgb.fill(…) 然后 rgb.write()：灯马上就变。',
      browser: '页面上那块板的三个灯变颜色。',
    },
    rgb_set: {
      title: '一个 RGB 灯显示一种颜色',
      what: '把一个灯（1、2 或 3）点亮成一种颜色，由红、绿、蓝混合而成，每种从 0（不亮）到 255（最亮）。',
      tip: '给每个灯不同的颜色，就做成了一个红绿灯。',
    },
    rgb_off: {
      title: '关闭所有 RGB 灯',
      what: '把三个灯都关掉。',
      tip: '和“等待”“所有 RGB 灯显示”一起用，灯就会闪烁。',
    },
    oled_show_text: {
      title: 'OLED 显示屏显示文字',
      what: '在掌控板屏幕的某一行（1 到 4）写上文字，替换掉这一行原来的内容。',
      tip: '一行大约能放 16 个字母或 8 个汉字。',
    },
    oled_clear: {
      title: '清空 OLED 显示屏',
      what: '让整个屏幕变成空白。',
      tip: '新消息要替换掉所有内容时，先清空屏幕。',
    },
    board_on_button: {
      title: '当按键被按下时',
      what: '每次按下按键 A 或 B，就执行里面的积木。',
      tip: '在页面上的板子上，用鼠标点一下或用手指按一下按键 A 或 B。每个按键有一个这样的积木就够了。',
    },
    board_wait: {
      title: '等待',
      what: '等待这么多毫秒，再执行下一个积木：1000 毫秒就是 1 秒。',
      tip: '放在两种颜色之间，灯就会闪烁。',
    },
    board_light_level: {
      title: '光线强度',
      what: '掌控板光线传感器周围有多亮，是一个数字：0 是全黑，4095 是非常亮。',
      tip: '每隔几秒把它发布出去，就做成了一个光线报告器；或者在“如果”里和一个数比较，天黑了就开灯。',
      board: '在积木执行的那一刻读取光线传感器（light.read()）。',
      browser: '读取页面上那块板的“光线”滑块：拖动它来试试你的程序。',
    },
    board_sound_level: {
      title: '声音强度',
      what: '掌控板麦克风周围有多响，是一个数字：0 是安静，4095 是非常响。',
      tip: '拍拍手，看它跳起来：在循环里把它显示在屏幕上，中间等一小会儿。',
      board: '在积木执行的那一刻读取麦克风（sound.read()）。',
      browser: '读取页面上那块板的“声音”滑块：拖动它来试试你的程序。',
    },
  },
};

/** Help for every block of ours, per language, keyed by block type: the board's and each part's. */
export const blockHelp: Record<Language, Record<string, BlockHelp>> = {
  en: Object.assign({}, boardHelp.en, ...PARTS.map((part) => part.words.en.help)),
  'zh-hans': Object.assign({}, boardHelp['zh-hans'], ...PARTS.map((p) => p.words['zh-hans'].help)),
};
