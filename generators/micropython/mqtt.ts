/**
 * MicroPython for the MQTT blocks, on `umqtt.simple` as the seed program uses it. Messages reach
 * one callback, `on_message(topic, msg)`, with both as bytes; the handler blocks' bodies become
 * its body (see `finish` in generator.ts).
 */
import type * as Blockly from 'blockly';
import { CLIENT, Order, type MicroPythonGenerator } from './generator.ts';
import { pythonBytes } from './quote.ts';

const UMQTT = 'from umqtt.simple import MQTTClient';

/**
 * A username or password for umqtt: text when it is ASCII, as the tutorial writes it, and its
 * UTF-8 bytes otherwise. umqtt writes a str's length as `len()` counts it (characters) but sends
 * its UTF-8 bytes, so `"老师"` would make a malformed CONNECT that the broker closes.
 */
export function credential(text: string, generator: MicroPythonGenerator): string {
  // eslint-disable-next-line no-control-regex -- ASCII is exactly U+0000–U+007F
  return /^[\u0000-\u007f]*$/.test(text) ? generator.quote_(text) : pythonBytes(text);
}

export function mqtt_connect(block: Blockly.Block, generator: MicroPythonGenerator): string {
  generator.addImport(UMQTT);
  const keepalive = block.getFieldValue('KEEPALIVE');
  const args = [
    generator.quote_(block.getFieldValue('CLIENT_ID')),
    generator.quote_(block.getFieldValue('SERVER')),
    String(block.getFieldValue('PORT')),
    credential(block.getFieldValue('USERNAME'), generator),
    credential(block.getFieldValue('PASSWORD'), generator),
    `keepalive=${keepalive}`,
  ];
  return (
    `${CLIENT} = MQTTClient(${args.join(', ')})\n` +
    `${CLIENT}.set_callback(${generator.eventFunction('message')})\n` +
    `${CLIENT}.connect()\n` +
    generator.ownKeepAliveCode(Number(keepalive))
  );
}

export function mqtt_on_message(block: Blockly.Block, generator: MicroPythonGenerator): null {
  generator.addEventBody('message', block, generator.statementToCode(block, 'DO'));
  return null;
}

/**
 * A helper that decodes bytes as UTF-8 and never raises: bad bytes become U+FFFD, as in browsers.
 * (Helpers are written with 2-space steps: `provideFunction_` turns each into the generator's indent.)
 */
function textHelper(generator: MicroPythonGenerator): string {
  return generator.provideFunction_('mqtt_text', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(data):`,
    '  if isinstance(data, str):',
    '    return data',
    '  try:',
    '    return data.decode("utf-8")',
    '  except Exception:',
    '    pass',
    '  out = []',
    '  i = 0',
    '  while i < len(data):',
    '    byte = data[i]',
    '    i += 1',
    '    if byte < 0x80:',
    '      out.append(chr(byte))',
    '      continue',
    '    if 0xc2 <= byte <= 0xdf:',
    '      need, low, high, code = 1, 0x80, 0xbf, byte & 0x1f',
    '    elif 0xe0 <= byte <= 0xef:',
    '      need, low, high, code = 2, 0x80, 0xbf, byte & 0x0f',
    '      if byte == 0xe0:',
    '        low = 0xa0',
    '      if byte == 0xed:',
    '        high = 0x9f',
    '    elif 0xf0 <= byte <= 0xf4:',
    '      need, low, high, code = 3, 0x80, 0xbf, byte & 0x07',
    '      if byte == 0xf0:',
    '        low = 0x90',
    '      if byte == 0xf4:',
    '        high = 0x8f',
    '    else:',
    '      out.append("\\ufffd")',
    '      continue',
    '    while need and i < len(data) and low <= data[i] <= high:',
    '      code = (code << 6) | (data[i] & 0x3f)',
    '      low, high = 0x80, 0xbf',
    '      need -= 1',
    '      i += 1',
    '    out.append("\\ufffd" if need else chr(code))',
    '  return "".join(out)',
  ]);
}

/** `value` as bytes for umqtt, which counts a str's characters where MQTT needs its bytes. */
function bytesCode(block: Blockly.Block, name: string, generator: MicroPythonGenerator): string {
  const target = block.getInputTargetBlock(name);
  if (!target) return 'b""';
  if (target.type === 'text') return pythonBytes(target.getFieldValue('TEXT'));
  const helper = generator.provideFunction_('mqtt_bytes', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(value):`,
    '  if isinstance(value, bytes):',
    '    return value',
    '  return str(value).encode("utf-8")',
  ]);
  return `${helper}(${generator.valueToCode(block, name, Order.NONE) || '""'})`;
}

export function mqtt_topic(
  _block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  return [`${textHelper(generator)}(topic)`, Order.FUNCTION_CALL];
}

export function mqtt_message(
  _block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  return [`${textHelper(generator)}(msg)`, Order.FUNCTION_CALL];
}

export function mqtt_message_is(block: Blockly.Block): [string, Order] {
  return [`msg == ${pythonBytes(block.getFieldValue('TEXT'))}`, Order.RELATIONAL];
}

export function mqtt_if_message(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const body = generator.statementToCode(block, 'DO') || generator.PASS;
  return `if msg == ${pythonBytes(block.getFieldValue('TEXT'))}:\n${body}`;
}

export function mqtt_subscribe(block: Blockly.Block, generator: MicroPythonGenerator): string {
  return `${generator.clientWrite('subscribe', bytesCode(block, 'TOPIC', generator))}\n`;
}

export function mqtt_publish(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const topic = bytesCode(block, 'TOPIC', generator);
  return `${generator.clientWrite('publish', `${topic}, ${bytesCode(block, 'MESSAGE', generator)}`)}\n`;
}

export function mqtt_keep_alive(block: Blockly.Block, generator: MicroPythonGenerator): string {
  generator.addImport('from machine import Timer');
  const period = block.getFieldValue('PERIOD');
  return `Timer(${generator.nextTimer()}).init(period=${period}, mode=Timer.PERIODIC, callback=${generator.pingCallback()})\n`;
}

export function mqtt_listen_forever(
  _block: Blockly.Block,
  generator: MicroPythonGenerator,
): string {
  const indent = generator.INDENT;
  return (
    'try:\n' +
    `${indent}while True:\n` +
    `${indent}${indent}${CLIENT}.wait_msg()\n` +
    'finally:\n' +
    `${indent}${CLIENT}.disconnect()\n`
  );
}
