/**
 * Builds the studio before serving it, but only when a source is newer than the last build:
 * `npm start` right after `npm ci` works, and a second start is instant.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Files and folders (relative to the project root) whose changes a build picks up. */
const SOURCES = ['index.html', 'src', 'blocks', 'generators', 'vite.config.ts', 'package.json'];

/** The server's own code is not part of the page (it runs from source through tsx). */
const NOT_SOURCES = [join('src', 'server')];

/** The newest modification time (ms) under `path`, or 0 when it does not exist. */
function newestMtime(root: string, path: string): number {
  if (NOT_SOURCES.includes(relative(root, path))) return 0;
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(root, join(path, name)));
  }
  return newest;
}

/** Whether `root/dist/index.html` is missing or older than any source of the page. */
export function isStale(root: string): boolean {
  const built = join(root, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => newestMtime(root, join(root, source)) > builtAt);
}

/**
 * Runs Vite's build for the project at `root` when isStale(root), printing one line either way.
 * Resolves to whether it built.
 */
export async function buildIfStale(
  root: string,
  log: (line: string) => void = (line) => console.log(line),
): Promise<boolean> {
  if (!isStale(root)) {
    log('Studio is up to date.');
    return false;
  }
  log('Building the studio…');
  // Loaded only when needed: Vite takes a moment to import.
  const { build } = await import('vite');
  await build({ root, logLevel: 'warn', clearScreen: false });
  return true;
}
