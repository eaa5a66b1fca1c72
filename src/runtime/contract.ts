/**
 * The runtime contract: everything a generated TypeScript program can call. The TypeScript
 * generator emits calls to these names only (imported from `@iot-blocks/runtime`), the virtual
 * board implements them in the browser, and tests implement them to record what a program does.
 * Each call mirrors one MicroPython call on the mPython board, noted beside it.
 */

/** A message that arrived from the broker (umqtt's callback arguments). */
export interface MqttMessage {
  /** The topic, decoded from UTF-8 (bad bytes become U+FFFD). */
  readonly topic: string;
  /** The payload exactly as it arrived. */
  readonly payload: Uint8Array;
  /** The payload decoded from UTF-8, bad bytes becoming U+FFFD (the board's `mqtt_text(msg)`). */
  readonly text: string;
  /** True when the payload's bytes are exactly `text`'s UTF-8 bytes (the board's `msg == b"…"`). */
  is(text: string): boolean;
}

/** What the connect block gives: the broker as the board would reach it. */
export interface MqttOptions {
  /** Host name or IP address of the broker, as the board reaches it over TCP. */
  server: string;
  /** The board's TCP port; the browser uses its own broker setting instead. */
  port: number;
  /** The client ID; a second connection with the same ID takes over the first. */
  clientId: string;
  /** User name, '' for none. */
  username: string;
  /** Password, '' for none. */
  password: string;
  /** Keep-alive interval in seconds (0 switches it off). */
  keepalive: number;
}

/** WiFi: `wifi().connectWiFi(ssid, password)`. */
export interface Wifi {
  /** Joins the network; rejects when it cannot. */
  connect(ssid: string, password: string): Promise<void>;
}

/** The program's one MQTT client: `umqtt.simple.MQTTClient`. */
export interface Mqtt {
  /** `MQTTClient(...)`, `set_callback`, `connect()`. */
  connect(options: MqttOptions): Promise<void>;
  /** Adds a handler for every message that arrives (the handler blocks' bodies, in order). */
  onMessage(handler: (message: MqttMessage) => void | Promise<void>): void;
  /** `subscribe(topic)`. */
  subscribe(topic: string): Promise<void>;
  /** `publish(topic, message)`: text is sent as UTF-8. */
  publish(topic: string, message: string | Uint8Array): Promise<void>;
  /** A periodic `ping()` every `periodMs` milliseconds (`machine.Timer`). */
  keepAlive(periodMs: number): void;
  /** `while True: wait_msg()`: resolves only when the program is stopped or the client closes. */
  listenForever(): Promise<void>;
  /** `disconnect()`. */
  disconnect(): Promise<void>;
}

/** The three RGB LEDs (`rgb`); levels are cut to whole numbers and kept within 0–255. */
export interface RgbLeds {
  /** `rgb.fill((r, g, b))` then `rgb.write()`. */
  fill(red: number, green: number, blue: number): void;
  /** `rgb[index] = (r, g, b)` then `rgb.write()`; index 0 is LED 1. */
  set(index: 0 | 1 | 2, red: number, green: number, blue: number): void;
}

/** The 128×64 screen (`oled`), four 16-pixel lines. */
export interface Oled {
  /** Replaces line `line` (1–4) with `text`, then `oled.show()`. */
  showText(text: string, line: 1 | 2 | 3 | 4): void;
  /** `oled.fill(0)` then `oled.show()`. */
  clear(): void;
}

/** Buttons A and B (`button_a.event_pressed = handler`). */
export interface Buttons {
  /** Adds a handler that runs each time the button is pressed. */
  onPressed(button: 'a' | 'b', handler: () => void | Promise<void>): void;
}

/** The light sensor and the microphone, read as the board's ADCs give them: 0–4095. */
export interface Sensors {
  /** `light.read()`: 0 (dark) to 4095 (very bright). */
  light(): number;
  /** `sound.read()`: 0 (quiet) to 4095 (very loud). */
  sound(): number;
}

/** The board's own exports of `@iot-blocks/runtime` (its parts' come on top: `Runtime`). */
export interface BoardRuntime {
  wifi: Wifi;
  mqtt: Mqtt;
  rgb: RgbLeds;
  oled: Oled;
  buttons: Buttons;
  sensors: Sensors;
  /** `sleep_ms(ms)`. */
  sleep(ms: number): Promise<void>;
  /** `print(value)`: a line on the console. */
  print(value: unknown): void;
}

/**
 * Everything a generated program imports from `@iot-blocks/runtime`: the board's own exports and
 * one per board part (src/parts/), which each part's `runtime.ts` declares here under its name.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- parts add their members.
export interface Runtime extends BoardRuntime {}

/** The module name generated programs import the runtime from. */
export const RUNTIME_MODULE = '@iot-blocks/runtime';

/** The name of one of the runtime's exports. */
export type RuntimeName = keyof Runtime;

/**
 * One entry per `BoardRuntime` member: the compiler refuses a missing name or one it lacks (the
 * parts' names come from their list, src/parts/index.ts).
 */
const RUNTIME_EXPORTS: Record<keyof BoardRuntime, true> = {
  wifi: true,
  mqtt: true,
  rgb: true,
  oled: true,
  buttons: true,
  sensors: true,
  sleep: true,
  print: true,
};

/** The board's export names, which a generated program imports and a variable never shadows. */
export const RUNTIME_NAMES = Object.keys(RUNTIME_EXPORTS) as (keyof BoardRuntime)[];
