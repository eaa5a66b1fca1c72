/**
 * Runs a WTR server command (a plugin's `executeCommand` in web-test-runner.config.js) from a
 * browser test, as `@web/test-runner-commands`' `executeServerCommand` does. That package cannot
 * be imported here: it loads WTR's own web socket module at run time, and Vite, which serves every
 * test file, fails to resolve that module when it pre-bundles or transforms the import.
 */

/** WTR's web socket module: WTR answers it on the test page's origin, Vite never sees it. */
const WTR_SOCKET_MODULE = '/__web-dev-server__web-socket.js';

interface WtrSocketModule {
  sendMessageWaitForResponse(message: object): Promise<{ executed: boolean; result?: unknown }>;
}

/**
 * `import()` out of Vite's sight: Vite rewrites each `import()` in the files it serves, and for a
 * module it cannot resolve it would pull in its HMR client, which then fails to connect.
 */
const importUnbundled = new Function('url', 'return import(url)') as (
  url: string,
) => Promise<unknown>;

/** Runs `command` with `payload` on the test runner's server and resolves with its result. */
export async function serverCommand<R>(command: string, payload?: unknown): Promise<R> {
  const sessionId = new URL(location.href).searchParams.get('wtr-session-id');
  if (!sessionId) throw new Error('Server commands only run in pages that WTR opened.');
  const socket = (await importUnbundled(WTR_SOCKET_MODULE)) as WtrSocketModule;
  const response = await socket.sendMessageWaitForResponse({
    type: 'wtr-command',
    sessionId,
    command,
    payload,
  });
  if (!response.executed) throw new Error(`No WTR plugin handles the command ${command}.`);
  return response.result as R;
}

/** Types or presses keys as a person does, through the browser (WTR's `send-keys` command). */
export function sendKeys(keys: { type: string } | { press: string }): Promise<unknown> {
  return serverCommand('send-keys', keys);
}
