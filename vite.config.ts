import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

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

export default defineConfig({
  plugins: [blocklyMedia()],
  build: {
    target: 'es2022',
    // Blockly alone minifies to ~750 kB; the default 500 kB limit would warn on every build.
    chunkSizeWarningLimit: 1000,
  },
  // host: true so children's laptops on the classroom LAN can open the teacher's studio.
  server: { host: true },
  preview: { port: 8080, host: true },
});
