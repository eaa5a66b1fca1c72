/**
 * Reads the bytes a client sent a broker as MQTT 3.1.1 (protocol version 4), with mqtt-packet,
 * the parser aedes and MQTT.js use.
 */
import { generate, parser, type Packet } from 'mqtt-packet';

/** The packets a client may send a broker in MQTT 3.1.1. */
const CLIENT_PACKETS = new Set([
  'connect',
  'publish',
  'puback',
  'pubrec',
  'pubrel',
  'pubcomp',
  'subscribe',
  'unsubscribe',
  'pingreq',
  'disconnect',
]);

/** The packets read, and what is wrong with the stream (null when nothing is). */
export interface ClientStream {
  packets: Packet[];
  problem: string | null;
}

/**
 * Reads `stream`. It is valid when it parses without error into whole packets of the kinds a
 * client sends, with no bytes left over, and each packet, encoded again, gives back exactly its
 * own bytes (so no packet hides bytes its fields do not account for).
 */
export function readClientStream(stream: Uint8Array): ClientStream {
  const packets: Packet[] = [];
  const errors: string[] = [];
  const reader = parser({ protocolVersion: 4 });
  reader.on('packet', (packet: Packet) => packets.push(packet));
  reader.on('error', (error: Error) => errors.push(error.message));
  const left = reader.parse(Buffer.from(stream));
  const at = `after ${packets.length} whole packet(s)`;
  if (errors.length) return { packets, problem: `parse error ${at}: ${errors.join('; ')}` };
  if (left) return { packets, problem: `${left} byte(s) left over ${at}` };
  let offset = 0;
  for (const [n, packet] of packets.entries()) {
    if (!CLIENT_PACKETS.has(packet.cmd)) {
      return { packets, problem: `packet ${n} is a ${packet.cmd}, not a client packet` };
    }
    const encoded = generate(packet, { protocolVersion: 4 });
    const sent = Buffer.from(stream.subarray(offset, offset + encoded.length));
    if (!encoded.equals(sent)) {
      return { packets, problem: `packet ${n} (${packet.cmd}) does not encode to the bytes sent` };
    }
    offset += encoded.length;
  }
  return { packets, problem: null };
}

/** The publishes among `packets`, topic and payload as UTF-8 text. */
export function publishesIn(packets: Packet[]): { topic: string; payload: string }[] {
  return packets.flatMap((packet) =>
    packet.cmd === 'publish'
      ? [{ topic: packet.topic, payload: Buffer.from(packet.payload).toString('utf8') }]
      : [],
  );
}

/** The kinds of `packets`, in order (`connect`, `subscribe`, `pingreq`, …). */
export const kindsOf = (packets: Packet[]): string[] => packets.map((packet) => packet.cmd);
