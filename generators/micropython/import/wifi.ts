/** Importers for the WiFi block: `wifi().connectWiFi(ssid, password)`, or through a `wifi()` object. */
import { asCall, callNamed, stringValue, unwrap } from './python-tree.ts';
import { block, type ImportTable } from './context.ts';
import { assignment } from './builtins.ts';

export const importers: ImportTable = {
  statements: {
    wifi_connect: (list, at, cx) => {
      const node = list[at];
      // `mywifi = wifi()`: the object is remembered, the line is no block.
      const assign = assignment(node);
      if (assign && callNamed(unwrap(assign.value), 'wifi')?.args.length === 0) {
        cx.wifis.add(assign.name);
        return { block: null, used: 1 };
      }
      const call = asCall(node.type === 'ExpressionStatement' ? node.kids[0] : undefined);
      if (!call || call.callee.type !== 'MemberExpression') return null;
      const [object, method] = call.callee.kids;
      if (method?.text !== 'connectWiFi') return null;
      if (!(callNamed(unwrap(object), 'wifi')?.args.length === 0 || cx.wifis.has(object.text)))
        return null;
      const ssid = call.args[0] ?? call.keywords.get('ssid');
      const password = call.args[1] ?? call.keywords.get('password') ?? call.keywords.get('passwd');
      const values = [ssid, password].map((v) => (v ? stringValue(cx.resolve(v)) : null));
      if (values.some((v) => v === null)) return null;
      return { block: block('wifi_connect', { SSID: values[0], PASSWORD: values[1] }), used: 1 };
    },
  },
};
