/**
 * The studio's own words (toolbar, code panel, notices). Block text lives in
 * `blocks/messages/`; this map is for everything around the blocks. English first: a Chinese map
 * with the same keys comes later, which is why templates never hold text of their own.
 */

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
  run: 'Run',
  runHint: 'Run the program here, on the board in the page',
  stop: 'Stop',
  stopHint: 'Stop the program',
  brokerLabel: 'Broker',
  brokerEmbedded: 'Classroom (this studio)',
  brokerEmqx: 'EMQX public broker',
  brokerHivemq: 'HiveMQ public broker',
  brokerMosquitto: 'Mosquitto public broker',
  brokerCustom: 'Other address…',
  brokerCustomPlaceholder: 'ws://host:port/mqtt',
  brokerCustomInvalid: 'A broker address starts with ws:// or wss://',
  tabCode: 'Code',
  tabMessages: 'Messages',
  sidePanelLabel: 'Board and program output',
  programStarted: 'Program started.',
  programStopped: 'Program stopped.',
  programEnded: 'The program has finished.',
} as const;

/** The name of a UI string. */
export type StringKey = keyof typeof en;

/** The UI string `key`, with each `{name}` replaced by `values[name]`. */
export function t(key: StringKey, values: Record<string, string> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
