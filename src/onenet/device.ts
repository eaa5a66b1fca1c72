/**
 * The OneNET device a "connect to OneNET" block describes: its fields, its topics, its token and
 * what is wrong with it. Shared by both generators and the block warnings, so the code and the
 * warning never disagree about what the block means.
 */
import type * as Blockly from 'blockly';
import { expiryTime, isSignMethod, keyBytes, onenetToken, type SignMethod } from './token.ts';

/** OneNET's MQTT server for devices (plain MQTT; TLS is mqttstls.heclouds.com:8883). */
export const ONENET_SERVER = 'mqtts.heclouds.com';
/** OneNET's MQTT port for devices. */
export const ONENET_PORT = 1883;
/** Keep-alive in seconds: OneNET wants 10–1800. */
export const ONENET_KEEPALIVE = 60;
/** What a command handler answers when its blocks did not reply themselves. */
export const AUTOMATIC_REPLY = 'ok';
/**
 * How many days a new connect block's login works (its EXPIRES date, from the day it is made).
 * The token in main.py is a password: copied off a board or shared with the program, it logs in
 * as the device until then. Ninety days covers a school term's project, and a leaked main.py
 * stops working within one season instead of years; a project that needs longer says so by
 * changing the date.
 */
export const ONENET_EXPIRY_DAYS = 90;

/** A OneNET device as a connect block gives it. */
export interface OnenetDevice {
  productId: string;
  deviceName: string;
  key: string;
  method: SignMethod;
  /** The expiry date as typed (`YYYY-MM-DD`). */
  expires: string;
  /** The expiry in seconds since 1970, or null when `expires` is not a date. */
  expiresAt: number | null;
}

/** The device `block` (a `onenet_connect`) describes. */
export function deviceOf(block: Blockly.Block): OnenetDevice {
  const method = String(block.getFieldValue('METHOD'));
  const expires = String(block.getFieldValue('EXPIRES'));
  return {
    productId: String(block.getFieldValue('PRODUCT_ID')),
    deviceName: String(block.getFieldValue('DEVICE_NAME')),
    key: String(block.getFieldValue('KEY')).trim(),
    method: isSignMethod(method) ? method : 'sha256',
    expires,
    expiresAt: expiryTime(expires),
  };
}

/** The date `days` days after `now`, in the local calendar, written as the block wants it. */
export function defaultExpiry(now: Date = new Date(), days: number = ONENET_EXPIRY_DAYS): string {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((part) => String(part).padStart(2, '0'))
    .join('-');
}

/**
 * The `onenet_fresh_expiry` block extension: a connect block made now (from the toolbox, or new
 * in a file that gives no date) logs in until `defaultExpiry()`. A loaded block gets its saved
 * date right after this, so existing projects keep theirs.
 */
export function freshExpiryExtension(this: Blockly.Block): void {
  this.setFieldValue(defaultExpiry(), 'EXPIRES');
}

/** The first enabled `onenet_connect` block of `workspace`: the device a program's topics belong to. */
export function connectBlockIn(workspace: Blockly.Workspace): Blockly.Block | null {
  return (
    workspace
      .getBlocksByType('onenet_connect', false)
      .find((block) => block.isEnabled() && !block.isInFlyout) ?? null
  );
}

/** The device whose topics a program uses: `workspace`'s first OneNET connect block's, or null. */
export function programDevice(workspace: Blockly.Workspace): OnenetDevice | null {
  const connect = connectBlockIn(workspace);
  return connect ? deviceOf(connect) : null;
}

/** The device's topic `rest` (`cmd/request/+`, `dp/post/json`…): `$sys/<product>/<device>/<rest>`. */
export function deviceTopic(device: OnenetDevice | null, rest: string): string {
  return device ? `$sys/${device.productId}/${device.deviceName}/${rest}` : `$sys/${rest}`;
}

/** The expiry date written the one way (`2030-12-31`), or null when it is not a date. */
export function expiryDateOf(device: OnenetDevice): string | null {
  if (device.expiresAt === null) return null;
  // expiresAt is the end of that day in Beijing time: step back into the day, then read it there.
  return new Date((device.expiresAt - 1 + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

/** The MQTT password: the token, or '' when the key or the date is bad (the block warns). */
export function passwordOf(device: OnenetDevice): string {
  if (device.expiresAt === null || !keyBytes(device.key)) return '';
  return onenetToken({ ...device, expiresAt: device.expiresAt });
}

/** Product IDs are letters and digits; device names also allow - _ . (they are MQTT client IDs). */
const PRODUCT_ID = /^[A-Za-z0-9_-]+$/;
const DEVICE_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * The message key of the first thing wrong with `device` at `now` (seconds since 1970), or null.
 * Names and IDs go into topics, so `/ + #`, spaces and the like are refused there.
 */
export function deviceProblem(device: OnenetDevice, now: number): string | null {
  if (!device.productId.trim()) return 'WARNING_ONENET_PRODUCT_EMPTY';
  if (!PRODUCT_ID.test(device.productId)) return 'WARNING_ONENET_PRODUCT_CHARS';
  if (!device.deviceName.trim()) return 'WARNING_ONENET_DEVICE_EMPTY';
  if (!DEVICE_NAME.test(device.deviceName)) return 'WARNING_ONENET_DEVICE_CHARS';
  if (!device.key) return 'WARNING_ONENET_KEY_EMPTY';
  if (!keyBytes(device.key)) return 'WARNING_ONENET_KEY_BASE64';
  if (device.expiresAt === null) return 'WARNING_ONENET_EXPIRY_DATE';
  if (device.expiresAt <= now) return 'WARNING_ONENET_EXPIRED';
  return null;
}
