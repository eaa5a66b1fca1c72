/**
 * @web/test-runner: test/browser/**\/*.test.ts in headless Chromium.
 *
 * Why Vite: plain WTR cannot load Blockly's ESM entry (it imports CommonJS bundles), so every
 * request except WTR's own is handed to a Vite dev server running in middleware mode inside WTR's
 * server. Test files then load TypeScript, bare imports and CommonJS packages exactly as the app
 * does under Vite.
 */
import { fileURLToPath } from 'node:url';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createServer } from 'vite';
import { consoleTestServer } from './test/support/console-test-server.js';
import { testBrokerPlugin } from './test/support/test-broker.js';
import { countsReporter } from './test/support/wtr-counts-reporter.js';

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const testFiles = 'test/browser/**/*.test.ts';

/** Chromium flags needed as root on these machines, and to keep it off the internet. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Started on first use; closed when WTR stops. */
let vitePromise;

function startVite() {
  vitePromise ??= createServer({
    // The app's vite.config.ts (if any) is for the app; tests get a known, minimal setup.
    configFile: false,
    root: rootDir,
    appType: 'custom',
    logLevel: 'warn',
    clearScreen: false,
    // Its own cache, so the app's dev server and the tests do not re-optimize each other's deps.
    cacheDir: 'node_modules/.vite-wtr',
    // No HMR socket (it would open a second port) and no file watching: runs are one-shot.
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
    // Vite reloads the page when it meets a dependency it had not pre-bundled, which would kill
    // a test mid-run. Crawl every test file up front and pre-bundle the known heavy deps.
    optimizeDeps: {
      entries: [testFiles],
      include: [
        'blockly',
        'blockly/python',
        'blockly/javascript',
        'lit',
        '@blockly/field-colour',
        'mqtt',
        // Imported only by the program Worker, which the crawl above does not follow.
        'sucrase',
        '@esm-bundle/chai',
      ],
    },
  });
  return vitePromise;
}

/** Requests WTR answers itself: its runtime, its web socket and its test page (`/`). */
function isWtrRequest(path) {
  return (
    path === '/' ||
    path.startsWith('/__web-dev-server__') ||
    path.startsWith('/__web-test-runner__')
  );
}

/** Koa middleware that lets Vite answer every other request, falling through when Vite does not. */
async function viteMiddleware(ctx, next) {
  if (isWtrRequest(ctx.path)) return next();
  const vite = await startVite();
  const handled = await new Promise((resolve, reject) => {
    const onDone = () => resolve(true);
    ctx.res.once('finish', onDone);
    ctx.res.once('close', onDone);
    vite.middlewares(ctx.req, ctx.res, (error) => {
      ctx.res.off('finish', onDone);
      ctx.res.off('close', onDone);
      if (error) reject(error);
      else resolve(false);
    });
  });
  if (handled) ctx.respond = false;
  else await next();
}

/**
 * A studio page that runs a program opens the classroom wall's `/board` WebSocket on its own
 * origin (src/class/board-link.ts). Here that origin is the test runner's server, whose own
 * WebSocket handler takes every upgrade and would read the page's frames as its own: the next
 * test file then never starts. This server has no wall, so `/board` is refused, as a studio
 * without one would.
 */
function refuseBoardChannel(server) {
  const others = server.listeners('upgrade');
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname === '/board') {
      socket.destroy();
      return;
    }
    for (const listener of others) listener.call(server, req, socket, head);
  });
}

export default {
  rootDir,
  files: testFiles,
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 120000,
  // The first page of a cold run waits for Vite to pre-bundle Blockly.
  testsStartTimeout: 120000,
  testsFinishTimeout: 300000,
  testFramework: { config: { timeout: 60000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  middleware: [viteMiddleware],
  plugins: [
    consoleTestServer(),
    // A real MQTT broker (aedes); tests drive it through `broker-*` server commands.
    testBrokerPlugin(),
    {
      name: 'vite-lifecycle',
      async serverStart({ server }) {
        refuseBoardChannel(server);
        await startVite();
      },
      async serverStop() {
        if (vitePromise) await (await vitePromise).close();
      },
    },
  ],
  reporters: [
    defaultReporter(),
    summaryReporter({ reportTestLogs: false, reportTestErrors: false }),
    countsReporter(),
  ],
};
