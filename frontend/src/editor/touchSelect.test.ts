import { afterEach, describe, expect, it } from "vitest";
import type { Surface } from "./surface";
import { mountText, span } from "./testing";
import { attachTouchSelect, tapSelection, wordAt } from "./touchSelect";
import type { Span } from "./types";

const TEXT = "Sekjen NATO Jens Stoltenberg berkata, “Kami siap.”";
const at = (word: string) => TEXT.indexOf(word);
const extent = (word: string): [number, number] => [at(word), at(word) + word.length];

describe("wordAt", () => {
  it("finds the word under an offset, whole, and nothing on white space or punctuation", () => {
    expect(wordAt(TEXT, at("Stoltenberg") + 4)).toEqual(extent("Stoltenberg"));
    expect(wordAt(TEXT, at("Jens"))).toEqual(extent("Jens"));
    expect(wordAt(TEXT, at("Jens") - 1)).toBeNull();
    expect(wordAt(TEXT, at("“"))).toBeNull();
    expect(wordAt(TEXT, TEXT.length)).toBeNull();
  });

  it("keeps a surrogate pair whole", () => {
    const text = "kata 𝒳yz lain";
    expect(wordAt(text, 6)).toEqual([5, 9]);
  });
});

describe("tapSelection", () => {
  it("selects a word, extends to a second either way, clears on the first again", () => {
    const first = tapSelection(TEXT, null, at("Jens") + 1);
    expect(first).toEqual({ anchor: extent("Jens"), select: extent("Jens") });
    const forward = tapSelection(TEXT, first.anchor, at("Stoltenberg") + 2);
    expect(forward.select).toEqual([at("Jens"), at("Stoltenberg") + "Stoltenberg".length]);
    const backward = tapSelection(TEXT, first.anchor, at("NATO"));
    expect(backward.select).toEqual([at("NATO"), at("Jens") + 4]);
    expect(backward.anchor).toEqual(extent("Jens"));
    expect(tapSelection(TEXT, first.anchor, at("Jens"))).toEqual({ anchor: null, select: null });
  });

  it("clears on white space", () => {
    expect(tapSelection(TEXT, extent("Jens"), at("Jens") - 1)).toEqual({
      anchor: null,
      select: null,
    });
  });
});

describe("attachTouchSelect", () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  /** jsdom has no layout: the point → offset question is answered by `state.at`. */
  function setup(spans: Span[] = []) {
    const mounted = mountText(TEXT, spans);
    const state = { at: 0 as number | null };
    const surface: Surface = { ...mounted.surface, offsetAt: () => state.at };
    const touch = attachTouchSelect({ surface, store: mounted.store, index: mounted.index });
    cleanup = () => {
      touch.destroy();
      mounted.unmount();
    };
    const target = mounted.surface.blockEls[0];
    const tap = (offset: number, { move = 0, ms = 50 } = {}): Event => {
      state.at = offset;
      const point = (x: number) => ({ clientX: x, clientY: 10 });
      const start = new Event("touchstart", { bubbles: true, cancelable: true });
      Object.assign(start, { touches: [point(10)], changedTouches: [point(10)] });
      Object.defineProperty(start, "timeStamp", { value: 1000 });
      target.dispatchEvent(start);
      const end = new Event("touchend", { bubbles: true, cancelable: true });
      Object.assign(end, { touches: [], changedTouches: [point(10 + move)] });
      Object.defineProperty(end, "timeStamp", { value: 1000 + ms });
      target.dispatchEvent(end);
      return end;
    };
    return { surface: mounted.surface, tap };
  }

  it("makes the page's selection from two taps, and keeps the mouse events away", () => {
    const { surface, tap } = setup();
    const first = tap(at("Jens") + 2);
    expect(first.defaultPrevented).toBe(true);
    expect(surface.selection()).toEqual(extent("Jens"));
    tap(at("berkata"));
    expect(surface.selection()).toEqual([at("Jens"), at("berkata") + "berkata".length]);
    tap(at("Jens"));
    expect(surface.selection()).toBeNull();
  });

  it("leaves a scroll, a long press and a tap on a span alone", () => {
    const { surface, tap } = setup([span("p1", at("Jens"), at("Jens") + 4)]);
    expect(tap(at("NATO"), { move: 40 }).defaultPrevented).toBe(false);
    expect(tap(at("NATO"), { ms: 900 }).defaultPrevented).toBe(false);
    expect(surface.selection()).toBeNull();
    expect(tap(at("Jens") + 1).defaultPrevented).toBe(false); // the click picks the span
    expect(surface.selection()).toBeNull();
  });

  it("extends over a span once a selection has started", () => {
    const { surface, tap } = setup([span("p1", at("Jens"), at("Jens") + 4)]);
    tap(at("NATO"));
    expect(tap(at("Stoltenberg")).defaultPrevented).toBe(true);
    expect(surface.selection()).toEqual([at("NATO"), at("Stoltenberg") + 11]);
  });

  it("starts over when the selection was changed another way", () => {
    const { surface, tap } = setup();
    tap(at("NATO"));
    surface.select(...extent("berkata"));
    tap(at("Jens"));
    expect(surface.selection()).toEqual(extent("Jens"));
  });
});
