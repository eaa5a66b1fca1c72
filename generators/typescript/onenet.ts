/**
 * TypeScript for the OneNET blocks, against the runtime's `mqtt`: the same calls, topics and
 * payloads as the board's program (generators/micropython/onenet.ts). In the browser the program
 * connects to the Broker setting, where the studio's own broker plays OneNET's part.
 */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './generator.ts';
import { mqtt_message, mqtt_message_is } from './mqtt.ts';
import { textInput } from './builtins.ts';
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

/** An object holding the command being answered and the last data point's id. */
function stateName(generator: TypeScriptGenerator): string {
  return generator.provideFunction_('onenetState', [
    `const ${generator.FUNCTION_NAME_PLACEHOLDER_}: { replyTo: string | null; id: number } = { replyTo: null, id: 0 };`,
  ]);
}

export function onenet_connect(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const device = deviceOf(block);
  const mqtt = generator.use('mqtt');
  const options = [
    `server: ${generator.quote_(ONENET_SERVER)}`,
    `port: ${ONENET_PORT}`,
    `clientId: ${generator.quote_(device.deviceName)}`,
    `username: ${generator.quote_(device.productId)}`,
    `password: ${generator.quote_(passwordOf(device))}`,
    `keepalive: ${ONENET_KEEPALIVE}`,
  ];
  const indent = generator.INDENT;
  const expiry = expiryDateOf(device);
  return (
    (expiry
      ? `// The password is a OneNET token: it works until the end of ${expiry} (Beijing time).\n`
      : '') +
    `await ${mqtt}.connect({\n${indent}${options.join(`,\n${indent}`)},\n});\n` +
    `await ${mqtt}.subscribe(${generator.quote_(deviceTopic(device, 'cmd/request/+'))});\n` +
    generator.ownKeepAliveCode(ONENET_KEEPALIVE)
  );
}

export function onenet_on_command(block: Blockly.Block, generator: TypeScriptGenerator): null {
  const device = programDevice(block.workspace);
  const state = stateName(generator);
  const isCommand = generator.provideFunction_('onenetCommand', [
    `function ${generator.FUNCTION_NAME_PLACEHOLDER_}(topic: string): boolean {`,
    `  const prefix = ${generator.quote_(deviceTopic(device, 'cmd/request/'))};`,
    '  if (!topic.startsWith(prefix)) return false;',
    `  ${state}.replyTo = ${generator.quote_(deviceTopic(device, 'cmd/response/'))} + topic.slice(prefix.length);`,
    '  return true;',
    '}',
  ]);
  const body =
    generator.statementToCode(block, 'DO') +
    `${generator.INDENT}await ${replyFunction(generator)}(${generator.quote_(AUTOMATIC_REPLY)});\n`;
  generator.addEventBody(
    'message',
    block,
    `${generator.INDENT}if (${isCommand}(message.topic)) {\n` +
      `${generator.prefixLines(body, generator.INDENT)}${generator.INDENT}}\n`,
  );
  return null;
}

/** The function that answers the command being handled, once (later calls do nothing). */
function replyFunction(generator: TypeScriptGenerator): string {
  const state = stateName(generator);
  const mqtt = generator.use('mqtt');
  return generator.provideFunction_('onenetReply', [
    `async function ${generator.FUNCTION_NAME_PLACEHOLDER_}(value: string): Promise<void> {`,
    `  const topic = ${state}.replyTo;`,
    '  if (topic === null) return;',
    `  ${state}.replyTo = null;`,
    `  await ${mqtt}.publish(topic, value);`,
    '}',
  ]);
}

export function onenet_command(): [string, Order] {
  return mqtt_message();
}

export function onenet_command_is(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  return mqtt_message_is(block, generator);
}

export function onenet_reply(block: Blockly.Block, generator: TypeScriptGenerator): string {
  // As text the way the board's str() writes it: True, not true.
  return `await ${replyFunction(generator)}(${textInput(block, 'TEXT', generator)});\n`;
}

/** OneNET's data point upload, joined by hand exactly as the board's program joins it. */
export function onenet_upload(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const state = stateName(generator);
  const mqtt = generator.use('mqtt');
  const upload = generator.provideFunction_('onenetUpload', [
    `async function ${generator.FUNCTION_NAME_PLACEHOLDER_}(name: string, value: unknown): Promise<void> {`,
    `  ${state}.id += 1;`,
    `  const body = '{"id":' + ${state}.id + ',"dp":{' + JSON.stringify(name) + ':[{"v":' + JSON.stringify(value) + '}]}}';`,
    `  await ${mqtt}.publish(${generator.quote_(deviceTopic(programDevice(block.workspace), 'dp/post/json'))}, body);`,
    '}',
  ]);
  const value = generator.valueToCode(block, 'VALUE', Order.NONE) || '""';
  return `await ${upload}(${generator.quote_(block.getFieldValue('NAME'))}, ${value});\n`;
}
