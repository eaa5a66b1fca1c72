/**
 * The message console's words. English first: a Chinese map with the same keys comes later,
 * which is why the console's templates never hold text of their own.
 */

/** English console strings. `{name}` marks a value filled in by `t`. */
export const en = {
  consoleLabel: 'Messages',
  stateNone: 'Not connected',
  stateInvalid: 'Bad console address',
  stateConnecting: 'Connecting…',
  stateOpen: 'Live',
  stateRetrying: 'Reconnecting…',
  stateClosed: 'Closed',
  clearLog: 'Clear',
  clearLogHint: 'Clear the message list',
  devicesOnline: 'Online:',
  noDevicesOnline: 'No devices online yet',
  pickDeviceHint: 'Send to {id}',
  sendHeading: 'Send to device',
  devicePicker: 'Device',
  noDevice: 'No device',
  deviceOffline: '{id} (offline)',
  sendText: 'Message to send',
  sendPlaceholder: 'Type a message…',
  send: 'Send',
  sendOn: 'on',
  sendOnHint: 'Send “on” to {id}',
  sendOff: 'off',
  sendOffHint: 'Send “off” to {id}',
  publishHeading: 'Publish to topic',
  publishTopic: 'Topic',
  publishTopicPlaceholder: 'topic',
  publishText: 'Message to publish',
  publishPlaceholder: 'message',
  publish: 'Publish',
  topicWildcard: 'A topic to publish to cannot contain + or #.',
  notSent: 'Not sent: the console is not connected.',
  logLabel: 'Messages and program output',
  emptyLog: 'Messages appear here. Press “on” to send one to your board.',
  directTo: '→ {id} (direct)',
  directHint: 'Delivered straight to {id} on {topic}',
  fromHint: 'From {id}',
  binary: 'binary',
  binaryHint: 'Not all of this message is text: \\xNN shows a byte that is not a letter.',
  omittedBytes: '… {count} more bytes',
  kindPrint: 'print',
  kindError: 'error',
  kindInfo: 'info',
  showBlock: 'Show block',
  showBlockHint: 'Show the block this error comes from',
  takeover: 'Another board connected as {id}; the earlier one was disconnected.',
  deviceOnline: '{id} is online.',
  deviceGone: '{id} went offline.',
  connectionLost: 'Lost the connection to the studio server. Trying again…',
  connectionBack: 'Connected to the studio server.',
  newMessages: '↓ {count} new',
  newMessagesHint: 'Jump to the newest messages',
} as const;

/** The name of a console string. */
export type ConsoleStringKey = keyof typeof en;

/** The console string `key`, with each `{name}` replaced by `values[name]`. */
export function t(key: ConsoleStringKey, values: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
