/**
 * Sends edits as PATCH ops, debounced, one request at a time, carrying the
 * version last seen. A 409 stops saving and keeps the edits until the user
 * chooses (reload theirs / overwrite with mine); network failures retry with
 * backoff; unsaved ops are mirrored to localStorage so a crash loses nothing.
 */
import type { AnnotationState, Op } from "../editor/types";
import type { ActiveTime } from "./activeTime";
import type { ApiResponse } from "./client";
import { failedSave, type SaveState } from "./saveState";

/** The most operations one PATCH may carry (the server's `patching.MAX_OPS`). */
export const MAX_OPS = 5000;

/** The longest an edit waits for its backup in localStorage (written when the browser idles). */
export const BACKUP_WITHIN_MS = 250;

export type Send = (method: "PATCH" | "PUT", body: unknown) => Promise<ApiResponse<unknown>>;

export interface AutosaveOptions {
  version: number;
  send: Send;
  delay?: number;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  storageKey?: string;
  onState?: (state: SaveState) => void;
  /** Where the annotator's active time comes from: each save carries what built up. */
  activeTime?: Pick<ActiveTime, "take" | "restore"> | null;
}

export interface Backup {
  version: number;
  ops: Op[];
}

export function readBackup(storage: AutosaveOptions["storage"], key: string): Backup | null {
  try {
    const raw = storage?.getItem(key);
    return raw ? (JSON.parse(raw) as Backup) : null;
  } catch {
    return null;
  }
}

export class Autosave {
  private queue: Op[] = [];
  private inFlight: Op[] | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryDelay = 1000;
  private state: SaveState;
  private idleWaiters: Array<(ok: boolean) => void> = [];
  private backupPending: (() => void) | null = null;

  constructor(private readonly options: AutosaveOptions) {
    this.state = { status: "saved", version: options.version };
  }

  get current(): SaveState {
    return this.state;
  }

  get hasUnsaved(): boolean {
    return this.queue.length > 0 || this.inFlight !== null;
  }

  push(ops: Op[]): void {
    if (!ops.length) return;
    this.queue.push(...ops);
    this.persistSoon();
    if (this.state.status === "conflict" || this.state.status === "rejected") return;
    this.set({ status: this.inFlight ? "saving" : "pending" });
    this.schedule(this.options.delay ?? 700);
  }

  /** Saves everything queued now; resolves true once nothing is left unsaved. */
  flush(): Promise<boolean> {
    if (!this.hasUnsaved) return Promise.resolve(true);
    if (this.state.status === "conflict" || this.state.status === "rejected")
      return Promise.resolve(false);
    const done = new Promise<boolean>((resolve) => this.idleWaiters.push(resolve));
    this.schedule(0);
    return done;
  }

  /** After "reload theirs": drop local edits and continue from the server's version. */
  reset(version: number): void {
    this.clearTimer();
    this.queue = [];
    this.inFlight = null;
    this.persist();
    this.set({ status: "saved", version, message: undefined, theirVersion: undefined });
  }

  /** "Overwrite with mine": PUT the whole annotation over the version the server reported. */
  async overwrite(state: AnnotationState & { status?: string }): Promise<boolean> {
    this.clearTimer();
    const version = this.state.theirVersion ?? this.state.version;
    this.set({ status: "saving" });
    const seconds = this.takeSeconds();
    try {
      const res = await this.options.send("PUT", { ...state, version, ...seconds });
      const saved = res.data as { version: number };
      this.queue = [];
      this.inFlight = null;
      this.persist();
      this.set({
        status: "saved",
        version: saved.version,
        message: undefined,
        theirVersion: undefined,
      });
      this.settle(true);
      return true;
    } catch (err) {
      this.restoreSeconds(seconds);
      this.fail(err);
      return false;
    }
  }

  /**
   * Writes the backup of unsaved edits now. An edit's backup is otherwise written when the
   * browser is next idle (at most BACKUP_WITHIN_MS later), off the edit's frame: call this
   * when the page may go (pagehide, hidden, beforeunload).
   */
  writeBackup(): void {
    this.persist();
  }

  destroy(): void {
    this.clearTimer();
    this.writeBackup();
  }

  private persistSoon(): void {
    if (this.backupPending) return;
    const run = () => {
      this.backupPending = null;
      this.persist();
    };
    const idle = (globalThis as { requestIdleCallback?: typeof requestIdleCallback })
      .requestIdleCallback;
    if (idle) {
      const handle = idle(run, { timeout: BACKUP_WITHIN_MS });
      this.backupPending = () => cancelIdleCallback(handle);
    } else {
      const handle = setTimeout(run, 0);
      this.backupPending = () => clearTimeout(handle);
    }
  }

  private schedule(delay: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => void this.sendNow(), delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async sendNow(): Promise<void> {
    this.timer = null;
    if (this.inFlight || !this.queue.length) return;
    // The server takes at most MAX_OPS operations per PATCH (accepting every suggestion
    // can queue more): the rest follow in the next request.
    const ops = this.queue.slice(0, MAX_OPS);
    this.queue = this.queue.slice(MAX_OPS);
    this.inFlight = ops;
    this.set({ status: "saving" });
    const seconds = this.takeSeconds();
    try {
      const res = await this.options.send("PATCH", {
        version: this.state.version,
        ops,
        ...seconds,
      });
      const saved = res.data as { version: number };
      this.inFlight = null;
      this.retryDelay = 1000;
      this.persist();
      this.set({
        status: this.queue.length ? "pending" : "saved",
        version: saved.version,
        message: undefined,
      });
      if (this.queue.length) this.schedule(0);
      else this.settle(true);
    } catch (err) {
      // Put the ops back in front of anything queued meanwhile, in order.
      this.queue = [...ops, ...this.queue];
      this.restoreSeconds(seconds);
      this.inFlight = null;
      this.fail(err);
    }
  }

  /** The active seconds to send (none when nothing built up), rounded to tenths. */
  private takeSeconds(): { active_seconds?: number } {
    const seconds = this.options.activeTime?.take() ?? 0;
    return seconds > 0 ? { active_seconds: Math.round(seconds * 10) / 10 } : {};
  }

  private restoreSeconds(sent: { active_seconds?: number }): void {
    if (sent.active_seconds) this.options.activeTime?.restore(sent.active_seconds);
  }

  private fail(err: unknown): void {
    const failure = failedSave(err, { retries: true });
    this.set(failure);
    if (failure.status === "offline") {
      this.schedule(this.retryDelay);
      this.retryDelay = Math.min(this.retryDelay * 2, 30000);
    } else this.settle(false);
  }

  private settle(ok: boolean): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w(ok);
  }

  private persist(): void {
    this.backupPending?.();
    this.backupPending = null;
    const { storage, storageKey } = this.options;
    if (!storage || !storageKey) return;
    try {
      const ops = [...(this.inFlight ?? []), ...this.queue];
      if (ops.length)
        storage.setItem(storageKey, JSON.stringify({ version: this.state.version, ops }));
      else storage.removeItem(storageKey);
    } catch {
      // Storage full or disabled: the server copy is still the source of truth.
    }
  }

  private set(patch: Partial<SaveState>): void {
    this.state = { ...this.state, ...patch };
    this.options.onState?.(this.state);
  }
}
