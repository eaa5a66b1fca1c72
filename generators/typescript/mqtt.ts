/** TypeScript for the MQTT blocks, against the runtime's `mqtt` (one client per program). */
import type * as Blockly from 'blockly';
import { Order, type TypeScriptGenerator } from './generator.ts';
import { textInput } from './builtins.ts';

export function mqtt_connect(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const options = [
    `server: ${generator.quote_(block.getFieldValue('SERVER'))}`,
    `port: ${block.getFieldValue('PORT')}`,
    `clientId: ${generator.quote_(block.getFieldValue('CLIENT_ID'))}`,
    `username: ${generator.quote_(block.getFieldValue('USERNAME'))}`,
    `password: ${generator.quote_(block.getFieldValue('PASSWORD'))}`,
    `keepalive: ${block.getFieldValue('KEEPALIVE')}`,
  ];
  const indent = generator.INDENT;
  return (
    `await ${generator.use('mqtt')}.connect({\n${indent}${options.join(`,\n${indent}`)},\n});\n` +
    generator.ownKeepAliveCode(Number(block.getFieldValue('KEEPALIVE')))
  );
}

export function mqtt_on_message(block: Blockly.Block, generator: TypeScriptGenerator): null {
  generator.addEventBody('message', block, generator.statementToCode(block, 'DO'));
  return null;
}

export function mqtt_topic(): [string, Order] {
  return ['message.topic', Order.MEMBER];
}

export function mqtt_message(): [string, Order] {
  return ['message.text', Order.MEMBER];
}

export function mqtt_message_is(
  block: Blockly.Block,
  generator: TypeScriptGenerator,
): [string, Order] {
  return [`message.is(${generator.quote_(block.getFieldValue('TEXT'))})`, Order.FUNCTION_CALL];
}

export function mqtt_if_message(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const body = generator.statementToCode(block, 'DO');
  return `if (message.is(${generator.quote_(block.getFieldValue('TEXT'))})) {\n${body}}\n`;
}

/** A topic or message as text, as the board's `str()` writes it (see `textInput`). */
function textCode(block: Blockly.Block, name: string, generator: TypeScriptGenerator): string {
  return textInput(block, name, generator);
}

export function mqtt_subscribe(block: Blockly.Block, generator: TypeScriptGenerator): string {
  return `await ${generator.use('mqtt')}.subscribe(${textCode(block, 'TOPIC', generator)});\n`;
}

export function mqtt_publish(block: Blockly.Block, generator: TypeScriptGenerator): string {
  const topic = textCode(block, 'TOPIC', generator);
  const message = textCode(block, 'MESSAGE', generator);
  return `await ${generator.use('mqtt')}.publish(${topic}, ${message});\n`;
}

export function mqtt_keep_alive(block: Blockly.Block, generator: TypeScriptGenerator): string {
  return `${generator.use('mqtt')}.keepAlive(${block.getFieldValue('PERIOD')});\n`;
}

export function mqtt_listen_forever(_block: Blockly.Block, generator: TypeScriptGenerator): string {
  const mqtt = generator.use('mqtt');
  const indent = generator.INDENT;
  return (
    'try {\n' +
    `${indent}await ${mqtt}.listenForever();\n` +
    '} finally {\n' +
    `${indent}await ${mqtt}.disconnect();\n` +
    '}\n'
  );
}
