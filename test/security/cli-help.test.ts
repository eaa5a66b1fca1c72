// Issue 14, row "CLI and help page": a project file with a value outside a dropdown's choices is
// refused by `iot-blocks generate` with one line that names the block, its id, the field and the
// value (it was silently replaced by the first choice, with Blockly's warnings, and exit 0); the
// help page served by the real `npm start` server ignores a hash that is not a block (`#%` threw
// URIError).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, projectWith, startTestStudio } from '../e2e/studio.ts';

const bin = fileURLToPath(new URL('../../src/cli/iot-blocks.js', import.meta.url));

/** Runs the real bin; resolves with its exit code and output, never rejects. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe('CLI and help page', () => {
  let dir: string;
  let studio: Studio;
  let browser: Browser;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'iot-blocks-cli-help-'));
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('generate exits 1 with one line for a value outside a dropdown’s choices', async () => {
    const file = join(dir, 'button-c.json');
    await writeFile(
      file,
      JSON.stringify(
        projectWith([{ type: 'board_on_button', id: 'press-c', fields: { BUTTON: 'c' } }]),
      ),
    );
    for (const lang of ['micropython', 'typescript']) {
      const result = await cli('generate', file, '--lang', lang);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '', 'no program is printed');
      const lines = result.stderr.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0], /^iot-blocks: cannot use ".*button-c\.json": /);
      for (const part of ['board_on_button', 'press-c', 'BUTTON', '“c”']) {
        assert.ok(lines[0].includes(part), `${part} in: ${lines[0]}`);
      }
    }
  });

  it('a value inside the choices still generates (and so does the real example)', async () => {
    const file = join(dir, 'button-b.json');
    await writeFile(
      file,
      JSON.stringify(
        projectWith([{ type: 'board_on_button', id: 'press-b', fields: { BUTTON: 'b' } }]),
      ),
    );
    const result = await cli('generate', file, '--lang', 'micropython');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /button_b\.event_pressed/);
  });

  it('the help page ignores a hash that is no block, `#%` included', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    for (const hash of ['#%', '#%E4%B8', '#no-such-block', '#']) {
      await page.goto(`${studio.url}src/help/index.html?lang=en${hash}`);
      await page.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
      await page.locator('section#wifi_connect').waitFor({ state: 'attached' });
    }
    // A good hash still lands on its block.
    await page.goto(`${studio.url}src/help/index.html?lang=en#rgb_fill`);
    await page.locator('help-page[data-ready="true"]').waitFor({ timeout: DEADLINE });
    const box = (await page.locator('section#rgb_fill').boundingBox())!;
    assert.ok(box.y >= 0 && box.y < 200, `rgb_fill at y=${box.y}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
