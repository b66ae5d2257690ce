/**
 * Active time, as the editor reports it with its saves (issue 12): time counts while the
 * window is focused (and the page visible) and the annotator's last keypress, click,
 * pointer move, wheel or scroll was at most `IDLE_MS` ago; past that they are idle until
 * the next one. `take()` hands over what has built up since the last take (the saver
 * sends it, in seconds, with its next PATCH or PUT; `restore` puts it back when that save
 * fails), so every active second is sent once.
 *
 * The clock is injected (`now`), so tests drive it without waiting.
 */

/** The idle limit the server's history rule uses too (`annotations/work_time.py`). */
export const IDLE_MS = 5 * 60 * 1000;

export class ActiveTime {
  private focused: boolean;
  /** When the last activity was, while focused (null: blurred). */
  private last: number | null;
  /** Time is counted up to here. */
  private counted: number;
  private pendingMs = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    focused = true,
  ) {
    this.focused = focused;
    const t = now();
    this.last = focused ? t : null;
    this.counted = t;
  }

  /** The annotator did something (key, pointer, wheel, scroll). */
  activity(): void {
    const t = this.now();
    this.accrue(t);
    if (!this.focused) return;
    this.last = t;
    this.counted = t;
  }

  focus(): void {
    const t = this.now();
    this.accrue(t);
    this.focused = true;
    this.last = t;
    this.counted = t;
  }

  blur(): void {
    this.accrue(this.now());
    this.focused = false;
    this.last = null;
  }

  /** The active seconds since the last take, and start again from zero. */
  take(): number {
    this.accrue(this.now());
    const seconds = this.pendingMs / 1000;
    this.pendingMs = 0;
    return seconds;
  }

  /** A save carrying `seconds` failed: they go with the next one. */
  restore(seconds: number): void {
    this.pendingMs += seconds * 1000;
  }

  private accrue(t: number): void {
    if (!this.focused || this.last === null) return;
    const end = Math.min(t, this.last + IDLE_MS);
    if (end > this.counted) {
      this.pendingMs += end - this.counted;
      this.counted = end;
    }
  }
}

const ACTIVITY = ["keydown", "pointerdown", "pointermove", "wheel", "input"] as const;

/** Feed a clock from the window's events; returns the function that stops it. */
export function watchActivity(
  clock: ActiveTime,
  win: Window = window,
  doc: Document = document,
): () => void {
  const activity = () => clock.activity();
  const focus = () => clock.focus();
  const blur = () => clock.blur();
  const visibility = () => (doc.visibilityState === "hidden" ? clock.blur() : clock.focus());
  for (const name of ACTIVITY) win.addEventListener(name, activity, { passive: true });
  // Scrolling the article's own box does not bubble: listen in the capture phase.
  doc.addEventListener("scroll", activity, { capture: true, passive: true });
  win.addEventListener("focus", focus);
  win.addEventListener("blur", blur);
  doc.addEventListener("visibilitychange", visibility);
  return () => {
    for (const name of ACTIVITY) win.removeEventListener(name, activity);
    doc.removeEventListener("scroll", activity, { capture: true });
    win.removeEventListener("focus", focus);
    win.removeEventListener("blur", blur);
    doc.removeEventListener("visibilitychange", visibility);
  };
}
