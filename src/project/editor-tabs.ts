/**
 * One project, one editor: the studio tabs of one browser agree which of them edits a project;
 * the others only show it (and follow its saves) until one of them takes over. Without this, two
 * tabs on one project each saved over the other's work.
 *
 * The tabs talk over a BroadcastChannel, not the Web Locks API: `navigator.locks` exists only in
 * secure contexts (https, localhost), and classrooms open the studio at `http://<laptop's LAN
 * address>`, where it is undefined. BroadcastChannel works on every origin and in every browser
 * the studio supports, is scoped like localStorage (same origin, same storage partition), and
 * leaves no state behind: a tab that closed or crashed simply no longer answers, where a mark in
 * localStorage would have to be polled and timed out.
 *
 *   hello    a tab opened the project. An editing tab answers `editing`, and the newcomer only
 *            shows it; an editing tab that is behind (another tab saved the project since it
 *            last did) lets the newcomer edit and only shows it itself.
 *   take     a showing tab takes over. The editing tab saves what it has, only shows from then
 *            on, and answers `released` with the time of its last save; the taker edits from
 *            there, or after TAKE_OVER_WAIT when nobody answered (the editing tab was closed).
 *
 * A showing tab follows the editing tab's saves through localStorage's own `storage` event
 * (the studio listens to it), which arrives in step with the data; a channel message may
 * overtake the write it announces.
 *
 * What slips through (two tabs opening in the same instant) is caught when saving:
 * `ProjectStore.save` refuses to save over a version it did not know about.
 */

/** What a tab does with its open project. */
export type TabRole = 'editing' | 'showing';

/** Why a tab only shows its project: another tab was editing it, or took it over. */
export type ShowingReason = 'elsewhere' | 'taken';

/** The channel's name: every studio tab of the origin listens on it. */
export const EDITOR_CHANNEL = 'iot-blocks:editors';

/** How long a taking-over tab waits for the editing tab to let go (it answers in milliseconds). */
export const TAKE_OVER_WAIT = 1000;

/** What the tabs say to each other. `to` is the one tab a message is meant for. */
export type TabMessage =
  | { kind: 'hello'; project: string; from: string }
  | { kind: 'editing'; project: string; from: string; to: string }
  | { kind: 'take'; project: string; from: string }
  | { kind: 'released'; project: string; from: string; to: string; newest: number | null };

/** The part of a BroadcastChannel these tabs use (tests may pass their own). */
export interface TabChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
}

/** What the studio does for its tab. */
export interface TabHost {
  /** Whether another tab saved the open project since this tab last saved or read it. */
  isBehind(): boolean;
  /**
   * Saves now whatever this tab has not saved yet (before it lets go of the project); returns
   * the time of the project's newest version (null when it has none).
   */
  flush(): number | null;
  /**
   * Another tab made this one only show its project. (Taking over is this tab's own doing: it
   * learns the outcome from `takeOver()`.)
   */
  nowShowing(reason: ShowingReason): void;
}

/** How a take-over ended: the time of the editing tab's last save, or `unanswered`. */
export type TakeOverResult = { newest: number | null } | 'unanswered';

function isMessage(data: unknown): data is TabMessage {
  const message = data as Partial<TabMessage> | null;
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof message.kind === 'string' &&
    typeof message.project === 'string' &&
    typeof message.from === 'string'
  );
}

/** A channel that reaches no one, where the browser has no BroadcastChannel. */
function quietChannel(): TabChannel {
  return { postMessage() {}, onmessage: null, close() {} };
}

/** A random id for this tab (not secret; `crypto.randomUUID` needs a secure context). */
function newTabId(): string {
  return [...crypto.getRandomValues(new Uint8Array(8))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}

/** This tab among the studio tabs of the browser, for the project it has open. */
export class EditorTabs {
  /** This tab's id in messages. */
  readonly id: string;
  private _project: string | null = null;
  private _role: TabRole = 'editing';
  private _channel: TabChannel;
  /** Ends a take-over that is waiting for `released` (null: it was called off). */
  private _takeOver: ((result: TakeOverResult | null) => void) | null = null;

  constructor(
    private readonly _host: TabHost,
    channel?: TabChannel,
    id: string = newTabId(),
  ) {
    this.id = id;
    this._channel =
      channel ??
      (typeof BroadcastChannel === 'function'
        ? (new BroadcastChannel(EDITOR_CHANNEL) as unknown as TabChannel)
        : quietChannel());
    this._channel.onmessage = (event) => {
      if (isMessage(event.data)) this._onMessage(event.data);
    };
  }

  /** The project this tab has open (null before the first). */
  get project(): string | null {
    return this._project;
  }

  /** Whether this tab edits its project or only shows it. */
  get role(): TabRole {
    return this._role;
  }

  /**
   * This tab opened `project`: it edits it unless an editing tab answers (within milliseconds),
   * and then only shows it (`nowShowing('elsewhere')`).
   */
  open(project: string): void {
    this._callOffTakeOver();
    this._project = project;
    this._role = 'editing';
    this._post({ kind: 'hello', project, from: this.id });
  }

  /**
   * This showing tab takes its project over: from when it resolves, this tab edits it (and
   * answers newcomers so). Resolves with the time of the editing tab's last save, `unanswered`
   * when no tab answered within TAKE_OVER_WAIT, or null when called off (another project was
   * opened meanwhile, or the tab closed).
   */
  takeOver(): Promise<TakeOverResult | null> {
    const project = this._project;
    if (!project || this._role === 'editing') return Promise.resolve(null);
    this._callOffTakeOver();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this._takeOver?.('unanswered'), TAKE_OVER_WAIT);
      this._takeOver = (result) => {
        clearTimeout(timer);
        this._takeOver = null;
        if (result !== null) this._role = 'editing';
        resolve(result);
      };
      this._post({ kind: 'take', project, from: this.id });
    });
  }

  /** Stops talking to the other tabs (the page goes, or the studio leaves it). */
  close(): void {
    this._callOffTakeOver();
    this._channel.onmessage = null;
    this._channel.close();
  }

  private _onMessage(message: TabMessage): void {
    if (message.project !== this._project || message.from === this.id) return;
    if ('to' in message && message.to !== this.id) return;
    switch (message.kind) {
      case 'hello':
        if (this._role !== 'editing') return;
        if (this._host.isBehind()) {
          // Another tab saved this project after this tab did: this tab shows old work.
          this._becomeShowing('elsewhere');
        } else {
          this._post({
            kind: 'editing',
            project: message.project,
            from: this.id,
            to: message.from,
          });
        }
        return;
      case 'editing':
        if (this._role === 'editing') this._becomeShowing('elsewhere');
        return;
      case 'take': {
        if (this._role !== 'editing') return;
        const newest = this._becomeShowing('taken');
        this._post({
          kind: 'released',
          project: message.project,
          from: this.id,
          to: message.from,
          newest,
        });
        return;
      }
      case 'released':
        this._takeOver?.({ newest: message.newest });
        return;
    }
  }

  /** Lets go of the project, saving first what this tab has; returns the newest save's time. */
  private _becomeShowing(reason: ShowingReason): number | null {
    const newest = this._host.flush();
    this._role = 'showing';
    this._host.nowShowing(reason);
    return newest;
  }

  private _callOffTakeOver(): void {
    this._takeOver?.(null);
  }

  private _post(message: TabMessage): void {
    try {
      this._channel.postMessage(message);
    } catch {
      // A closed channel (the page is going): nobody is left to tell.
    }
  }
}
