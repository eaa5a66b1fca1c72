/**
 * `<serial-panel>`: the real mPython board over USB (Web Serial). Connect, **Run on board** (the
 * program runs now, gone at power-off), **Save to board** (main.py, started at every power-on),
 * a progress bar, and a serial monitor: what the board prints, its errors (with the block they
 * come from when the line is in our program), a box to type into the REPL, and Stop (Ctrl-C).
 *
 * Loaded only when the Board tab is first opened (the studio imports it dynamically), so Web
 * Serial costs nothing at start-up. Tests hand it a stand-in port through `portProvider`.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { filledButton, statusDot, themeTokens } from '../theme/theme.ts';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { showBlockEvent } from '../console/message-console.ts';
import { LanguageController } from '../i18n/language.ts';
import { BoardError, type BoardProblem } from '../serial/board-error.ts';
import {
  MicroPythonBoard,
  type BoardActivity,
  type BoardProgress,
  type BoardTimeouts,
} from '../serial/micropython-board.ts';
import { webSerial, type SerialPortLike } from '../serial/serial-port.ts';
import { TerminalText, isBootMarker } from '../serial/terminal-text.ts';
import { TRACEBACK_START, programLine } from '../serial/traceback.ts';
import { downloadIcon, runIcon, saveIcon, stopIcon } from './icons.ts';
import { t, type StringKey } from './strings.ts';

/** The most lines the monitor keeps (a program printing in a loop must not slow the page). */
export const MAX_MONITOR_LINES = 500;

/** One line of the monitor. */
interface MonitorLine {
  id: number;
  text: string;
  error: boolean;
  /** For an error's last line: the block whose line raised it. */
  blockId?: string;
}

const PROBLEMS: Record<BoardProblem, StringKey> = {
  'in-use': 'serialInUse',
  'open-failed': 'serialOpenFailed',
  unplugged: 'serialUnplugged',
  'no-answer': 'serialNoAnswer',
  confused: 'serialConfused',
  'verify-failed': 'serialVerifyFailed',
  'board-error': 'serialBoardError',
  busy: 'serialStillBusy',
};

const ACTIVITIES: Record<BoardActivity, StringKey> = {
  disconnected: 'serialDisconnected',
  idle: 'serialIdle',
  busy: 'serialBusy',
  running: 'serialRunning',
};

const PHASES: Record<BoardProgress['phase'], StringKey> = {
  interrupting: 'serialPhaseInterrupting',
  writing: 'serialPhaseWriting',
  verifying: 'serialPhaseVerifying',
  starting: 'serialPhaseStarting',
};

/** The browser's port picker, or null where the browser has no Web Serial. */
function browserPortProvider(): (() => Promise<SerialPortLike>) | null {
  const serial = webSerial();
  return serial ? () => serial.requestPort() : null;
}

@customElement('serial-panel')
export class SerialPanel extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  static override styles = css`
    ${themeTokens}
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      min-height: 0;
      overflow: auto;
      padding: 8px 12px;
      box-sizing: border-box;
      background: var(--iot-surface);
      color: var(--iot-ink);
      font-size: 14px;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      margin-right: auto;
      font-weight: 600;
    }
    .state::before {
      ${statusDot}
    }
    .state[data-activity='idle']::before {
      background: var(--iot-ok);
    }
    .state[data-activity='busy']::before {
      background: var(--iot-caution);
    }
    .state[data-activity='running']::before {
      background: var(--iot-primary);
      box-shadow: 0 0 0 3px #1a56c433;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      ${filledButton}
      padding: 7px 12px;
      white-space: nowrap;
    }
    button.secondary {
      background: var(--iot-secondary);
      color: var(--iot-on-secondary);
    }
    button[data-action='board-run'] {
      background: var(--iot-ok);
    }
    button:disabled {
      opacity: 0.45;
      cursor: default;
    }
    button:focus-visible,
    input:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    .progress {
      display: flex;
      flex-direction: column;
      gap: 4px;
      font-size: 13px;
      color: var(--iot-ink-muted);
    }
    progress {
      width: 100%;
      height: 10px;
      accent-color: var(--iot-primary);
    }
    .note {
      margin: 0;
      padding: 6px 10px;
      border-radius: var(--iot-radius-small);
      background: #e8f3ea;
      color: #1b4d2b;
    }
    .note[data-kind='problem'] {
      background: var(--iot-notice);
      color: var(--iot-on-notice);
    }
    .note button {
      margin-top: 6px;
    }
    .monitor {
      flex: 1;
      min-height: 80px;
      overflow: auto;
      margin: 0;
      padding: 8px 10px;
      border-radius: var(--iot-radius-small);
      background: #14202e;
      color: #e4ebf2;
      font-family: var(--iot-mono);
      font-size: 13px;
      line-height: 1.45;
    }
    .monitor .text {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .monitor .empty {
      color: var(--iot-ink-faint);
      font-family: 'IoT Blocks Chinese', system-ui, sans-serif;
    }
    .monitor .error {
      color: #ffb4a8;
    }
    .monitor button {
      margin-left: 8px;
      padding: 1px 8px;
      font-size: 12px;
      border-radius: 6px;
      background: #ffb4a8;
      color: #5c1a10;
    }
    form {
      display: flex;
      gap: 6px;
    }
    form input {
      flex: 1;
      min-width: 0;
      font:
        13px 'IoT Blocks Chinese',
        ui-monospace,
        'DejaVu Sans Mono',
        Menlo,
        Consolas,
        monospace;
      padding: 7px 8px;
      border: 1px solid var(--iot-line-strong);
      border-radius: var(--iot-radius-small);
    }
  `;

  /** The program as MicroPython, with its line → block map: what Run and Save send. */
  @property({ attribute: false }) program?: GeneratedProgram;

  /** Asks for a port (the browser's picker by default); null where Web Serial is missing. */
  @property({ attribute: false }) portProvider: (() => Promise<SerialPortLike>) | null =
    browserPortProvider();

  /** Deadlines for talking to the board (the defaults suit a real board). */
  @property({ attribute: false }) timeouts: Partial<BoardTimeouts> = {};

  @state() private _activity: BoardActivity = 'disconnected';
  @state() private _connecting = false;
  /** While the port closes: Connect waits, or the port would still be open ("in use"). */
  @state() private _closing = false;
  @state() private _progress: BoardProgress | null = null;
  @state() private _note: { kind: 'problem' | 'done'; key: StringKey } | null = null;
  @state() private _lines: MonitorLine[] = [];

  private _board: MicroPythonBoard | null = null;
  private _decoder = new TextDecoder();
  /** Takes the colour codes out of what the board prints (ESP-IDF's boot log has them). */
  private _terminal = new TerminalText();
  /** The monitor's unfinished last line (a prompt, say). */
  private _partial = '';
  private _nextId = 0;
  /** Where the current traceback starts in `_lines`, while one is being printed. */
  private _tracebackStart: number | null = null;
  /** The program on the board, and the file names its tracebacks use. */
  private _onBoard: { program: GeneratedProgram; files: string[] } | null = null;
  /** The program being sent, and its file name, until the board starts it. */
  private _starting: { program: GeneratedProgram; files: string[] } | null = null;
  /** The program saved as main.py, whose tracebacks say "main.py". */
  private _saved: GeneratedProgram | null = null;
  private _stickToBottom = true;

  /** The board's activity (also the host's `data-activity`). */
  get activity(): BoardActivity {
    return this._activity;
  }

  /** Everything the monitor shows, as text. */
  get monitorText(): string {
    return [...this._lines.map((l) => l.text), this._partial].join('\n');
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.dataset.activity = this._activity;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this._board?.disconnect();
    this._board = null;
  }

  protected override render() {
    const connected = this._activity !== 'disconnected';
    const busy = this._activity === 'busy' || this._connecting || this._closing;
    return html`
      <div class="row">
        <span
          class="state"
          data-activity=${this._connecting ? 'busy' : this._activity}
          role="status"
          >${t(this._connecting ? 'serialConnecting' : ACTIVITIES[this._activity])}</span
        >
        ${
          !this.portProvider
            ? ''
            : connected
              ? html`<button
                  class="secondary"
                  data-action="board-disconnect"
                  ?disabled=${busy}
                  @click=${this._onDisconnect}
                >
                  ${t('serialDisconnect')}
                </button>`
              : html`<button
                  data-action="board-connect"
                  title=${t('serialConnectHint')}
                  ?disabled=${busy}
                  @click=${this._onConnect}
                >
                  ${t('serialConnect')}
                </button>`
        }
      </div>
      ${this.portProvider ? this._renderActions(connected, busy) : this._renderNoSerial()}
      ${this._renderProgress()}
      ${
        this._note
          ? html`<p class="note" data-kind=${this._note.kind} role="alert">${t(this._note.key)}</p>`
          : ''
      }
      <div
        class="monitor"
        role="log"
        aria-label=${t('serialMonitorLabel')}
        @scroll=${this._onScroll}
      >
        ${this._renderMonitor()}
      </div>
      <form @submit=${this._onSend}>
        <input
          data-input="repl"
          aria-label=${t('serialReplLabel')}
          placeholder=${t('serialReplPlaceholder')}
          ?disabled=${!connected || busy}
          autocomplete="off"
          spellcheck="false"
        />
        <button class="secondary" data-action="board-send" ?disabled=${!connected || busy}>
          ${t('serialSend')}
        </button>
        <button class="secondary" type="button" data-action="board-clear" @click=${this._onClear}>
          ${t('serialClear')}
        </button>
      </form>
    `;
  }

  private _renderActions(connected: boolean, busy: boolean) {
    const ready = connected && !busy && !!this.program?.code;
    return html`<div class="row">
      <button
        data-action="board-run"
        title=${t('serialRunHint')}
        ?disabled=${!ready}
        @click=${this._onRun}
      >
        ${runIcon}${t('serialRun')}
      </button>
      <button
        data-action="board-save"
        title=${t('serialSaveHint')}
        ?disabled=${!ready}
        @click=${this._onSave}
      >
        ${saveIcon}${t('serialSave')}
      </button>
      <button
        class="secondary"
        data-action="board-stop"
        title=${t('serialStopHint')}
        ?disabled=${!connected || busy}
        @click=${this._onStop}
      >
        ${stopIcon}${t('serialStop')}
      </button>
    </div>`;
  }

  private _renderNoSerial() {
    return html`<p class="note" data-kind="problem" data-problem="no-serial">
      ${t('serialNoWebSerial')}<br />
      <button data-action="board-download" @click=${this._onDownload}>
        ${downloadIcon}${t('serialDownloadInstead')}
      </button>
    </p>`;
  }

  private _renderProgress() {
    const progress = this._progress;
    if (!progress) return '';
    const percent = progress.total ? Math.round((100 * progress.done) / progress.total) : 0;
    return html`<div class="progress">
      <progress max="100" value=${percent}></progress>
      <span>${t(PHASES[progress.phase], { percent })}</span>
    </div>`;
  }

  private _renderMonitor() {
    if (!this._lines.length && !this._partial) {
      return html`<span class="empty">${t('serialMonitorEmpty')}</span>`;
    }
    // Only the text keeps its spaces (pre-wrap): the template's own whitespace collapses.
    const lines = this._lines.map(
      (line) =>
        html`<div class=${line.error ? 'line error' : 'line'}>
          <span class="text">${line.text}</span>
          ${
            line.blockId
              ? html`<button
                  data-action="board-show-block"
                  data-block-id=${line.blockId}
                  @click=${this._onShowBlock}
                >
                  ${t('serialShowBlock')}
                </button>`
              : ''
          }
        </div>`,
    );
    return html`${lines}
      <div class="line"><span class="text">${this._partial}</span></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('_lines' as keyof SerialPanel) && this._stickToBottom) {
      const monitor = this.renderRoot.querySelector('.monitor');
      if (monitor) monitor.scrollTop = monitor.scrollHeight;
    }
  }

  private async _onConnect(): Promise<void> {
    if (!this.portProvider) return;
    this._note = null;
    let port: SerialPortLike;
    try {
      port = await this.portProvider();
    } catch {
      // The picker was closed without choosing a port: nothing to say.
      return;
    }
    this._connecting = true;
    try {
      this._board = await MicroPythonBoard.connect(
        port,
        {
          output: (bytes) => this._print(this._decoder.decode(bytes, { stream: true })),
          activity: (activity) => this._setActivity(activity),
          lost: (error) => this._lost(error),
          restarted: (endedRun) => this._restarted(endedRun),
        },
        this.timeouts,
      );
      this._setActivity(this._board.activity);
    } catch (error) {
      this._problem(error);
    } finally {
      this._connecting = false;
    }
  }

  private async _onDisconnect(): Promise<void> {
    const board = this._board;
    this._board = null;
    this._note = null;
    this._closing = true;
    try {
      await board?.disconnect();
    } finally {
      this._closing = false;
    }
    this._setActivity('disconnected');
  }

  private async _onRun(): Promise<void> {
    const program = this.program;
    if (!this._board || !program) return;
    this._note = null;
    this._starting = { program, files: ['<stdin>'] };
    try {
      await this._board.run(program.code, (p) => (this._progress = p));
      if (this._activity === 'running') this._note = { kind: 'done', key: 'serialRunStarted' };
    } catch (error) {
      this._problem(error);
    } finally {
      this._progress = null;
      this._starting = null;
    }
  }

  private async _onSave(): Promise<void> {
    const program = this.program;
    if (!this._board || !program) return;
    this._note = null;
    this._starting = { program, files: ['main.py'] };
    try {
      const result = await this._board.save(program.code, (p) => (this._progress = p));
      this._saved = program;
      this._onBoard = { program, files: ['main.py'] };
      this._note = { kind: 'done', key: result.started ? 'serialSaved' : 'serialSavedNoReset' };
    } catch (error) {
      this._problem(error);
    } finally {
      this._progress = null;
      this._starting = null;
    }
  }

  private async _onStop(): Promise<void> {
    await this._board?.interrupt().catch((error: unknown) => this._problem(error));
  }

  private async _onSend(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-input="repl"]')!;
    const text = input.value;
    input.value = '';
    await this._board?.send(`${text}\r`).catch((error: unknown) => this._problem(error));
  }

  private _onClear(): void {
    this._lines = [];
    this._partial = '';
    this._tracebackStart = null;
  }

  private _onDownload(): void {
    this.dispatchEvent(new CustomEvent('download-micropython', { bubbles: true, composed: true }));
  }

  private _onShowBlock(event: Event): void {
    this._showBlock((event.currentTarget as HTMLElement).dataset.blockId!);
  }

  private _showBlock(blockId: string): void {
    this.dispatchEvent(showBlockEvent(blockId));
  }

  private _onScroll(event: Event): void {
    const monitor = event.currentTarget as HTMLElement;
    this._stickToBottom = monitor.scrollHeight - monitor.scrollTop - monitor.clientHeight < 24;
  }

  private _setActivity(activity: BoardActivity): void {
    // The board starts the program before the action's promise settles: its errors may come first.
    if (activity === 'running' && this._starting) {
      this._onBoard = this._starting;
      if (this._starting.files.includes('main.py')) this._saved = this._starting.program;
      this._starting = null;
    } else if (activity !== 'running' && this._onBoard?.files.includes('<stdin>')) {
      // A program started by Run has ended: "<stdin>" now means a line typed at the REPL.
      this._onBoard = this._saved ? { program: this._saved, files: ['main.py'] } : null;
    }
    if (activity !== 'running' && this._note?.key === 'serialRunStarted') this._note = null;
    this._activity = activity;
    this.dataset.activity = activity;
  }

  /** The board restarted by itself (its RST button, say): a program from Run on board is gone. */
  private _restarted(endedRun: boolean): void {
    if (endedRun) this._note = { kind: 'problem', key: 'serialRunEndedByRestart' };
  }

  private _lost(error: BoardError): void {
    this._board = null;
    this._setActivity('disconnected');
    this._note = { kind: 'problem', key: PROBLEMS[error.problem] };
  }

  /** Shows why an action failed; anything that is not a board problem is a bug. */
  private _problem(error: unknown): void {
    if (!(error instanceof BoardError)) throw error;
    this._note = { kind: 'problem', key: PROBLEMS[error.problem] };
  }

  /** Adds what the board printed: whole lines to the log, the rest as the unfinished line. */
  private _print(text: string): void {
    const clean = this._terminal
      .clean(text)
      .replace(/\r\n/g, '\n')
      // eslint-disable-next-line no-control-regex -- the terminal's control characters go
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    const parts = (this._partial + clean).split('\n');
    this._partial = parts.pop()!;
    if (!parts.length) {
      this.requestUpdate();
      return;
    }
    const lines = [...this._lines];
    for (const text of parts) if (!isBootMarker(text)) this._addLine(lines, text);
    const over = lines.length - MAX_MONITOR_LINES;
    if (over > 0) {
      lines.splice(0, over);
      if (this._tracebackStart !== null)
        this._tracebackStart = Math.max(0, this._tracebackStart - over);
    }
    this._lines = lines;
  }

  /**
   * Adds one line. A traceback runs from its first line to the first line that is not indented
   * (the exception); then its lines turn red, and the last names our block when it can.
   */
  private _addLine(lines: MonitorLine[], text: string): void {
    lines.push({ id: this._nextId++, text, error: false });
    if (text === TRACEBACK_START) {
      this._tracebackStart = lines.length - 1;
      return;
    }
    const start = this._tracebackStart;
    if (start === null || /^\s/.test(text)) return;
    this._tracebackStart = null;
    const traceback = lines.slice(start);
    for (const line of traceback) line.error = true;
    const line = this._onBoard
      ? programLine(
          traceback.map((l) => l.text),
          this._onBoard.files,
        )
      : null;
    const blockId = line ? this._onBoard!.program.lineBlocks[line - 1] : null;
    if (blockId) {
      lines[lines.length - 1].blockId = blockId;
      this._showBlock(blockId);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'serial-panel': SerialPanel;
  }
}
