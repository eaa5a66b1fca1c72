/**
 * The page's side of running a program: one Worker per run (DESIGN.md, boundary 5), messages in
 * and out, and a Stop that always works. The page never runs a child's code itself.
 *
 * The Worker's script is asked for with the broker the program will use in its address
 * (`?broker=ws://host:port/path`): `npm start` sends the script with a policy that lets the
 * Worker reach that broker and nothing else (src/server/program-worker-policy.ts). A Worker can
 * reach only the broker it was made for, so a spare made for another broker is not used.
 */
/// <reference types="vite/client" />
import { idleBoard, type BoardInput, type BoardState } from '../board/board-state.ts';
import { language as currentLanguage, type Language } from '../i18n/language.ts';
import { brokerTarget } from '../project/browser-broker.ts';
import { runtimeStringMaps, sentence } from '../runtime/strings.ts';
import programWorkerUrl from './program-worker.ts?worker&url';
import type { BrowserBrokerTarget, FromWorker, ToWorker } from './protocol.ts';

/** How long `stop()` lets the program end its MQTT client cleanly before terminating it. */
export const STOP_GRACE_MS = 500;

/** A program Worker, the broker it may reach, and whether its module has loaded (it said `ready`). */
interface ProgramWorker {
  worker: Worker;
  /** The broker in its script's address (workerBroker's form). */
  broker: string;
  ready: boolean;
}

/** The studio's own broker, seen from this page: the broker setting's default. */
function ownBroker(): string {
  return brokerTarget({ kind: 'embedded' }, location.href).url;
}

/**
 * The broker as the Worker's address carries it: scheme, host, port and path, which is all a
 * policy can name (a password in the address stays out of it, and out of the server's view). An
 * address that is no WebSocket address connects nowhere (the runtime says why): its Worker is
 * made for the studio's own broker.
 */
export function workerBroker(url: string): string {
  if (!URL.canParse(url)) return ownBroker();
  const broker = new URL(url);
  if (broker.protocol !== 'ws:' && broker.protocol !== 'wss:') return ownBroker();
  return `${broker.protocol}//${broker.host}${broker.pathname}`;
}

/** The address of the program Worker's script that may reach `broker` (workerBroker's form). */
export function programWorkerAddress(broker: string): URL {
  const address = new URL(programWorkerUrl, import.meta.url);
  address.searchParams.set('broker', broker);
  return address;
}

/** The program that is running now. */
interface Session {
  program: ProgramWorker;
  /** Set to null by `stop()`: from then on nothing reaches the page. */
  onMessage: ((message: FromWorker) => void) | null;
  /** Resolves when the worker answers `stopped`. */
  stopped: Promise<void>;
}

/** Runs generated TypeScript programs in Workers, one at a time. */
export class ProgramRunner {
  private session: Session | null = null;
  private spare: ProgramWorker | null = null;
  /** Counts `run` calls, so a run overtaken by a later one while it waited gives way. */
  private runs = 0;
  /** The broker of the last run: a spare made without one is made for it. */
  private lastBroker: string | null = null;
  /**
   * The sliders' latest levels, kept while no program runs too, so a program started after a
   * child moved a slider reads that level from its first line.
   */
  private sensors: Pick<BoardState, 'light' | 'sound'> = {
    light: idleBoard().light,
    sound: idleBoard().sound,
  };

  /** Whether a program is running (from `run` until `stop`). */
  get running(): boolean {
    return this.session !== null;
  }

  /**
   * Stops the program running now (if any), then runs `code` in a fresh Worker against `broker`.
   * Every message the program sends reaches `onMessage` until `stop()` is called. The runtime's
   * sentences (errors, notes) are in `language`, the studio's current language by default.
   */
  async run(
    code: string,
    broker: BrowserBrokerTarget,
    onMessage: (message: FromWorker) => void,
    language: Language = currentLanguage(),
  ): Promise<void> {
    const run = ++this.runs;
    await this.stop();
    if (run !== this.runs) return;
    const address = workerBroker(broker.url);
    this.lastBroker = address;
    let program = this.spare;
    this.spare = null;
    if (program && program.broker !== address) {
      program.worker.terminate();
      program = null;
    }
    program ??= createWorker(address);
    const { worker } = program;
    let answered = () => {};
    const session: Session = {
      program,
      onMessage,
      stopped: new Promise<void>((resolve) => (answered = resolve)),
    };
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (event.data.type === 'stopped') answered();
      else if (event.data.type !== 'ready') session.onMessage?.(event.data);
    };
    // Only a worker that fails to load gets here: the worker reports the program's own errors.
    worker.onerror = (event) => {
      event.preventDefault();
      session.onMessage?.({
        type: 'error',
        message: runtimeStringMaps[language].workerFailed(event.message),
        sentence: sentence('workerFailed', event.message),
      });
    };
    this.session = session;
    send(worker, { type: 'run', code, broker, sensors: { ...this.sensors }, language });
  }

  /** Passes a board input (a button press, …) to the running program; keeps slider levels. */
  input(input: BoardInput): void {
    if (input.kind === 'light' || input.kind === 'sound') {
      this.sensors = { ...this.sensors, [input.kind]: input.level };
    }
    if (this.session) send(this.session.program.worker, { type: 'input', input });
  }

  /**
   * Stops the running program: asks it to end its MQTT client cleanly, waits for that up to
   * `STOP_GRACE_MS`, then terminates its Worker in every case (a `while (true) {}` never
   * answers). A Worker that has not said `ready` has not started the program (or only just,
   * and terminating it closes any socket it opened), so it goes at once: quick Run/Stop clicks
   * never wait for a Worker to load. No message reaches `onMessage` once this is called.
   */
  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    session.onMessage = null;
    const { worker, ready } = session.program;
    if (ready) {
      send(worker, { type: 'stop' });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        session.stopped,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS))),
      ]);
      clearTimeout(timer);
    }
    worker.terminate();
  }

  /**
   * Starts the next run's Worker now (idle), so Run does not wait for it to load. It is made for
   * `brokerUrl` (the broker setting's address), by default the last run's broker or, before any
   * run, the studio's own; a Run with another broker makes a new one.
   */
  prewarm(brokerUrl?: string): void {
    const address = brokerUrl ? workerBroker(brokerUrl) : (this.lastBroker ?? ownBroker());
    if (this.spare?.broker === address) return;
    this.spare?.worker.terminate();
    this.spare = createWorker(address);
  }

  /** Stops the program and terminates the prewarmed Worker too. */
  async dispose(): Promise<void> {
    this.runs++;
    this.spare?.worker.terminate();
    this.spare = null;
    await this.stop();
  }
}

function createWorker(broker: string): ProgramWorker {
  const worker = new Worker(programWorkerAddress(broker), { type: 'module' });
  const loaded: ProgramWorker = { worker, broker, ready: false };
  // Listening from the start: a prewarmed Worker says `ready` before any run is given to it.
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    if (event.data.type === 'ready') loaded.ready = true;
  });
  return loaded;
}

function send(worker: Worker, message: ToWorker): void {
  worker.postMessage(message);
}
