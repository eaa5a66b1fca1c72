/**
 * `<classroom-wall>`: the teacher's page (`/class?token=…`). One tile per device on the broker,
 * grouped by client-ID prefix, its mirrored LEDs and screen, its last messages; a message to
 * everyone, a group or one device; "stop every program"; and a check of the class with a tick or
 * a cross on each tile, saved as CSV. Large type and strong contrast, for a projector.
 */
import { LitElement, css, html, svg } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import '../app/language-switch.ts';
import type { Rgb } from '../board/board-state.ts';
import { LanguageController } from '../i18n/language.ts';
import {
  DEFAULT_WINDOW_MS,
  groupOf,
  meets,
  toCsv,
  type Check,
  type CheckResult,
  type Expectation,
} from './check.ts';
import type { ClassCommand, Tile, TileMessage } from './class-protocol.ts';
import { t } from './strings.ts';

/** How long to wait before opening the channel again after it closed. */
const RETRY_MS = 2000;

/** The tiles' order: by group, then client ID. */
const byId = (a: Tile, b: Tile) => a.clientId.localeCompare(b.clientId, 'en', { numeric: true });

/** `rgb` as a CSS colour, brightened so a dim LED (50,0,0) still reads red on a projector. */
function ledColour([r, g, b]: Rgb): string {
  const max = Math.max(r, g, b);
  if (max === 0) return '#2b2b2b';
  const scale = 255 / max;
  return `rgb(${Math.round(r * scale)} ${Math.round(g * scale)} ${Math.round(b * scale)})`;
}

/** A running or finished check: the targets' results. */
interface CheckRun {
  check: Check;
  started: number;
  /** Per client ID: its result and the time its last message out had at the start. */
  results: Map<string, { result: CheckResult; since: number }>;
  timer: ReturnType<typeof setTimeout>;
  ticker: ReturnType<typeof setInterval>;
}

@customElement('classroom-wall')
export class ClassroomWall extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: block;
      color: var(--iot-wall-ink);
      font-size: clamp(16px, 1vw, 22px);
      line-height: 1.35;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6em 1.2em;
      padding: 0.6em 1em;
      background: var(--iot-wall-navy);
      color: var(--iot-on-primary);
    }
    h1 {
      font-size: 1.6em;
      margin: 0;
    }
    .spacer {
      flex: 1;
    }
    .status {
      font-weight: 600;
    }
    .status[data-state='lost'] {
      background: #ffd166;
      color: #000;
      padding: 0.1em 0.5em;
      border-radius: 6px;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: 0.6em 1.4em;
      align-items: end;
      padding: 0.7em 1em;
      background: var(--iot-fill);
      border-bottom: 2px solid var(--iot-wall-navy);
    }
    fieldset {
      border: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.5em;
      align-items: end;
    }
    legend {
      font-weight: 700;
      padding: 0 0 0.2em;
    }
    label {
      display: flex;
      flex-direction: column;
      font-size: 0.85em;
      font-weight: 600;
    }
    input,
    select,
    button {
      font: inherit;
      font-size: 1em;
      min-height: 44px;
      padding: 0.2em 0.5em;
      border: 2px solid var(--iot-wall-navy);
      border-radius: var(--iot-radius-small);
      background: var(--iot-surface);
      color: #000;
    }
    input[type='number'] {
      width: 4.5em;
    }
    button {
      font-weight: 700;
      cursor: pointer;
      background: var(--iot-wall-navy);
      color: var(--iot-on-primary);
    }
    button.stop {
      background: var(--iot-wall-fail);
      border-color: var(--iot-wall-fail);
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    :focus-visible {
      outline: 4px solid #ff9f1c;
      outline-offset: 2px;
    }
    .check-state {
      font-weight: 700;
      align-self: center;
    }
    main {
      padding: 0.8em 1em;
    }
    h2 {
      font-size: 1.15em;
      margin: 0.6em 0 0.4em;
    }
    .tiles {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(12em, 1fr));
      gap: 0.7em;
    }
    article {
      border: 3px solid var(--iot-wall-navy);
      border-radius: var(--iot-radius);
      padding: 0.5em 0.6em;
      background: var(--iot-surface);
      min-width: 0;
    }
    article[data-online='false'] {
      border-style: dashed;
      border-color: #6b6b6b;
      background: #f1f1f1;
    }
    article[data-check='pass'] {
      border-color: var(--iot-wall-pass);
      box-shadow: inset 0 0 0 3px var(--iot-wall-pass);
    }
    article[data-check='fail'] {
      border-color: var(--iot-wall-fail);
      box-shadow: inset 0 0 0 3px var(--iot-wall-fail);
    }
    .head {
      display: flex;
      align-items: baseline;
      gap: 0.4em;
    }
    .pick {
      flex-direction: row;
      align-items: center;
      gap: 0.4em;
      flex: 1;
      min-width: 0;
      font-size: 1em;
      cursor: pointer;
    }
    .pick input {
      width: 1.3em;
      height: 1.3em;
      min-height: 0;
      flex: none;
    }
    .id {
      font-weight: 800;
      font-size: 1.15em;
      overflow-wrap: anywhere;
      flex: 1;
    }
    .mark {
      font-size: 1.6em;
      font-weight: 900;
    }
    .mark[data-result='pass'] {
      color: var(--iot-wall-pass);
    }
    .mark[data-result='fail'] {
      color: var(--iot-wall-fail);
    }
    .meta {
      font-size: 0.85em;
      color: #333;
      overflow-wrap: anywhere;
    }
    .badge {
      font-weight: 700;
    }
    .badge[data-online='true'] {
      color: var(--iot-wall-pass);
    }
    .board {
      display: flex;
      gap: 0.6em;
      align-items: center;
      margin: 0.3em 0;
    }
    .board svg {
      flex: none;
    }
    .oled {
      flex: 1;
      min-width: 0;
      background: var(--iot-wall-ink);
      color: #f5f5f5;
      font-family: ui-monospace, monospace;
      font-size: 0.75em;
      line-height: 1.2;
      padding: 0.15em 0.4em;
      border-radius: 4px;
      white-space: pre;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .oled div {
      min-height: 1.2em;
      max-height: 1.2em;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      font-size: 0.85em;
    }
    li {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .dir {
      font-weight: 700;
    }
  `;

  private _language = new LanguageController(this);
  @state() private _tiles = new Map<string, Tile>();
  @state() private _connection: 'connecting' | 'live' | 'lost' = 'connecting';
  @state() private _target = 'all';
  @state() private _check: CheckRun | null = null;
  @state() private _now = Date.now();
  /** The devices the teacher picked on their tiles: a group of the teacher's own. */
  @state() private _picked = new Set<string>();
  private _ws: WebSocket | null = null;
  private _retry: ReturnType<typeof setTimeout> | undefined;
  private _closed = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this._closed = false;
    this._open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._closed = true;
    clearTimeout(this._retry);
    this._ws?.close();
  }

  private _open(): void {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(
      `${scheme}//${location.host}/classroom?token=${encodeURIComponent(token)}`,
    );
    this._ws = ws;
    ws.addEventListener('open', () => (this._connection = 'live'));
    ws.addEventListener('message', (event) => this._onFrame(event.data));
    ws.addEventListener('close', () => {
      if (this._closed) return;
      this._connection = 'lost';
      this._retry = setTimeout(() => this._open(), RETRY_MS);
    });
  }

  private _onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: { type?: unknown; tiles?: unknown };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    if (frame.type !== 'tiles' || !Array.isArray(frame.tiles)) return;
    const tiles = new Map(this._tiles);
    for (const tile of frame.tiles as Tile[]) {
      if (typeof tile?.clientId === 'string') tiles.set(tile.clientId, tile);
    }
    // lit renders once for all the frames that came in the same task.
    this._tiles = tiles;
    this._judge();
  }

  private _command(command: ClassCommand): void {
    if (this._ws?.readyState === WebSocket.OPEN) this._ws.send(JSON.stringify(command));
  }

  /** The client IDs the target select names now. */
  private _targets(): string[] {
    const all = [...this._tiles.values()].filter((tile) => tile.online);
    if (this._target === 'all') return all.map((tile) => tile.clientId);
    if (this._target.startsWith('group:')) {
      const group = this._target.slice('group:'.length);
      return all.filter((tile) => groupOf(tile.clientId) === group).map((tile) => tile.clientId);
    }
    if (this._target === 'picked')
      return all.filter((tile) => this._picked.has(tile.clientId)).map((tile) => tile.clientId);
    return [this._target.slice('device:'.length)];
  }

  private _onPick(clientId: string, picked: boolean): void {
    const next = new Set(this._picked);
    if (picked) next.add(clientId);
    else next.delete(clientId);
    this._picked = next;
  }

  private _onSend(event: Event): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('[data-input="message"]')!;
    this._command({ type: 'send', clientIds: this._targets(), payloadText: input.value });
  }

  private _onStopAll(): void {
    this._command({ type: 'stop' });
  }

  private _onRunCheck(event: Event): void {
    event.preventDefault();
    const value = (name: string) =>
      this.renderRoot.querySelector<HTMLInputElement>(`[data-check-input="${name}"]`)!.value;
    const seconds = Number(value('window'));
    const check: Check = {
      payload: value('payload'),
      expect: value('expect') as Expectation,
      windowMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_WINDOW_MS,
    };
    this._stopCheck();
    const results = new Map<string, { result: CheckResult; since: number }>();
    for (const id of this._targets()) {
      const out = this._tiles.get(id)?.out ?? [];
      results.set(id, { result: 'waiting', since: (out.at(-1)?.time ?? 0) + 1 });
    }
    const run: CheckRun = {
      check,
      started: Date.now(),
      results,
      timer: setTimeout(() => this._endCheck(), check.windowMs),
      ticker: setInterval(() => (this._now = Date.now()), 250),
    };
    this._check = run;
    this._now = run.started;
    this._command({ type: 'send', clientIds: [...results.keys()], payloadText: check.payload });
  }

  /** Marks every waiting target that meets the check now. */
  private _judge(): void {
    const run = this._check;
    if (!run) return;
    let changed = false;
    for (const [id, entry] of run.results) {
      const tile = this._tiles.get(id);
      if (entry.result === 'waiting' && tile && meets(tile, run.check, entry.since)) {
        entry.result = 'pass';
        changed = true;
      }
    }
    if (changed) this._check = { ...run };
  }

  private _endCheck(): void {
    const run = this._check;
    if (!run) return;
    this._judge();
    clearInterval(run.ticker);
    for (const entry of run.results.values()) {
      if (entry.result === 'waiting') entry.result = 'fail';
    }
    this._check = { ...run };
  }

  private _stopCheck(): void {
    if (!this._check) return;
    clearTimeout(this._check.timer);
    clearInterval(this._check.ticker);
  }

  private _expectName(expect: Expectation): string {
    const keys = {
      red: 'expectRed',
      green: 'expectGreen',
      blue: 'expectBlue',
      off: 'expectOff',
      reply: 'expectReply',
    } as const;
    return t(keys[expect]);
  }

  private _resultName(result: CheckResult): string {
    return t(result === 'pass' ? 'checkPass' : result === 'fail' ? 'checkFail' : 'checkWaiting');
  }

  private _onSaveCsv(): void {
    const run = this._check;
    if (!run) return;
    const { check } = run;
    const described = `${check.payload} → ${this._expectName(check.expect)} ≤ ${check.windowMs / 1000} s`;
    const time = new Date(run.started).toISOString();
    const rows = [
      ['csvDevice', 'csvProject', 'csvGroup', 'csvKind', 'csvResult', 'csvCheck', 'csvTime'].map(
        (key) => t(key as Parameters<typeof t>[0]),
      ),
      ...[...run.results].map(([id, { result }]) => {
        const tile = this._tiles.get(id);
        return [
          id,
          tile?.project ?? '',
          groupOf(id),
          t(tile?.tcp ? 'realBoard' : 'virtualBoard'),
          this._resultName(result),
          described,
          time,
        ];
      }),
    ];
    const url = URL.createObjectURL(
      new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' }),
    );
    const link = document.createElement('a');
    link.href = url;
    link.download = `class-check-${time.slice(0, 19).replace(/[:T]/g, '-')}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  override render() {
    void this._language;
    const tiles = [...this._tiles.values()].sort(byId);
    const groups = [...new Set(tiles.map((tile) => groupOf(tile.clientId)))];
    const online = tiles.filter((tile) => tile.online).length;
    const run = this._check;
    const waiting = run && [...run.results.values()].some((entry) => entry.result === 'waiting');
    const passed = run ? [...run.results.values()].filter((e) => e.result === 'pass').length : 0;
    const left = run
      ? Math.max(0, Math.ceil((run.started + run.check.windowMs - this._now) / 1000))
      : 0;
    return html`
      <header>
        <h1>IoT Blocks · ${t('title')}</h1>
        <span class="status" data-state=${this._connection} role="status">
          ${
            this._connection === 'live'
              ? t('devices', { online, count: tiles.length })
              : this._connection === 'lost'
                ? t('lost')
                : t('connecting')
          }
        </span>
        <span class="spacer"></span>
        <language-switch></language-switch>
      </header>
      <div class="controls">
        <form @submit=${this._onSend}>
          <fieldset>
            <label
              >${t('target')}
              <select
                data-setting="target"
                @change=${(e: Event) => (this._target = (e.target as HTMLSelectElement).value)}
              >
                <option value="all" ?selected=${this._target === 'all'}>${t('targetAll')}</option>
                <option value="picked" ?selected=${this._target === 'picked'}>
                  ${t('targetPicked', { count: this._picked.size })}
                </option>
                ${groups.map(
                  (group) =>
                    html`<option
                      value="group:${group}"
                      ?selected=${this._target === `group:${group}`}
                    >
                      ${t('targetGroup', { group })}
                    </option>`,
                )}
                ${tiles.map(
                  (tile) =>
                    html`<option
                      value="device:${tile.clientId}"
                      ?selected=${this._target === `device:${tile.clientId}`}
                    >
                      ${tile.clientId}
                    </option>`,
                )}
              </select>
            </label>
            <label
              >${t('message')}
              <input data-input="message" placeholder=${t('messagePlaceholder')} />
            </label>
            <button type="submit" data-action="send">${t('send')}</button>
          </fieldset>
        </form>
        <button
          class="stop"
          data-action="stop-all"
          title=${t('stopAllHint')}
          @click=${this._onStopAll}
        >
          ${t('stopAll')}
        </button>
        <form @submit=${this._onRunCheck}>
          <fieldset>
            <legend>${t('checkHeading')}</legend>
            <label
              >${t('checkSend')}
              <input data-check-input="payload" value="on" size="8" />
            </label>
            <label
              >${t('checkExpect')}
              <select data-check-input="expect">
                ${(['red', 'green', 'blue', 'off', 'reply'] as const).map(
                  (expect) => html`<option value=${expect}>${this._expectName(expect)}</option>`,
                )}
              </select>
            </label>
            <label
              >${t('checkWithin')}
              <input
                data-check-input="window"
                type="number"
                min="0.5"
                step="0.5"
                value=${DEFAULT_WINDOW_MS / 1000}
              />
            </label>
            <button type="submit" data-action="run-check" ?disabled=${!!waiting}>
              ${t('checkRun')}
            </button>
            <button
              type="button"
              data-action="save-csv"
              ?disabled=${!run || !!waiting}
              @click=${this._onSaveCsv}
            >
              ${t('checkSave')}
            </button>
            ${
              run
                ? html`<span class="check-state" data-check-state=${waiting ? 'running' : 'done'}
                    >${
                      waiting
                        ? t('checkRunning', { left })
                        : t('checkDone', { passed, count: run.results.size })
                    }</span
                  >`
                : null
            }
          </fieldset>
        </form>
      </div>
      <main>
        ${tiles.length === 0 ? html`<p>${t('noDevices')}</p>` : null}
        ${groups.map(
          (group) => html`
            <section>
              <h2>${t('targetGroup', { group })}</h2>
              <div class="tiles">
                ${tiles
                  .filter((tile) => groupOf(tile.clientId) === group)
                  .map((tile) => this._renderTile(tile, run?.results.get(tile.clientId)?.result))}
              </div>
            </section>
          `,
        )}
      </main>
    `;
  }

  private _renderTile(tile: Tile, result: CheckResult | undefined) {
    const lastIn: TileMessage | undefined = tile.in.at(-1);
    const lastOut: TileMessage | undefined = tile.out.at(-1);
    return html`<article
      data-client-id=${tile.clientId}
      data-online=${String(tile.online)}
      data-check=${result ?? ''}
      aria-label=${tile.clientId}
    >
      <div class="head">
        <label class="pick" title=${t('pickHint')}>
          <input
            type="checkbox"
            data-pick=${tile.clientId}
            .checked=${this._picked.has(tile.clientId)}
            @change=${(e: Event) => this._onPick(tile.clientId, (e.target as HTMLInputElement).checked)}
          />
          <span class="id">${tile.clientId}</span>
        </label>
        ${
          result
            ? html`<span class="mark" data-result=${result} title=${this._resultName(result)}
                >${result === 'pass' ? '✔' : result === 'fail' ? '✘' : '…'}</span
              >`
            : null
        }
      </div>
      <div class="meta">
        <span class="badge" data-online=${String(tile.online)}
          >${t(tile.online ? 'online' : 'offline')}</span
        >
        · ${t(tile.tcp ? 'realBoard' : 'virtualBoard')} · ${tile.project || t('noProject')}
      </div>
      ${
        tile.board
          ? html`<div class="board">
              <svg viewBox="0 0 84 28" width="96" height="32" role="img" aria-label=${t('leds')}>
                ${tile.board.leds.map(
                  (led, i) =>
                    svg`<circle cx=${14 + i * 28} cy="14" r="11" fill=${ledColour(led)}
                    stroke="#000" stroke-width="2" data-led=${i} data-rgb=${led.join(',')} />`,
                )}
              </svg>
              ${
                tile.board.oled.some((line) => line !== '')
                  ? html`<div class="oled" aria-label=${t('screen')}>
                      ${tile.board.oled.map((line) => html`<div>${line}</div>`)}
                    </div>`
                  : null
              }
            </div>`
          : null
      }
      <ul>
        <li data-last="in">
          <span class="dir">${t('lastIn')}:</span> ${lastIn ? lastIn.text : '—'}
        </li>
        <li data-last="out">
          <span class="dir">${t('lastOut')}:</span>
          ${lastOut ? `${lastOut.topic} ${lastOut.text}` : '—'}
        </li>
      </ul>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'classroom-wall': ClassroomWall;
  }
}
