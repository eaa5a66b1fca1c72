/**
 * The studio's own words (toolbar, code panel, notices) in English and Simplified Chinese. Block
 * text lives in `blocks/messages/`; these maps are for everything around the blocks. Templates
 * never hold text of their own: they call `t()` while rendering, so a language switch shows.
 */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

/** English UI strings. `{name}` marks a value filled in by `t`. */
export const en = {
  appName: 'IoT Blocks',
  projectNameLabel: 'Project',
  downloadMicroPython: 'main.py',
  downloadMicroPythonHint: 'Save the program for the mPython board as main.py',
  downloadTypeScript: 'main.ts',
  downloadTypeScriptHint: 'Save the program for the browser as main.ts',
  codePanelLabel: 'Your program as code',
  tabMicroPython: 'MicroPython',
  tabTypeScript: 'TypeScript',
  emptyProgram: 'Drag blocks into the workspace and their code appears here.',
  blockEditorLabel: 'Block workspace',
  unknownExample: 'There is no example called “{name}”. Your blocks have not been changed.',
  exampleFailed: 'The example “{name}” could not be opened: {reason}',
  dismissNotice: 'Close this message',
  examples: 'Examples',
  searchBlocks: 'Search blocks',
  examplesHint: 'Start from an example: it opens as a new project',
  closeExamples: 'Close the examples',
  run: 'Run',
  runHint: 'Run the program here, on the board in the page',
  stop: 'Stop',
  stopHint: 'Stop the program',
  announceLabel: 'Read out board changes and messages',
  announceHint: 'Screen readers say what the board shows and which messages arrive',
  brokerLabel: 'Broker',
  brokerEmbedded: 'Classroom (this studio)',
  brokerEmqx: 'EMQX public broker',
  brokerHivemq: 'HiveMQ public broker',
  brokerMosquitto: 'Mosquitto public broker',
  brokerCustom: 'Other address…',
  brokerCustomPlaceholder: 'ws://host:port/mqtt',
  brokerCustomInvalid: 'A broker address starts with ws:// or wss://',
  /** The help of the broker setting's address box. */
  brokerCustomHint:
    'Another IoT Blocks studio’s broker refuses programs from this page: each studio’s broker takes only its own pages. Open that studio’s own page instead, or pick a broker such as Mosquitto.',
  tabCode: 'Code',
  tabMessages: 'Messages',
  sidePanelLabel: 'Board and program output',
  programStarted: 'Program started.',
  programStopped: 'Program stopped.',
  programEnded: 'The program has finished.',
  /** An error in a handler ({handler}: the block's own words); the program carries on. */
  messageHandlerFailed:
    'A “{handler}” block went wrong: {reason}. The program keeps going with the next message.',
  buttonHandlerFailed:
    'A “{handler}” block went wrong: {reason}. The program keeps going with the next press.',
  languageLabel: 'Language',
  // Projects: autosave, New/Open/Save, Recent, Undo/Redo (src/app/iot-studio.ts).
  projectMenu: 'Project',
  projectMenuHint: 'New, open and save projects; download the program',
  newProject: 'New project',
  newProjectHint: 'Start an empty project (this one stays under Recent)',
  openProject: 'Open a file…',
  openProjectHint: 'Open a project file (.json) or a MicroPython program (.py) as a new project',
  saveProject: 'Save to a file',
  saveProjectHint: 'Download this project as a .json file',
  saveShared: 'Save a copy to share',
  saveSharedHint:
    'Download a copy without the WiFi password, MQTT password and OneNET device key, to give to others',
  /** The shared copy's file name ({name}: the project's). */
  sharedFileName: '{name} (to share)',
  brokerPasswordLeftOut:
    'The password in the broker address was left out of this shared copy: type it into the Broker box (ws://name:password@…).',
  editedElsewhereBanner:
    'This project is open in another tab, where it is being edited. This tab only shows it (and follows the changes), so neither tab’s work is lost.',
  takenOverBanner:
    'This project is now edited in another tab, so this tab only shows it. Your work here was saved.',
  editHere: 'Edit here',
  editHereHint: 'Edit the project in this tab instead: the other tab will only show it',
  conflictCopyName: '{name} (from another tab)',
  savedAsCopy:
    '“{name}” was changed in another tab at the same time, so your work here was kept as a new project, “{copy}”.',
  downloadMicroPythonFor: 'for the board',
  downloadTypeScriptFor: 'for the browser',
  recentProjects: 'Recent',
  recentProjectsHint: 'Projects saved in this browser',
  recentLabel: 'Recent projects',
  recentEmpty: 'No saved projects yet.',
  recentOpenNow: 'open now',
  unreadableProject: 'A project that cannot be read',
  undo: 'Undo',
  undoHint: 'Undo the last change (Ctrl+Z)',
  redo: 'Redo',
  redoHint: 'Redo what was undone (Ctrl+Shift+Z)',
  renameHint: 'Click to rename the project',
  renameLabel: 'Project “{name}”: rename',
  saveStateSaved: 'Saved',
  saveStateSaving: 'Saving…',
  saveStateError: 'Could not save: {reason}',
  saveProblemFull: 'the browser’s storage is full',
  saveProblemUnavailable: 'this browser does not let the studio keep your work',
  saveFailedNotice:
    'Your work could not be saved in this browser: {reason}. Use Project → Save to a file to keep a copy.',
  firstProjectName: 'My first project',
  unknownLesson: 'There is no lesson called “{name}”.',
  lessonItem: 'Lesson: {title}',
  lessonHint: 'Step by step, with a hint when you need one',
  newProjectName: 'My project {number}',
  restoredOlderVersion:
    'The newest save of “{name}” was damaged, so the version saved at {time} was opened.',
  recentUnreadable:
    'That project cannot be opened: all its saves are damaged. Your work has not been changed.',
  lastProjectUnreadable:
    'The project open last time cannot be read: all its saves are damaged. A new project was started.',
  studioNotReady: 'The studio is still starting; try again in a moment.',
  openFailed: '“{file}” could not be opened: {reason} Your work has not been changed.',
  fileUnreadable: 'the browser could not read the file.',
  dropHint: 'Drop a project file (.json) or a MicroPython program (.py) here to open it',
  editMicroPython: 'Edit',
  editMicroPythonHint: 'Edit the MicroPython as text: what parses becomes your blocks',
  editMicroPythonLabel: 'The program as MicroPython, to edit',
  applyMicroPython: 'Make blocks',
  stopEditingMicroPython: 'Done',
  editErrorAtLine:
    'Line {line}, column {column}: {text} is not MicroPython the board understands. Your blocks are as they were.',
  pasteMicroPython: 'Paste MicroPython…',
  pasteMicroPythonHint: 'Paste a MicroPython program: it opens as blocks in a new project',
  pasteMicroPythonLabel: 'Your MicroPython program',
  pasteMicroPythonOpen: 'Open as blocks',
  pasteMicroPythonCancel: 'Cancel',
  pastedProjectName: 'Pasted program',
  pythonSyntaxError:
    'line {line}, column {column} is not MicroPython the board understands: “{text}”. Nothing was changed.',
  importedWithCode:
    '{count} part(s) of this program could not become blocks: they are kept as “MicroPython code” blocks, which run only on the real board.',
  projectHasCode:
    'This project contains hand-written MicroPython (“MicroPython code” blocks): it runs only on the real board.',
  // The real board over USB: the Board tab (src/app/serial-panel.ts).
  tabBoard: 'Real board',
  serialPanelLabel: 'The real mPython board over USB',
  serialDisconnected: 'Not connected',
  serialIdle: 'Connected',
  serialConnecting: 'Connecting… waiting until the board has started',
  serialBusy: 'Busy…',
  serialRunning: 'Program running',
  serialConnect: 'Connect board',
  serialConnectHint: 'Choose the board’s USB port (plug the board in first)',
  serialDisconnect: 'Disconnect',
  serialRun: 'Run on board',
  serialRunHint:
    'Run the program on the real board now (it is gone when the board is switched off)',
  serialSave: 'Save to board',
  serialSaveHint:
    'Save the program on the board as main.py: it starts every time the board is switched on',
  serialStop: 'Stop',
  serialStopHint: 'Stop the board’s program (Ctrl-C)',
  serialPhaseInterrupting: 'Getting the board’s attention…',
  serialPhaseWriting: 'Sending the program… {percent}%',
  serialPhaseVerifying: 'Checking the program on the board…',
  serialPhaseStarting: 'Starting the program…',
  serialRunStarted:
    'The program is running on the board. It is gone when the board is switched off: use Save to board to keep it.',
  serialSaved: 'Saved on the board as main.py. It starts every time the board is switched on.',
  serialSavedNoReset:
    'Saved on the board as main.py. Press the board’s reset button (RST) to start it.',
  serialRunEndedByRestart:
    'The board restarted, so the program from Run on board has stopped. If the board has a saved program (main.py), that one runs now.',
  serialNoWebSerial:
    'This browser cannot talk to a board over USB. Use Chrome or Edge on a computer, with the studio at an https:// or localhost address — or download main.py and copy it to the board with the mPython software.',
  serialDownloadInstead: 'Download main.py',
  serialInUse:
    'The board is being used by another program (the mPython software, Thonny, or another browser tab). Close it there, then press Connect again.',
  serialOpenFailed:
    'The board’s USB port could not be opened. Unplug the board, plug it in again and press Connect.',
  serialUnplugged:
    'The board was disconnected. Check the USB cable and press Connect. If it was saving, the board keeps its old program.',
  serialNoAnswer:
    'The board does not answer. Press its reset button (RST), wait a moment and try again. Its old program was not changed.',
  serialConfused:
    'The board answered in a way the studio did not expect. Press its reset button (RST) and try again.',
  serialVerifyFailed:
    'The program arrived damaged, so the board keeps its old program. Try Save to board again.',
  serialBoardError:
    'The board could not save the program (is its memory full?). It keeps its old program.',
  serialStillBusy: 'The board is still busy. Wait until it has finished.',
  serialMonitorLabel: 'What the board prints',
  serialMonitorEmpty: 'What the board prints appears here.',
  serialClear: 'Clear',
  serialReplLabel: 'Type to the board',
  serialReplPlaceholder: 'Type a line of Python for the board, then Enter',
  serialSend: 'Send',
  serialShowBlock: 'Show block',
  serialErrorInBlock: 'This error comes from a block: it is selected in your program.',
} as const;

/** The name of a UI string. */
export type StringKey = keyof typeof en;

/** Simplified Chinese UI strings: every key of `en` (a new key goes into both maps). */
export const zhHans: Record<StringKey, string> = {
  appName: 'IoT Blocks',
  projectNameLabel: '项目',
  downloadMicroPython: 'main.py',
  downloadMicroPythonHint: '把掌控板的程序保存为 main.py',
  downloadTypeScript: 'main.ts',
  downloadTypeScriptHint: '把浏览器里运行的程序保存为 main.ts',
  codePanelLabel: '你的程序的代码',
  tabMicroPython: 'MicroPython',
  tabTypeScript: 'TypeScript',
  emptyProgram: '把积木拖到编程区，它们的代码就会显示在这里。',
  blockEditorLabel: '积木编程区',
  unknownExample: '没有叫“{name}”的示例。你的积木没有被改动。',
  exampleFailed: '示例“{name}”打不开：{reason}',
  dismissNotice: '关闭这条提示',
  examples: '示例',
  searchBlocks: '搜索积木',
  examplesHint: '从示例开始：它会作为新项目打开',
  closeExamples: '关闭示例',
  run: '运行',
  runHint: '在页面里的掌控板上运行程序',
  stop: '停止',
  stopHint: '停止程序',
  announceLabel: '朗读掌控板的变化和新消息',
  announceHint: '读屏软件会说出掌控板显示了什么、收到了哪些消息',
  brokerLabel: '服务器',
  brokerEmbedded: '教室（本站）',
  brokerEmqx: 'EMQX 公共服务器',
  brokerHivemq: 'HiveMQ 公共服务器',
  brokerMosquitto: 'Mosquitto 公共服务器',
  brokerCustom: '其他地址…',
  brokerCustomPlaceholder: 'ws://地址:端口/mqtt',
  brokerCustomInvalid: '服务器地址要以 ws:// 或 wss:// 开头',
  brokerCustomHint:
    '另一个 IoT Blocks 教室的服务器不接受这个页面里的程序：每个教室的服务器只接受它自己的页面。请打开那个教室自己的页面，或者选用 Mosquitto 等服务器。',
  tabCode: '代码',
  tabMessages: '消息',
  sidePanelLabel: '掌控板和程序输出',
  programStarted: '程序开始运行。',
  programStopped: '程序已停止。',
  programEnded: '程序运行完了。',
  messageHandlerFailed: '“{handler}”积木出错了：{reason}。程序会接着处理下一条消息。',
  buttonHandlerFailed: '“{handler}”积木出错了：{reason}。程序会接着等下一次按键。',
  languageLabel: '语言',
  projectMenu: '项目',
  projectMenuHint: '新建、打开、保存项目；下载程序',
  newProject: '新建项目',
  newProjectHint: '开始一个空白项目（现在这个会留在“最近”里）',
  openProject: '打开文件…',
  openProjectHint: '把项目文件（.json）或 MicroPython 程序（.py）作为新项目打开',
  saveProject: '保存为文件',
  saveProjectHint: '把这个项目下载为 .json 文件',
  saveShared: '保存分享副本',
  saveSharedHint: '下载一份不含 WiFi 密码、MQTT 密码和 OneNET 设备密钥的副本，用来分享给别人',
  sharedFileName: '{name}（分享）',
  brokerPasswordLeftOut:
    '分享的副本里没有服务器地址中的密码：请在“服务器”框里把它填进去（ws://用户名:密码@…）。',
  editedElsewhereBanner:
    '这个项目正在另一个标签页里编辑。这个标签页只能查看（会跟着显示那边的修改），这样两边的作品都不会丢。',
  takenOverBanner:
    '这个项目现在在另一个标签页里编辑，所以这个标签页只能查看。你在这里的作品已经保存。',
  editHere: '在这里编辑',
  editHereHint: '改在这个标签页里编辑这个项目：另一个标签页就只能查看',
  conflictCopyName: '{name}（另一个标签页）',
  savedAsCopy: '“{name}”同时在另一个标签页里被修改了，所以你在这里的作品另存为新项目“{copy}”。',
  downloadMicroPythonFor: '给掌控板',
  downloadTypeScriptFor: '给浏览器',
  recentProjects: '最近',
  recentProjectsHint: '保存在这个浏览器里的项目',
  recentLabel: '最近的项目',
  recentEmpty: '还没有保存的项目。',
  recentOpenNow: '正在编辑',
  unreadableProject: '无法读取的项目',
  undo: '撤销',
  undoHint: '撤销上一步（Ctrl+Z）',
  redo: '重做',
  redoHint: '恢复刚才撤销的操作（Ctrl+Shift+Z）',
  renameHint: '点击给项目改名',
  renameLabel: '项目“{name}”：改名',
  saveStateSaved: '已保存',
  saveStateSaving: '正在保存…',
  saveStateError: '无法保存：{reason}',
  saveProblemFull: '浏览器的存储空间满了',
  saveProblemUnavailable: '这个浏览器不允许编程环境保存你的作品',
  saveFailedNotice: '你的作品无法保存在这个浏览器里：{reason}。请用“项目 → 保存为文件”留一份副本。',
  firstProjectName: '我的第一个项目',
  unknownLesson: '没有叫“{name}”的课程。',
  lessonItem: '课程：{title}',
  lessonHint: '一步一步来，需要时有提示',
  newProjectName: '我的项目 {number}',
  restoredOlderVersion: '“{name}”最新的保存已损坏，已打开 {time} 保存的版本。',
  recentUnreadable: '这个项目打不开：它的所有保存都已损坏。你的作品没有被改动。',
  lastProjectUnreadable: '上次打开的项目读不出来：它的所有保存都已损坏。已新建一个项目。',
  studioNotReady: '编程环境还在启动，请稍后再试。',
  openFailed: '“{file}”打不开：{reason} 你的作品没有被改动。',
  fileUnreadable: '浏览器读不了这个文件。',
  dropHint: '把项目文件（.json）或 MicroPython 程序（.py）放到这里就能打开',
  editMicroPython: '编辑',
  editMicroPythonHint: '把 MicroPython 当作文字来编辑：能读懂的部分会变成你的积木',
  editMicroPythonLabel: '要编辑的 MicroPython 程序',
  applyMicroPython: '变成积木',
  stopEditingMicroPython: '完成',
  editErrorAtLine:
    '第 {line} 行第 {column} 列：“{text}”不是掌控板能懂的 MicroPython。你的积木没有改变。',
  pasteMicroPython: '粘贴 MicroPython…',
  pasteMicroPythonHint: '粘贴一段 MicroPython 程序：它会变成积木，作为新项目打开',
  pasteMicroPythonLabel: '你的 MicroPython 程序',
  pasteMicroPythonOpen: '变成积木打开',
  pasteMicroPythonCancel: '取消',
  pastedProjectName: '粘贴的程序',
  pythonSyntaxError:
    '第 {line} 行第 {column} 列不是掌控板能懂的 MicroPython：“{text}”。什么都没有改动。',
  importedWithCode:
    '这个程序有 {count} 处没能变成积木：它们保留为“MicroPython 代码”积木，只能在真正的掌控板上运行。',
  projectHasCode:
    '这个项目里有手写的 MicroPython（“MicroPython 代码”积木）：它只能在真正的掌控板上运行。',
  tabBoard: '真实掌控板',
  serialPanelLabel: '通过 USB 连接的真实掌控板',
  serialDisconnected: '未连接',
  serialIdle: '已连接',
  serialConnecting: '正在连接……等掌控板启动好',
  serialBusy: '忙碌中…',
  serialRunning: '程序运行中',
  serialConnect: '连接掌控板',
  serialConnectHint: '选择掌控板的 USB 端口（先把掌控板插上）',
  serialDisconnect: '断开',
  serialRun: '在掌控板上运行',
  serialRunHint: '现在就在真实掌控板上运行程序（掌控板断电后程序就没有了）',
  serialSave: '保存到掌控板',
  serialSaveHint: '把程序保存到掌控板上的 main.py：每次掌控板开机都会运行它',
  serialStop: '停止',
  serialStopHint: '停止掌控板上的程序（Ctrl-C）',
  serialPhaseInterrupting: '正在呼叫掌控板…',
  serialPhaseWriting: '正在发送程序… {percent}%',
  serialPhaseVerifying: '正在检查掌控板上的程序…',
  serialPhaseStarting: '正在启动程序…',
  serialRunStarted: '程序正在掌控板上运行。掌控板断电后它就没有了：想留住它，请用“保存到掌控板”。',
  serialSaved: '已保存到掌控板的 main.py。每次掌控板开机都会运行它。',
  serialSavedNoReset: '已保存到掌控板的 main.py。按一下掌控板的复位键（RST）就会运行。',
  serialRunEndedByRestart:
    '掌控板重新启动了，“在掌控板上运行”的程序已经停止。如果掌控板上保存了程序（main.py），现在运行的是它。',
  serialNoWebSerial:
    '这个浏览器不能通过 USB 和掌控板通信。请在电脑上用 Chrome 或 Edge，并用 https:// 或 localhost 地址打开编程环境；也可以下载 main.py，用 mPython 软件复制到掌控板上。',
  serialDownloadInstead: '下载 main.py',
  serialInUse:
    '掌控板正被别的程序使用（mPython 软件、Thonny 或另一个浏览器标签页）。先在那里关掉它，再点“连接掌控板”。',
  serialOpenFailed: '打不开掌控板的 USB 端口。拔下掌控板再插上，然后点“连接掌控板”。',
  serialUnplugged:
    '掌控板断开了。检查 USB 线，然后点“连接掌控板”。如果刚才正在保存，掌控板上还是原来的程序。',
  serialNoAnswer: '掌控板没有回应。按一下它的复位键（RST），稍等一下再试。它原来的程序没有被改动。',
  serialConfused: '掌控板的回答出乎意料。按一下它的复位键（RST），然后再试一次。',
  serialVerifyFailed:
    '程序传到掌控板时出错了，所以掌控板上还是原来的程序。请再点一次“保存到掌控板”。',
  serialBoardError: '掌控板没能保存程序（是不是存储空间满了？）。它上面还是原来的程序。',
  serialStillBusy: '掌控板还在忙，请等它完成。',
  serialMonitorLabel: '掌控板输出的内容',
  serialMonitorEmpty: '掌控板输出的内容会显示在这里。',
  serialClear: '清空',
  serialReplLabel: '给掌控板输入',
  serialReplPlaceholder: '输入一行 Python 代码，按回车发送给掌控板',
  serialSend: '发送',
  serialShowBlock: '显示积木',
  serialErrorInBlock: '这个错误来自一块积木：已在你的程序里选中它。',
};

const maps: Record<Language, Record<StringKey, string>> = { en, 'zh-hans': zhHans };

/** The UI string `key` in the current language, with each `{name}` replaced by `values[name]`. */
export const t = translator(maps);

/**
 * `name` in `language` when it is one of the names the studio gives a new project ("My first
 * project", "我的项目 3") in any language, so a child who switches language sees the name the
 * studio would have given; null for a name a child chose.
 */
export function defaultNameIn(name: string, language: Language): string | null {
  for (const strings of Object.values(maps)) {
    if (name === strings.firstProjectName) return maps[language].firstProjectName;
    const [before, after] = strings.newProjectName.split('{number}');
    const number =
      name.startsWith(before) && name.endsWith(after)
        ? name.slice(before.length, name.length - after.length)
        : '';
    if (/^[1-9]\d{0,5}$/.test(number))
      return maps[language].newProjectName.replace('{number}', number);
  }
  return null;
}
