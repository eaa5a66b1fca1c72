/**
 * The module `@iot-blocks/runtime` as generated programs see it when they are type-checked (see
 * `paths` in tsconfig.json). At run time the in-browser runner supplies a `Runtime` object. Each
 * board part's `runtime.ts` declares its own export here (`declare module`).
 */
import type { Buttons, Mqtt, Oled, RgbLeds, Runtime, Sensors, Wifi } from './contract.ts';

export declare const wifi: Wifi;
export declare const mqtt: Mqtt;
export declare const rgb: RgbLeds;
export declare const oled: Oled;
export declare const buttons: Buttons;
export declare const sensors: Sensors;
export declare const sleep: Runtime['sleep'];
export declare const print: Runtime['print'];
