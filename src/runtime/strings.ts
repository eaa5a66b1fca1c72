/**
 * Every sentence the browser runtime and its transport show a child (console lines and error
 * messages), in one place so they can be reviewed and translated together.
 */
export const runtimeStrings = {
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
  connectFirst: (action: string) => `Connect to the MQTT broker before you ${action}.`,
  keepaliveRange: (value: unknown) =>
    `Keep alive must be a whole number of seconds from 0 to 65535, not ${String(value)}.`,
  clientIdEmpty: 'The client ID is empty: every board needs its own client ID.',
  periodRange: (value: unknown) =>
    `The keep-alive period must be a number of milliseconds above 0, not ${String(value)}.`,
  ledIndex: (value: unknown) => `There are three LEDs (1, 2, 3); there is no LED ${String(value)}.`,
  oledLine: (value: unknown) => `The screen has lines 1 to 4; there is no line ${String(value)}.`,
  programCannotStart: 'The program could not be started in the browser.',
} as const;
