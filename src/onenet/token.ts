/**
 * OneNET's login token for its current MQTT platform (`mqtts.heclouds.com`), computed the way
 * OneNET's "token 算法" page describes it:
 *
 *   sign  = base64(HMAC-<method>(base64decode(key), et + "\n" + method + "\n" + res + "\n" + version))
 *   token = version=2018-10-31&res=<res>&et=<et>&method=<method>&sign=<sign>   (values URL-encoded)
 *
 * with `res = products/<product ID>/devices/<device name>`. Synchronous (the code panel and the
 * command line need the program at once), so @noble/hashes, not WebCrypto (which has no MD5).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** The signing methods OneNET accepts. */
export const SIGN_METHODS = ['sha256', 'sha1', 'md5'] as const;

/** One of OneNET's signing methods. */
export type SignMethod = (typeof SIGN_METHODS)[number];

/** The only token version OneNET knows. */
export const TOKEN_VERSION = '2018-10-31';

/** What a device's token is made of. */
export interface TokenInput {
  productId: string;
  deviceName: string;
  /** The device key as OneNET shows it: base64 text. */
  key: string;
  method: SignMethod;
  /** When the token stops working, in seconds since 1970 (OneNET's `et`). */
  expiresAt: number;
}

const HASHES = { sha256, sha1, md5 } as const;

/** Standard base64 with its padding, as OneNET writes keys. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of base64 `key`, or null when it is empty or not base64. */
export function keyBytes(key: string): Uint8Array | null {
  if (key === '' || !BASE64.test(key)) return null;
  const binary = atob(key);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** `text` URL-encoded as Python's `quote(text, safe='')` does it (OneNET's own example). */
export function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** The resource a device logs in as: `products/<product ID>/devices/<device name>`. */
export function deviceResource(productId: string, deviceName: string): string {
  return `products/${productId}/devices/${deviceName}`;
}

/** The signature (base64, not yet URL-encoded); throws when the key is not base64. */
export function tokenSign(input: TokenInput): string {
  const key = keyBytes(input.key);
  if (!key) throw new Error('the device key is not base64');
  const res = deviceResource(input.productId, input.deviceName);
  const text = `${input.expiresAt}\n${input.method}\n${res}\n${TOKEN_VERSION}`;
  const mac = hmac(HASHES[input.method], key, new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...mac));
}

/** The token, the device's MQTT password; throws when the key is not base64. */
export function onenetToken(input: TokenInput): string {
  const res = deviceResource(input.productId, input.deviceName);
  return (
    `version=${TOKEN_VERSION}&res=${urlEncode(res)}&et=${input.expiresAt}` +
    `&method=${input.method}&sign=${urlEncode(tokenSign(input))}`
  );
}

/** Beijing time, in which OneNET states its times and in which a child's expiry date is read. */
const BEIJING_OFFSET_SECONDS = 8 * 3600;

/**
 * The end of the day `date` (`YYYY-MM-DD`) in Beijing time, in seconds since 1970: a token that
 * "expires on 2030-12-31" works through that whole day. Null when it is not such a date. The
 * same text always gives the same number, wherever the studio runs, so generated code is stable.
 */
export function expiryTime(date: string): number | null {
  const match = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(date);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const start = new Date(Date.UTC(year, month - 1, day));
  if (start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day || year < 1970) return null;
  return start.getTime() / 1000 + 24 * 3600 - BEIJING_OFFSET_SECONDS;
}

/** Whether `method` is one of OneNET's signing methods. */
export function isSignMethod(method: string): method is SignMethod {
  return (SIGN_METHODS as readonly string[]).includes(method);
}
