import { readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { Server as HttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { defineConfig, type Logger, type Plugin } from 'vite';
import { createBroker } from './src/server/broker.ts';

/** Where the page asks for Blockly's images and cursors (the editor's `media` option). */
const MEDIA_PATH = 'blockly-media';

/**
 * Serves Blockly's media folder (zoom and trashcan sprites, cursors) from the app's own origin
 * and copies it into the build. Blockly's default is a web address, and classrooms may be
 * offline.
 */
function blocklyMedia(): Plugin {
  const folder = join(dirname(createRequire(import.meta.url).resolve('blockly')), 'media');
  // Sounds are off in the editor, so the .mp3 files are left out.
  const files = readdirSync(folder).filter((name) => extname(name) !== '.mp3');
  const types: Record<string, string> = {
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
    '.gif': 'image/gif',
    '.cur': 'image/x-icon',
  };
  return {
    name: 'blockly-media',
    configureServer(server) {
      server.middlewares.use(`/${MEDIA_PATH}/`, (req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0].slice(1));
        if (!files.includes(name)) return next();
        res.setHeader('Content-Type', types[extname(name)] ?? 'application/octet-stream');
        res.end(readFileSync(join(folder, name)));
      });
    },
    generateBundle() {
      for (const name of files) {
        this.emitFile({
          type: 'asset',
          fileName: `${MEDIA_PATH}/${name}`,
          source: readFileSync(join(folder, name)),
        });
      }
    },
  };
}

/** Text files worth compressing (and WebAssembly, which shrinks as well as text). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|map|xml|wasm)$/;

/**
 * Writes `.br` and `.gz` copies next to every compressible built file over 1 kB, which the
 * studio server (sirv) sends to browsers that accept them: Blockly alone is ~750 kB minified.
 * Node's built-in zlib does both, so no compression library is needed. Build only.
 */
function precompress(): Plugin {
  const brotli = promisify(brotliCompress);
  const gzipAsync = promisify(gzip);
  return {
    name: 'precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = resolve(options.dir ?? 'dist');
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(
        files.map(async (name) => {
          // From disk, so the copies match exactly what was written.
          const data = await readFile(join(dir, name));
          if (data.length < 1024) return;
          const [br, gz] = await Promise.all([
            // Quality 9, not 11: the copy is ~9% larger but the build is ~2 s faster (and Rolldown
            // stops warning about a slow plugin); on a classroom LAN the difference is nothing.
            brotli(data, {
              params: {
                [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
              },
            }),
            gzipAsync(data, { level: 9 }),
          ]);
          // A copy that saves little is not worth a second file.
          if (br.length < data.length * 0.9) await writeFile(join(dir, `${name}.br`), br);
          if (gz.length < data.length * 0.9) await writeFile(join(dir, `${name}.gz`), gz);
        }),
      );
    },
  };
}

/**
 * The embedded broker inside `vite` (dev) and `vite preview`, as in `npm start`: MQTT over
 * WebSocket at /mqtt and the console at /console on Vite's own port, MQTT over TCP on MQTT_PORT
 * (default 1883, the next free port when busy). Only these server hooks start it; `vite build`
 * never does.
 */
function studioBroker(): Plugin {
  const start = async (httpServer: HttpServer | null, logger: Logger) => {
    // Middleware mode (e.g. inside the test runner) has no HTTP server of its own: no broker.
    if (!httpServer) return;
    const log = (line: string) => logger.info(line);
    const broker = await createBroker({ log });
    broker.attachWebSocket(httpServer);
    httpServer.once('close', () => void broker.close());
    const listenTcp = async () => {
      const wanted = process.env.MQTT_PORT ? Number(process.env.MQTT_PORT) : 1883;
      try {
        const port = await broker.listenTcp(wanted, process.env.HOST || undefined);
        log(`MQTT TCP: port ${port}; MQTT over WebSocket: /mqtt on the page's own port`);
      } catch (error) {
        // The page and its WebSocket broker still work; only boards cannot connect.
        logger.error(`MQTT TCP not started: ${error instanceof Error ? error.message : error}`);
      }
    };
    // On a restart Vite makes the new server before closing the old one, whose broker still
    // holds the MQTT port: listening only with the HTTP server keeps boards on the same port.
    if (httpServer.listening) await listenTcp();
    else httpServer.once('listening', () => void listenTcp());
  };
  return {
    name: 'iot-blocks-broker',
    configureServer: (server) =>
      start(server.httpServer as HttpServer | null, server.config.logger),
    configurePreviewServer: (server) =>
      start(server.httpServer as HttpServer, server.config.logger),
  };
}

/**
 * Blockly generators the studio never uses, replaced by an empty module in the page: the colour
 * field plugin imports every language's generator, and only Python and JavaScript are ours.
 */
const UNUSED_GENERATORS = ['blockly/dart', 'blockly/lua', 'blockly/php'];

export default defineConfig({
  plugins: [blocklyMedia(), precompress(), studioBroker()],
  resolve: {
    alias: UNUSED_GENERATORS.map((find) => ({
      find,
      replacement: fileURLToPath(new URL('src/editor/unused-generator.ts', import.meta.url)),
    })),
  },
  build: {
    target: 'es2022',
    // Blockly alone minifies to ~750 kB; the default 500 kB limit would warn on every build.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // The studio, and the block help its blocks' Help opens (served by the studio itself, as
      // classrooms may be offline): built to dist/src/help/index.html, sharing Blockly's chunk.
      input: {
        studio: fileURLToPath(new URL('index.html', import.meta.url)),
        help: fileURLToPath(new URL('src/help/index.html', import.meta.url)),
        // The teacher's classroom wall, served only at /class?token=… (src/server/class-wall.ts).
        class: fileURLToPath(new URL('src/class/index.html', import.meta.url)),
      },
      // On a busy classroom laptop the first `npm start` build can take over 3 s, and Rolldown
      // then prints a [PLUGIN_TIMINGS] warning a teacher can do nothing about.
      checks: { bundlerTimings: false },
    },
  },
  // host: true so children's laptops on the classroom LAN can open the teacher's studio.
  server: { host: true },
  preview: { port: 8080, host: true },
});
