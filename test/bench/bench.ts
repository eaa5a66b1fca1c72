// `npm run bench`: what a child and a classroom feel, measured against the production build
// served by the studio's own server, in headless Chromium with a fresh (cold) profile for every
// run, each figure beside its target (issue 6). Parts, all by default:
//   page       workspace and toolbox ready after navigation, bytes and requests until then
//   workspace  a 1000-block workspace opened and drawn, code generation, the code panel
//   run        Run-click to online, the first Run after 2 s idle
//   leds       message to LED over 500 messages, beside the raw mqtt.js round trip
//   classroom  40 boards (TCP) + 40 browsers (WebSocket) on the embedded broker and on Mosquitto
//   school     the classroom on two processes sharing Redis, the largest load they hold, and the
//              message-to-LED latency under the classroom load (school.ts)
//   import     MicroPython back to blocks for a 1000-line program (Node, headless)
//   wall       the classroom wall with 40 boards changing state twice a second (classroom-wall.ts)
// Options: --only page,workspace  --runs N (5)  --messages N (500)  --classroom-seconds N (60)
//          --wall-seconds N (20)  --dist DIR (serve this build instead of building dist/)  --profile (CPU profiles of
//          the workspace and LED parts into .bench/)
// Figures go to the console as a table and to .bench/results.json (and results.md). This is a
// script, not a test: timings never decide whether `npm test` passes.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';
import { ROOT, launchChromium, startTestStudio } from '../e2e/studio.ts';
import { measureClassroom } from './classroom.ts';
import { measureImport } from './import.ts';
import { measureClassroomWall } from './classroom-wall.ts';
import { meets, table, type Figure } from './figures.ts';
import { measurePageLoad } from './page-load.ts';
import { measureRun } from './run-and-leds.ts';
import { measureSchool } from './school.ts';
import { measureWorkspace } from './workspace.ts';

const PARTS = [
  'page',
  'workspace',
  'run',
  'leds',
  'classroom',
  'school',
  'import',
  'wall',
] as const;
type Part = (typeof PARTS)[number];

const { values: options } = parseArgs({
  options: {
    only: { type: 'string', default: PARTS.join(',') },
    runs: { type: 'string', default: '5' },
    messages: { type: 'string', default: '500' },
    'classroom-seconds': { type: 'string', default: '60' },
    'wall-seconds': { type: 'string', default: '20' },
    dist: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

const only = new Set(options.only.split(',').map((part) => part.trim()));
for (const part of only) {
  if (!(PARTS as readonly string[]).includes(part)) {
    throw new Error(`--only: unknown part "${part}" (parts: ${PARTS.join(', ')})`);
  }
}
const wants = (part: Part) => only.has(part);
const runs = positive('runs', options.runs);
const messages = positive('messages', options.messages);
const classroomSeconds = positive('classroom-seconds', options['classroom-seconds']);
const OUT = join(ROOT, '.bench');

/** Starts a CPU profile of `page`; the returned function stops it and writes `name`. */
async function cpuProfile(page: Page, name: string): Promise<() => Promise<void>> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  await session.send('Profiler.start');
  return async () => {
    const { profile } = await session.send('Profiler.stop');
    await writeFile(join(OUT, name), JSON.stringify(profile));
    console.log(`  CPU profile: .bench/${name} (open in Chromium's DevTools, Performance)`);
  };
}

async function serve(): Promise<Studio> {
  if (!options.dist) return (await startTestStudio()).studio;
  return startStudio({
    root: ROOT,
    dist: resolve(options.dist),
    port: 0,
    mqttPort: 0,
    host: '127.0.0.1',
    log: () => {},
  });
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const started = Date.now();
  const load = loadavg()[0];
  const figures: Figure[] = [];
  const details: Record<string, object> = {};
  const browserParts = PARTS.filter(
    (part) =>
      part !== 'classroom' &&
      part !== 'school' &&
      part !== 'import' &&
      part !== 'wall' &&
      wants(part),
  );
  if (browserParts.length) {
    const studio = await serve();
    const browser = await launchChromium();
    try {
      if (wants('page')) {
        console.log(`page: ${runs} cold loads each of / and ?example=onenet-rgb…`);
        const page = await measurePageLoad(browser, studio.url, runs);
        figures.push(...page.figures);
        details.page = page.details;
      }
      if (wants('workspace')) {
        console.log(`workspace: ${runs} cold studios opening 1000 blocks…`);
        let profiled = false;
        figures.push(
          ...(await measureWorkspace(browser, studio.url, runs, async (page) => {
            if (!options.profile || profiled) return;
            profiled = true; // the first run only
            return cpuProfile(page, 'workspace.cpuprofile');
          })),
        );
      }
      if (wants('run') || wants('leds')) {
        console.log(
          `run/leds: ${wants('run') ? runs : 1} cold Runs, ${wants('leds') ? messages : 0} messages…`,
        );
        figures.push(
          ...(await measureRun(browser, studio.url, {
            runs,
            online: wants('run'),
            messages: wants('leds') ? messages : 0,
            onLedPage: options.profile ? (page) => cpuProfile(page, 'leds.cpuprofile') : undefined,
          })),
        );
      }
    } finally {
      await browser.close();
      await studio.close();
    }
  }
  if (wants('import')) {
    console.log(`import: ${runs} imports of a 1000-line MicroPython program…`);
    figures.push(...measureImport(runs));
  }
  if (wants('classroom')) {
    console.log(`classroom: ${classroomSeconds} s on each broker…`);
    const classroom = await measureClassroom(classroomSeconds);
    figures.push(...classroom.figures);
    details.classroom = classroom.details;
  }
  if (wants('school')) {
    console.log(`school: ${classroomSeconds} s a classroom run, ${messages} messages to the LED…`);
    const school = await measureSchool(classroomSeconds, messages);
    figures.push(...school.figures);
    details.school = school.details;
  }
  if (wants('wall')) {
    const wallSeconds = positive('wall-seconds', options['wall-seconds']);
    console.log(`wall: ${wallSeconds} s without the classroom page, ${wallSeconds} s with it…`);
    const wall = await measureClassroomWall(wallSeconds);
    figures.push(...wall.figures);
    details.wall = wall.details;
  }
  const seconds = (Date.now() - started) / 1000;
  const heading =
    `IoT Blocks benchmark: production build, headless Chromium, loopback; ${runs} runs ` +
    `(medians, min–max); ${cpus().length} cores, load average ${load.toFixed(2)} at the start; ` +
    `${seconds.toFixed(0)} s`;
  const text = `${heading}\n\n${table(figures)}\n`;
  console.log(`\n${text}`);
  const missed = figures.filter((f) => meets(f) === false).map((f) => f.name);
  console.log(missed.length ? `Targets missed: ${missed.length}` : 'Every target met.');
  await writeFile(join(OUT, 'results.md'), text);
  await writeFile(
    join(OUT, 'results.json'),
    JSON.stringify(
      { date: new Date().toISOString(), runs, loadAverage: load, seconds, figures, details },
      null,
      2,
    ) + '\n',
  );
  console.log('Written to .bench/results.json and .bench/results.md');
}

await main();
