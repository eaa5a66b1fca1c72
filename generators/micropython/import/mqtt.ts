/**
 * Importers for the MQTT blocks, from umqtt.simple as our generator writes it and as mPython
 * lessons do: `c = MQTTClient(…)`, `c.set_callback(f)`, `c.connect()`, a `Timer` that pings,
 * `try: while 1: c.wait_msg() finally: c.disconnect()`.
 */
import {
  asCall,
  bodies,
  callNamed,
  isBytes,
  numberValue,
  stringValue,
  unwrap,
  type Py,
} from './python-tree.ts';
import { block, type BlockJson, type ImportContext, type ImportTable } from './context.ts';
import { assignment } from './builtins.ts';

/** `client.method(args)` (or the generator's `mqtt_write(client.method, args)`): its arguments. */
function clientCall(node: Py | undefined, method: string, cx: ImportContext): Py[] | null {
  if (node?.type === 'ExpressionStatement') node = node.kids[0];
  const call = asCall(node);
  if (!call || call.keywords.size) return null;
  if (call.callee.text === 'mqtt_write' && call.args.length) {
    const [target, ...args] = call.args;
    const [object, property] = target.type === 'MemberExpression' ? target.kids : [];
    return property?.text === method && cx.isClient(object) ? args : null;
  }
  if (call.callee.type !== 'MemberExpression') return null;
  const [object, property] = call.callee.kids;
  return property?.text === method && cx.isClient(object) ? call.args : null;
}

/** A topic or message for umqtt: bytes and text literals are text blocks, `mqtt_bytes(x)` is x. */
function payload(node: Py, cx: ImportContext): BlockJson {
  const resolved = cx.resolve(node);
  if (isBytes(resolved)) return block('text', { TEXT: stringValue(resolved) });
  const helper = callNamed(resolved, 'mqtt_bytes');
  return cx.value(helper?.args.length === 1 ? helper.args[0] : node);
}

/** A text field's value from a literal (str, or UTF-8 bytes for a credential), or null. */
function literal(node: Py | undefined, cx: ImportContext): string | null {
  if (!node) return null;
  const resolved = cx.resolve(node);
  if (resolved.type === 'None') return '';
  return stringValue(resolved);
}

/** The ping callback of a keep-alive timer: `lambda t: c.ping()` or the generator's `mqtt_ping`. */
function pings(node: Py | undefined, cx: ImportContext): boolean {
  if (!node) return false;
  if (node.text === 'mqtt_ping') return true;
  if (node.type !== 'LambdaExpression') return false;
  const body = node.kids.at(-1);
  return clientCall(body, 'ping', cx)?.length === 0;
}

/** `Timer(n).init(period=…, mode=Timer.PERIODIC, callback=<ping>)` (or `tim1.init(…)`): the period. */
function keepAlivePeriod(node: Py | undefined, cx: ImportContext): number | null {
  if (node?.type !== 'ExpressionStatement') return null;
  const call = asCall(node.kids[0]);
  if (!call || call.callee.type !== 'MemberExpression') return null;
  const [timer, method] = call.callee.kids;
  if (method?.text !== 'init') return null;
  if (!callNamed(unwrap(timer), 'Timer') && !cx.timers.has(timer.text)) return null;
  const mode = call.keywords.get('mode')?.text;
  const period = numberValue(cx.resolve(call.keywords.get('period') ?? timer));
  if (mode !== 'Timer.PERIODIC' || period === null || !pings(call.keywords.get('callback'), cx))
    return null;
  return period;
}

/** Whether `node` is `msg` (the message handler's own parameter) or the generator's `mqtt_text(msg)`. */
function isPart(node: Py, part: 'topic' | 'msg', cx: ImportContext): boolean {
  const name = cx.message?.[part];
  if (!name) return false;
  const helper = callNamed(node, 'mqtt_text');
  const decoded = callNamed(node, `${name}.decode`);
  return (
    (helper?.args.length === 1 && unwrap(helper.args[0]).text === name) ||
    (decoded !== null && decoded.args.length <= 1)
  );
}

export const importers: ImportTable = {
  statements: {
    mqtt_connect: (list, at, cx) => {
      const assign = assignment(list[at]);
      const call = assign && callNamed(unwrap(assign.value), 'MQTTClient');
      if (!assign || !call) return null;
      const arg = (i: number, name: string) => call.args[i] ?? call.keywords.get(name);
      const id = literal(arg(0, 'client_id'), cx);
      const server = literal(arg(1, 'server'), cx);
      const port = arg(2, 'port') ? numberValue(cx.resolve(arg(2, 'port')!)) : 1883;
      const user = arg(3, 'user') ? literal(arg(3, 'user'), cx) : '';
      const password = arg(4, 'password') ? literal(arg(4, 'password'), cx) : '';
      const keepalive = arg(5, 'keepalive') ? numberValue(cx.resolve(arg(5, 'keepalive')!)) : 0;
      if ([id, server, port, user, password, keepalive].some((v) => v === null)) return null;
      if (
        call.args.length > 6 ||
        [...call.keywords.keys()].some((k) => k === 'ssl' || k === 'ssl_params')
      )
        return null;
      cx.clients.add(assign.name);
      let used = 1;
      if (clientCall(list[at + used], 'set_callback', cx)?.length === 1) used++;
      if (clientCall(list[at + used], 'connect', cx)?.length === 0) used++;
      // The keep-alive the connect block makes by itself (half the keepalive) is the block's own.
      const own = Math.max(100, Math.floor((keepalive! * 1000) / 2));
      if (
        keepalive! > 0 &&
        keepAlivePeriod(list[at + used], cx) === own &&
        !list.slice(at + used + 1).some((s) => keepAlivePeriod(s, cx) !== null)
      ) {
        used++;
      }
      const fields = {
        CLIENT_ID: id,
        SERVER: server,
        PORT: port,
        USERNAME: user,
        PASSWORD: password,
        KEEPALIVE: keepalive,
      };
      return { block: block('mqtt_connect', fields), used };
    },
    mqtt_keep_alive: (list, at, cx) => {
      // `tim1 = Timer(1)`: the timer is remembered, the line is no block.
      const assign = assignment(list[at]);
      if (assign && callNamed(unwrap(assign.value), 'Timer')) {
        cx.timers.add(assign.name);
        return { block: null, used: 1 };
      }
      const period = keepAlivePeriod(list[at], cx);
      return period === null
        ? null
        : { block: block('mqtt_keep_alive', { PERIOD: period }), used: 1 };
    },
    mqtt_subscribe: (list, at, cx) => {
      const args = clientCall(list[at], 'subscribe', cx);
      return args?.length === 1
        ? { block: block('mqtt_subscribe', {}, { TOPIC: payload(args[0], cx) }), used: 1 }
        : null;
    },
    mqtt_publish: (list, at, cx) => {
      const args = clientCall(list[at], 'publish', cx);
      if (args?.length !== 2) return null;
      return {
        block: block(
          'mqtt_publish',
          {},
          { TOPIC: payload(args[0], cx), MESSAGE: payload(args[1], cx) },
        ),
        used: 1,
      };
    },
    mqtt_if_message: (list, at, cx) => {
      // `if msg == b"on":` alone (no elif, no else) in the message handler.
      const node = list[at];
      if (node.type !== 'IfStatement' || !cx.message) return null;
      const parts = node.all().filter((p) => p.type !== 'Comment');
      if (parts.length !== 3 || parts[0].type !== 'if') return null;
      const test = unwrap(parts[1]);
      if (test.type !== 'BinaryExpression') return null;
      const [a, op, b] = test.kids;
      if (op?.text !== '==' || unwrap(a).text !== cx.message.msg) return null;
      const text = cx.resolve(b);
      if (!isBytes(text)) return null;
      return {
        block: block(
          'mqtt_if_message',
          { TEXT: stringValue(text) },
          { DO: cx.statements(parts[2]) },
        ),
        used: 1,
      };
    },
    mqtt_listen_forever: (list, at, cx) => {
      // The block ends a program (nothing goes under it): with lines after it, the loop stays code.
      if (at !== list.length - 1) return null;
      let node = list[at];
      if (node.type === 'TryStatement') {
        const parts = node.all().map((p) => p.type);
        if (parts.includes('except') || parts.includes('else') || !parts.includes('finally'))
          return null;
        const [body, last] = bodies(node);
        const end = last.statements;
        if (end.length !== 1 || clientCall(end[0], 'disconnect', cx)?.length !== 0) return null;
        const inner = body.statements;
        if (inner.length !== 1) return null;
        node = inner[0];
      }
      if (node.type !== 'WhileStatement') return null;
      const test = unwrap(node.all()[1]);
      if (!(test.text === 'True' || numberValue(test) === 1)) return null;
      const loop = bodies(node)[0].statements;
      if (loop.length !== 1 || clientCall(loop[0], 'wait_msg', cx)?.length !== 0) return null;
      return { block: block('mqtt_listen_forever'), used: 1 };
    },
  },
  values: {
    mqtt_message_is: (node, cx) => {
      if (node.type !== 'BinaryExpression') return null;
      const [a, op, b] = node.kids;
      if (op?.text !== '==' || !cx.message || unwrap(a).text !== cx.message.msg) return null;
      const text = cx.resolve(b);
      return isBytes(text) ? block('mqtt_message_is', { TEXT: stringValue(text) }) : null;
    },
    mqtt_topic: (node, cx) =>
      (cx.message && node.text === cx.message.topic) || isPart(node, 'topic', cx)
        ? block('mqtt_topic')
        : null,
    mqtt_message: (node, cx) =>
      (cx.message && node.text === cx.message.msg) || isPart(node, 'msg', cx)
        ? block('mqtt_message')
        : null,
  },
  handlers: {
    mqtt_on_message: (event, body) =>
      event === 'message' ? block('mqtt_on_message', {}, { DO: body }) : null,
  },
};
