import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ActiveTime, IDLE_MS, watchActivity } from "./activeTime";
import { Autosave } from "./autosave";

/** A clock the test moves by hand (milliseconds). */
function fakeClock(start = 1_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("active time", () => {
  it("counts focused time up to five minutes after the last activity", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    c.advance(30 * SECOND);
    time.activity();
    c.advance(2 * MINUTE);
    expect(time.take()).toBe(150);
    // Ten minutes with no activity: the five after the last keypress (at 0:30) count, of
    // which 2:00 were taken already; then the annotator is idle.
    c.advance(10 * MINUTE);
    expect(time.take()).toBe(IDLE_MS / 1000 - 120);
    // The idle stretch stays out when they come back.
    time.activity();
    c.advance(20 * SECOND);
    expect(time.take()).toBe(20);
  });

  it("stops while the window is blurred and starts again on focus", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    c.advance(40 * SECOND);
    time.blur();
    c.advance(3 * MINUTE);
    time.activity(); // events in another window do not count either
    c.advance(MINUTE);
    time.focus();
    c.advance(15 * SECOND);
    expect(time.take()).toBe(55);
  });

  it("starts blurred when the page opens without focus", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now, false);
    c.advance(MINUTE);
    expect(time.take()).toBe(0);
  });

  it("hands each second over once; a failed save puts them back", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    c.advance(10 * SECOND);
    const sent = time.take();
    expect(sent).toBe(10);
    expect(time.take()).toBe(0);
    time.restore(sent);
    c.advance(5 * SECOND);
    expect(time.take()).toBe(15);
  });

  it("follows the window's focus, visibility and input events", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    const stop = watchActivity(time, window, document);
    c.advance(6 * MINUTE);
    window.dispatchEvent(new Event("keydown"));
    expect(time.take()).toBe(300);
    c.advance(10 * SECOND);
    window.dispatchEvent(new Event("blur"));
    c.advance(MINUTE);
    window.dispatchEvent(new Event("focus"));
    c.advance(5 * SECOND);
    expect(time.take()).toBe(15);
    stop();
    c.advance(6 * MINUTE);
    window.dispatchEvent(new Event("keydown")); // no longer listened to
    c.advance(SECOND);
    // Five minutes after the focus, less the 5 s already taken.
    expect(time.take()).toBe(295);
  });
});

describe("scrolls as activity", () => {
  let stop: () => void = () => undefined;
  afterEach(() => stop());

  function scrollOf(el: Element) {
    // What the browser dispatches after `el.scrollTop = …` or scrollIntoView: a scroll
    // event that does not bubble (the capture-phase listener sees it).
    el.dispatchEvent(new Event("scroll", { bubbles: false }));
  }

  it("does not count a scroll the app makes by itself (the span list after a label)", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    stop = watchActivity(time, window, document);
    const list = document.createElement("div");
    document.body.append(list);
    window.dispatchEvent(new Event("pointerdown"));
    window.dispatchEvent(new Event("pointerup"));
    window.dispatchEvent(new Event("keydown")); // the label's hotkey
    c.advance(SECOND);
    scrollOf(list); // VirtualList keeps the new span's row in view
    c.advance(10 * MINUTE);
    // Idle from the keypress: five minutes count, not five minutes and a second.
    expect(time.take()).toBe(IDLE_MS / 1000);
    list.remove();
  });

  it("counts scrolling while a button or a finger is down (scrollbar drag, touch pan)", () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    stop = watchActivity(time, window, document);
    window.dispatchEvent(new Event("touchstart"));
    // The browser took the pan over: the touch's pointer is cancelled, the finger stays.
    window.dispatchEvent(Object.assign(new Event("pointercancel"), { pointerType: "touch" }));
    for (let i = 0; i < 3; i++) {
      c.advance(4 * MINUTE);
      scrollOf(document.body);
    }
    window.dispatchEvent(new Event("touchend"));
    c.advance(SECOND);
    scrollOf(document.body); // the pan's momentum, or the app: no longer the finger
    c.advance(10 * MINUTE);
    expect(time.take()).toBe(12 * 60 + IDLE_MS / 1000);
  });
});

describe("autosave with active time", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the active seconds with each PATCH, and again after a failed one", async () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now);
    const send = vi
      .fn()
      .mockRejectedValueOnce(new TypeError("Failed to fetch"))
      .mockResolvedValue({ status: 200, data: { version: 2 } });
    const saver = new Autosave({ version: 1, send, delay: 10, activeTime: time });
    c.advance(42 * SECOND);
    saver.push([{ op: "delete_span", id: "a" }]);
    await vi.advanceTimersByTimeAsync(20);
    expect(send.mock.calls[0][1]).toMatchObject({ active_seconds: 42 });
    c.advance(3 * SECOND);
    await vi.advanceTimersByTimeAsync(1100); // the retry
    expect(send.mock.calls[1][1]).toMatchObject({ version: 1, active_seconds: 45 });
    expect(saver.current.status).toBe("saved");
  });

  it("sends no active_seconds when none built up", async () => {
    const c = fakeClock();
    const time = new ActiveTime(c.now, false);
    const send = vi.fn().mockResolvedValue({ status: 200, data: { version: 1 } });
    const saver = new Autosave({ version: 0, send, delay: 10, activeTime: time });
    saver.push([{ op: "delete_span", id: "a" }]);
    await vi.advanceTimersByTimeAsync(20);
    expect(send.mock.calls[0][1]).toEqual({ version: 0, ops: [{ op: "delete_span", id: "a" }] });
  });
});
