// Workspace: a 1000-block program opened in a studio that just started (Project → Open), how long
// until the blocks in view are drawn and its code shows, and until every block is drawn (the
// studio draws the rest in idle slices, src/editor/open-in-view.ts); generating each language for it; the code panel at rest
// (no regeneration without a change) and after an edit of a 100-block program.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { bigProject } from './big-workspace.ts';
import { percentile, summary, type Figure } from './figures.ts';
import { coldContext, readiness } from './page-load.ts';

const EDITS = 15;
const IDLE_MS = 2000;

/** What the page measured in one run. */
interface WorkspaceRun {
  /** From `openProject` until the frame that showed the blocks in view, the code and "Saved". */
  openMs: number;
  /** From `openProject` until the frame that showed every block. */
  allDrawnMs: number;
  /** The synchronous part of that: `openProject` itself. */
  openSyncMs: number;
  /** The blocks drawn by then (the rest are drawn in idle slices). */
  drawnAtOnce: number;
  /** Milliseconds each language took to generate, per edit (the studio's own measures). */
  micropythonMs: number[];
  typescriptMs: number[];
  /** Regenerations while idle and during UI-only actions (select, scroll, zoom, toolbox). */
  idleGenerations: number;
  /** Per edit of the 100-block program: ms and frames until the code panel showed it. */
  panelMs: number[];
  panelFrames: number[];
}

/**
 * Runs in the page: opens `big` (1000 blocks) and times it, edits it `edits` times reading the
 * generation measures, sits idle and does UI-only actions counting regenerations, then opens
 * `small` (100 blocks) and times edits until the code panel shows them.
 */
function inPage({ big, small, edits, idleMs }: Record<string, unknown>): Promise<WorkspaceRun> {
  const studio = document.querySelector('iot-studio')!;
  /** The blocks in a project file's text (each has an id). */
  const blocksIn = (text: string) => text.match(/"id":/g)!.length;
  const panel = studio.shadowRoot!.querySelector('code-panel')!;
  const generations = () => Number(studio.dataset.generations);
  const panelText = () => panel.shadowRoot!.textContent ?? '';
  /** Resolves just after the next frame is painted. */
  const nextPaint = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const lastMeasure = (name: string) => performance.getEntriesByName(name, 'measure').at(-1);

  /**
   * Opens `text`; resolves with the ms until a frame showed it (the blocks in view), its code and
   * "Saved", and until a frame showed every block (no longer `data-opening`, every block there:
   * true at once for a studio that draws everything in the task that opens).
   */
  const open = async (text: string) => {
    const count = blocksIn(text);
    const before = generations();
    const start = performance.now();
    const problem = studio.openProject(text);
    const sync = performance.now() - start;
    if (problem) throw new Error(problem);
    const drawnAtOnce = studio.editor!.workspace!.getAllBlocks(false).length;
    let painted = await nextPaint();
    while (generations() === before || studio.saveState !== 'saved') painted = await nextPaint();
    // Marks in the page's timeline, for a trace or profile of the open.
    performance.measure('open: openProject()', { start, duration: sync });
    performance.measure('open: until blocks in view drawn, code shown and saved', {
      start,
      end: painted,
    });
    const editor = studio.editor!;
    let allDrawn = painted;
    while (
      editor.hasAttribute('data-opening') ||
      editor.workspace!.getAllBlocks(false).length !== count
    ) {
      allDrawn = await nextPaint();
    }
    performance.measure('open: until every block drawn', { start, end: allDrawn });
    return { ms: painted - start, sync, allDrawnMs: allDrawn - start, drawnAtOnce };
  };

  /** Sets number block `id` to `value` as a child typing would (one change event). */
  const edit = (id: string, value: number) =>
    studio.editor!.workspace!.getBlockById(id)!.setFieldValue(value, 'NUM');

  return (async () => {
    const opened = await open(big as string);
    const micropythonMs: number[] = [];
    const typescriptMs: number[] = [];
    for (let i = 0; i < (edits as number); i++) {
      const before = generations();
      edit('a100', 5000 + i);
      while (generations() === before) await nextPaint();
      micropythonMs.push(lastMeasure('generate MicroPython')?.duration ?? NaN);
      typescriptMs.push(lastMeasure('generate TypeScript')?.duration ?? NaN);
    }

    // At rest, then UI only: nothing in the program changes, so nothing may regenerate.
    await nextPaint();
    const atRest = generations();
    const workspace = studio.editor!.workspace!;
    workspace.getBlockById('print10')!.select();
    workspace.scroll(workspace.scrollX - 200, workspace.scrollY - 300);
    workspace.zoomCenter(1);
    workspace.getToolbox()?.selectItemByPosition(1);
    await nextPaint();
    workspace.getToolbox()?.clearSelection();
    await sleep(idleMs as number);
    const idleGenerations = generations() - atRest;

    await open(small as string);
    const panelMs: number[] = [];
    const panelFrames: number[] = [];
    for (let i = 0; i < (edits as number); i++) {
      const value = 7000 + i;
      const shown = new Promise<{ ms: number; frames: number }>((resolve) => {
        let frames = 0;
        const start = performance.now();
        // First in every frame (registered before the edit's own frame callbacks).
        const tick = () => {
          frames++;
          frame = requestAnimationFrame(tick);
        };
        let frame = requestAnimationFrame(tick);
        const observer = new MutationObserver(() => {
          if (!panelText().includes(`print(${value} +`)) return;
          observer.disconnect();
          cancelAnimationFrame(frame);
          resolve({ ms: performance.now() - start, frames });
        });
        observer.observe(panel.shadowRoot!, {
          subtree: true,
          childList: true,
          characterData: true,
        });
        edit('a10', value);
      });
      const { ms, frames } = await shown;
      panelMs.push(ms);
      panelFrames.push(frames);
      await nextPaint();
    }
    return {
      openMs: opened.ms,
      allDrawnMs: opened.allDrawnMs,
      openSyncMs: opened.sync,
      drawnAtOnce: opened.drawnAtOnce,
      micropythonMs,
      typescriptMs,
      idleGenerations,
      panelMs,
      panelFrames,
    };
  })();
}

/** Opens the committed 1000-block workspace in a freshly started studio, `runs` times. */
export async function measureWorkspace(
  browser: Browser,
  baseUrl: string,
  runs: number,
  /** Called before the measures; what it returns is called after them (for profiling). */
  onPage?: (page: Page) => Promise<(() => Promise<void>) | void>,
): Promise<Figure[]> {
  const big = await readFile(new URL('workspace-1000.json', import.meta.url), 'utf8');
  const small = JSON.stringify(bigProject(20));
  const results: WorkspaceRun[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await coldContext(browser);
    const page = await context.newPage();
    await page.goto(baseUrl);
    await readiness(page);
    // The studio's idle work (the program Worker) is done, as when a child opens a file.
    await page.waitForTimeout(1000);
    const stop = await onPage?.(page);
    results.push(await page.evaluate(inPage, { big, small, edits: EDITS, idleMs: IDLE_MS }));
    await stop?.();
    await context.close();
  }
  const p50 = (values: number[]) => percentile(values, 50);
  return [
    summary(
      'workspace',
      '1000-block workspace: open until blocks in view drawn, code shown and saved',
      'ms',
      results.map((r) => r.openMs),
      { max: 300 },
    ),
    summary(
      'workspace',
      '1000-block workspace: open until every block drawn (editing waits until then)',
      'ms',
      results.map((r) => r.allDrawnMs),
    ),
    summary(
      'workspace',
      '1000-block workspace: openProject() itself (load, synchronous)',
      'ms',
      results.map((r) => r.openSyncMs),
    ),
    summary(
      'workspace',
      '1000-block workspace: blocks drawn by openProject() (the rest in idle slices)',
      '',
      results.map((r) => r.drawnAtOnce),
    ),
    summary(
      'workspace',
      '1000 blocks: generate MicroPython',
      'ms',
      results.map((r) => p50(r.micropythonMs)),
      { max: 2 },
      `median of ${EDITS} edits per run`,
    ),
    summary(
      'workspace',
      '1000 blocks: generate TypeScript',
      'ms',
      results.map((r) => p50(r.typescriptMs)),
      { max: 2 },
      `median of ${EDITS} edits per run`,
    ),
    summary(
      'workspace',
      `Code regenerations without a change (${IDLE_MS / 1000} s idle, select, scroll, zoom, toolbox)`,
      '',
      results.map((r) => r.idleGenerations),
      { max: 0, exact: true },
    ),
    summary(
      'workspace',
      '100 blocks: frames from an edit until the code panel shows it',
      '',
      results.map((r) => Math.max(...r.panelFrames)),
      { max: 1 },
      `worst of ${EDITS} edits per run`,
    ),
    summary(
      'workspace',
      '100 blocks: edit until the code panel shows it',
      'ms',
      results.flatMap((r) => r.panelMs),
      undefined,
      `all ${EDITS * runs} edits`,
    ),
  ];
}
