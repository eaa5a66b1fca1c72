/**
 * What the studio's broker needs to play OneNET's current platform for the devices that log in
 * the way OneNET wants (username = product ID, password = a token for `products/<pid>/devices/
 * <client ID>`): the topic a command reaches them on, and the platform's answers to their command
 * replies and data point uploads (`…/accepted`, `…/rejected`), as OneNET's topic pages describe.
 * Tokens are not checked (the broker has no device keys): any well-formed one is taken.
 */
import { TOKEN_VERSION } from './token.ts';

/** The product ID of a client that logged in with a OneNET token for itself, or null. */
export function onenetProductId(
  clientId: string,
  username: string | undefined,
  password: Uint8Array | undefined,
): string | null {
  if (!username || !password) return null;
  const params = new URLSearchParams(new TextDecoder().decode(password));
  if (params.get('version') !== TOKEN_VERSION) return null;
  return params.get('res') === `products/${username}/devices/${clientId}` ? username : null;
}

/** The topic OneNET sends command `cmdId` to device `deviceName` of product `productId` on. */
export function commandTopic(productId: string, deviceName: string, cmdId: string): string {
  return `$sys/${productId}/${deviceName}/cmd/request/${cmdId}`;
}

/** A message the platform sends back. */
export interface PlatformAnswer {
  topic: string;
  payload: string;
}

/** OneNET's data point ids: 4-byte signed integers above 0. */
const MAX_ID = 2 ** 31 - 1;

/** Whether `body` is a data point upload as OneNET takes it: `{"id": n, "dp": {name: [{"v": …}]}}`. */
function uploadProblem(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return true;
  const { id, dp } = body as Record<string, unknown>;
  if (!Number.isInteger(id) || (id as number) < 1 || (id as number) > MAX_ID) return true;
  if (typeof dp !== 'object' || dp === null || Array.isArray(dp)) return true;
  const streams = Object.values(dp);
  return (
    streams.length === 0 ||
    !streams.every(
      (points) =>
        Array.isArray(points) &&
        points.length > 0 &&
        points.every((point) => typeof point === 'object' && point !== null && 'v' in point),
    )
  );
}

/**
 * The platform's answer to device `deviceName` publishing `payload` on `topic`, or null when
 * OneNET would say nothing. `pending` holds the command IDs sent and not yet answered: a reply
 * to one is accepted (and the ID is taken out), a second reply gets no acceptance.
 */
export function platformAnswer(
  productId: string,
  deviceName: string,
  topic: string,
  payload: Uint8Array,
  pending: Set<string>,
): PlatformAnswer | null {
  const device = `$sys/${productId}/${deviceName}/`;
  if (!topic.startsWith(device)) return null;
  const rest = topic.slice(device.length);
  if (rest === 'dp/post/json') {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch {
      body = null;
    }
    const id = (body as { id?: unknown } | null)?.id;
    if (!uploadProblem(body)) return { topic: `${topic}/accepted`, payload: `{"id":${id}}` };
    const known = Number.isInteger(id) && (id as number) > 0 ? id : -1;
    return {
      topic: `${topic}/rejected`,
      payload: `{"id":${known},"err_code":98,"err_msg":"Illegal Data"}`,
    };
  }
  const reply = /^cmd\/response\/([^/]+)$/.exec(rest);
  if (reply && pending.delete(reply[1])) return { topic: `${topic}/accepted`, payload: '' };
  return null;
}
