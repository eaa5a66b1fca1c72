/**
 * The console WebSocket's wire format (`/console` on the page's origin), keyed by `type`, and the
 * one function that turns a received text frame into a typed event. Frames come from a server
 * other code writes, so nothing is trusted: a frame that does not match is dropped, never thrown.
 */

/** Server → console, as JSON text: every message through the broker, and who is online. */
export type ConsoleFrame =
  | {
      type: 'message';
      /** When the broker saw it, in ms since the epoch. */
      time: number;
      topic: string;
      /** The payload, or only its start (a few kB) when `size` is there. */
      payloadBase64: string;
      /** The payload's full length in bytes, when payloadBase64 holds only its start. */
      size?: number;
      /** The publishing client, or null when the server itself published (e.g. for a console). */
      from: string | null;
      /** For a direct delivery: the client it was delivered to. */
      to?: string;
      /** A OneNET-style delivery of a `cmd/<clientId>` message straight to that device. */
      direct?: true;
    }
  | { type: 'clients'; online: string[] }
  | { type: 'takeover'; clientId: string }
  | { type: 'connect' | 'disconnect'; clientId: string }
  /** `count` messages were not sent to this page: it was reading too slowly to take them. */
  | { type: 'skipped'; count: number };

/** Console → server, as JSON text. */
export type ConsoleCommand =
  | { type: 'publish'; topic: string; payloadText: string }
  /** Publishes `payloadText` on `cmd/<clientId>`, as OneNET's command page does. */
  | { type: 'send'; clientId: string; payloadText: string };

/** A received frame, checked, with its payload decoded to bytes. */
export type ConsoleEvent =
  | {
      type: 'message';
      time: number;
      topic: string;
      /** The payload, or its start when `size` is larger. */
      payload: Uint8Array;
      /** The payload's full length in bytes. */
      size: number;
      from: string | null;
      to?: string;
      direct: boolean;
    }
  | { type: 'clients'; online: string[] }
  | { type: 'takeover' | 'connect' | 'disconnect'; clientId: string }
  | { type: 'skipped'; count: number };

type Fields = Record<string, unknown>;

const isString = (value: unknown): value is string => typeof value === 'string';

/** The bytes of standard base64 `text`, or null when it is not base64. */
function decodeBase64(text: string): Uint8Array | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function parseMessage(frame: Fields): ConsoleEvent | null {
  const { time, topic, payloadBase64, size, from = null, to, direct = false } = frame;
  if (typeof time !== 'number' || !Number.isFinite(time)) return null;
  if (!isString(topic) || topic === '' || !isString(payloadBase64)) return null;
  if (from !== null && !isString(from)) return null;
  if (to !== undefined && !isString(to)) return null;
  if (typeof direct !== 'boolean') return null;
  const payload = decodeBase64(payloadBase64);
  if (!payload) return null;
  if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= payload.length)) {
    return null;
  }
  return {
    type: 'message',
    time,
    topic,
    payload,
    size: (size as number | undefined) ?? payload.length,
    from,
    ...(to === undefined ? {} : { to }),
    direct,
  };
}

/** The event in JSON text `data`, or null when it is not a frame this console understands. */
export function parseConsoleFrame(data: string): ConsoleEvent | null {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return null;
  const fields = frame as Fields;
  switch (fields.type) {
    case 'message':
      return parseMessage(fields);
    case 'clients': {
      const { online } = fields;
      if (!Array.isArray(online) || !online.every(isString)) return null;
      return { type: 'clients', online: [...online] };
    }
    case 'takeover':
    case 'connect':
    case 'disconnect': {
      const { clientId } = fields;
      return isString(clientId) && clientId !== '' ? { type: fields.type, clientId } : null;
    }
    case 'skipped': {
      const { count } = fields;
      return Number.isSafeInteger(count) && (count as number) > 0
        ? { type: 'skipped', count: count as number }
        : null;
    }
    default:
      return null;
  }
}
