/**
 * MicroPython for the OneNET blocks (OneNET's current MQTT platform) on `umqtt.simple`. The
 * connect block logs in with the token the studio computed (the device key never reaches
 * main.py) and subscribes to the device's command topic, as OneNET requires. A command handler's
 * blocks join `on_message(topic, msg)` behind a check of the topic; afterwards the command is
 * answered "ok" on its response topic unless a reply block answered already (OneNET refuses a
 * second answer).
 */
import type * as Blockly from 'blockly';
import { CLIENT, Order, type MicroPythonGenerator } from './generator.ts';
import { credential, mqtt_message, mqtt_message_is } from './mqtt.ts';
import { pythonBytes } from './quote.ts';
import {
  AUTOMATIC_REPLY,
  ONENET_KEEPALIVE,
  ONENET_PORT,
  ONENET_SERVER,
  deviceOf,
  deviceTopic,
  expiryDateOf,
  passwordOf,
  programDevice,
} from '../../src/onenet/device.ts';

const UMQTT = 'from umqtt.simple import MQTTClient';

/** A dict holding the command being answered and the last data point's id. */
function stateName(generator: MicroPythonGenerator): string {
  return generator.provideFunction_('onenet_state', [
    `${generator.FUNCTION_NAME_PLACEHOLDER_} = {"reply_to": None, "id": 0}`,
  ]);
}

export function onenet_connect(block: Blockly.Block, generator: MicroPythonGenerator): string {
  generator.addImport(UMQTT);
  const device = deviceOf(block);
  const args = [
    generator.quote_(device.deviceName),
    generator.quote_(ONENET_SERVER),
    String(ONENET_PORT),
    credential(device.productId, generator),
    credential(passwordOf(device), generator),
    `keepalive=${ONENET_KEEPALIVE}`,
  ];
  const expiry = expiryDateOf(device);
  return (
    (expiry
      ? `# The password is a OneNET token: it works until the end of ${expiry} (Beijing time).\n`
      : '') +
    `${CLIENT} = MQTTClient(${args.join(', ')})\n` +
    `${CLIENT}.set_callback(${generator.eventFunction('message')})\n` +
    `${CLIENT}.connect()\n` +
    `${generator.clientWrite('subscribe', pythonBytes(deviceTopic(device, 'cmd/request/+')))}\n` +
    generator.ownKeepAliveCode(ONENET_KEEPALIVE)
  );
}

export function onenet_on_command(block: Blockly.Block, generator: MicroPythonGenerator): null {
  const device = programDevice(block.workspace);
  const state = stateName(generator);
  const isCommand = generator.provideFunction_('onenet_command', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(topic):`,
    `  prefix = ${pythonBytes(deviceTopic(device, 'cmd/request/'))}`,
    '  if not topic.startswith(prefix):',
    '    return False',
    `  ${state}["reply_to"] = ${pythonBytes(deviceTopic(device, 'cmd/response/'))} + topic[len(prefix):]`,
    '  return True',
  ]);
  const body =
    generator.statementToCode(block, 'DO') +
    `${generator.INDENT}${replyFunction(generator)}(${generator.quote_(AUTOMATIC_REPLY)})\n`;
  generator.addEventBody(
    'message',
    block,
    `${generator.INDENT}if ${isCommand}(topic):\n${generator.prefixLines(body, generator.INDENT)}`,
  );
  return null;
}

/** The function that answers the command being handled, once (later calls do nothing). */
function replyFunction(generator: MicroPythonGenerator): string {
  const state = stateName(generator);
  return generator.provideFunction_('onenet_reply', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(value):`,
    `  topic = ${state}["reply_to"]`,
    '  if topic is None:',
    '    return',
    `  ${state}["reply_to"] = None`,
    '  if not isinstance(value, bytes):',
    '    value = str(value).encode("utf-8")',
    `  ${generator.clientWrite('publish', 'topic, value')}`,
  ]);
}

export function onenet_command(
  block: Blockly.Block,
  generator: MicroPythonGenerator,
): [string, Order] {
  return mqtt_message(block, generator);
}

export function onenet_command_is(block: Blockly.Block): [string, Order] {
  return mqtt_message_is(block);
}

export function onenet_reply(block: Blockly.Block, generator: MicroPythonGenerator): string {
  const value = generator.valueToCode(block, 'TEXT', Order.NONE) || '""';
  return `${replyFunction(generator)}(${value})\n`;
}

/**
 * OneNET's data point upload: `{"id": n, "dp": {"<stream>": [{"v": value}]}}` on
 * `$sys/<product>/<device>/dp/post/json`. The JSON is joined by hand, without spaces, so the
 * board and the browser send the same bytes (older firmware's json.dumps has no separators).
 */
export function onenet_upload(block: Blockly.Block, generator: MicroPythonGenerator): string {
  generator.addImport('import json');
  const state = stateName(generator);
  const upload = generator.provideFunction_('onenet_upload', [
    `def ${generator.FUNCTION_NAME_PLACEHOLDER_}(name, value):`,
    `  ${state}["id"] += 1`,
    `  body = '{"id":' + str(${state}["id"]) + ',"dp":{' + json.dumps(name) + ':[{"v":' + json.dumps(value) + '}]}}'`,
    `  ${generator.clientWrite('publish', `${pythonBytes(deviceTopic(programDevice(block.workspace), 'dp/post/json'))}, body.encode("utf-8")`)}`,
  ]);
  const value = generator.valueToCode(block, 'VALUE', Order.NONE) || '""';
  return `${upload}(${generator.quote_(block.getFieldValue('NAME'))}, ${value})\n`;
}
