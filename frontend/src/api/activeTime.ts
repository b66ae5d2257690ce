/**
 * Active time, as the editor reports it with its saves (issue 12): time counts while the
 * window is focused (and the page visible) and the annotator's last keypress, click, touch,
 * pointer move, wheel or scroll of their own was at most `IDLE_MS` ago; past that they are idle until
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

  /** The annotator did something (key, pointer, touch, wheel, a scroll while held). */
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

const ACTIVITY = ["keydown", "pointermove", "wheel", "input"] as const;
/** A mouse button, pen or finger goes down / comes up (activity, and the bounds of a hold). */
const PRESS = ["pointerdown", "touchstart"] as const;
const RELEASE = ["pointerup", "touchend", "touchcancel"] as const;

/**
 * Feed a clock from the window's events; returns the function that stops it.
 *
 * A scroll counts only while a button or a finger is held (a scrollbar drag, a touch pan:
 * the scrolls no other event comes with). The editor scrolls by itself after a label, a
 * find or a save (the span list keeps the selected row in view, the article its selected
 * span), and those scroll events looked like the annotator: the idle stretch began when
 * the app's scroll landed, up to the autosave's second after the last keypress. Wheel and
 * keys count as themselves, so scrolling by them needs no scroll event.
 */
export function watchActivity(
  clock: ActiveTime,
  win: Window = window,
  doc: Document = document,
): () => void {
  let held = false;
  const activity = () => clock.activity();
  const press = () => {
    held = true;
    clock.activity();
  };
  const release = () => {
    held = false;
    clock.activity();
  };
  // A touch pan cancels its pointer while the finger stays down (touchend ends the hold).
  const cancel = (e: Event) => {
    if ((e as PointerEvent).pointerType !== "touch") held = false;
  };
  const scroll = () => {
    if (held) clock.activity();
  };
  const focus = () => clock.focus();
  const blur = () => {
    held = false;
    clock.blur();
  };
  const visibility = () => (doc.visibilityState === "hidden" ? blur() : clock.focus());
  const removers: (() => void)[] = [];
  const on = (target: EventTarget, name: string, fn: EventListener, capture = false) => {
    target.addEventListener(name, fn, { capture, passive: true });
    removers.push(() => target.removeEventListener(name, fn, { capture }));
  };
  for (const name of ACTIVITY) on(win, name, activity);
  for (const name of PRESS) on(win, name, press);
  for (const name of RELEASE) on(win, name, release);
  on(win, "pointercancel", cancel);
  // Scrolling the article's own box does not bubble: listen in the capture phase.
  on(doc, "scroll", scroll, true);
  on(win, "focus", focus);
  on(win, "blur", blur);
  on(doc, "visibilitychange", visibility);
  return () => {
    for (const remove of removers) remove();
  };
}
