import { afterEach, describe, expect, it } from "vitest";
import { attachPointer, type Pointer } from "./pointer";
import type { Edge } from "./spanEdits";
import type { Surface } from "./surface";
import { mountText, span } from "./testing";
import type { Span } from "./types";

const TEXT = "Sekjen NATO Jens Stoltenberg berkata";
let pointer: Pointer | null = null;
let surface: Surface;
let unmount = () => {};

/**
 * A pointer over TEXT. jsdom has no layout, so the screen point → offset question
 * is answered by `at` (a UTF-16 offset) at the surface boundary.
 */
function setup(spans: Span[]) {
  const mounted = mountText(TEXT, spans);
  const { store, index } = mounted;
  surface = mounted.surface;
  unmount = mounted.unmount;
  const state = { at: 0 as number | null };
  const chosen: Array<string | null> = [];
  const drops: Array<[string, Edge, [number, number], boolean]> = [];
  pointer = attachPointer({
    surface: { ...surface, offsetAt: () => state.at },
    store,
    index,
    edits: { dropEdge: (id, edge, extent, exact) => drops.push([id, edge, extent, exact]) },
    choose: (id) => chosen.push(id),
  });
  return { state, chosen, drops };
}

function fire(target: EventTarget, type: string, init: MouseEventInit = {}): MouseEvent {
  const ev = new MouseEvent(type, { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev;
}

/** An overlay element for `spanId`, as the painter draws it (a bar, a tag or a handle). */
function overlay(spanId: string, handle?: Edge): HTMLElement {
  const el = document.createElement("div");
  el.dataset.span = spanId;
  if (handle) el.dataset.handle = handle;
  surface.blockEls[0].appendChild(el);
  return el;
}

afterEach(() => {
  pointer?.destroy();
  unmount();
});

describe("pointer", () => {
  it("chooses the span whose tag or bar is pressed", () => {
    const { chosen } = setup([span("a", 12, 28)]);
    const ev = fire(overlay("a"), "mousedown");
    expect(chosen).toEqual(["a"]);
    expect(ev.defaultPrevented).toBe(true);
  });

  it("a click in the text picks the innermost span, and clicking again cycles", () => {
    const { state, chosen } = setup([span("outer", 7, 28), span("inner", 12, 16)]);
    state.at = 13;
    fire(surface.blockEls[0], "mouseup");
    fire(surface.blockEls[0], "mouseup");
    fire(surface.blockEls[0], "mouseup");
    state.at = 2;
    fire(surface.blockEls[0], "mouseup");
    expect(chosen).toEqual(["inner", "outer", "inner", null]);
  });

  it("remembers whether Alt was held for the last mouse selection", () => {
    setup([]);
    fire(surface.blockEls[0], "mouseup", { altKey: true });
    expect(pointer?.exact).toBe(true);
    pointer?.forgetExact();
    expect(pointer?.exact).toBe(false);
  });

  it("dragging an end handle previews with the selection and drops the new extent", () => {
    const { state, drops, chosen } = setup([span("a", 12, 16)]);
    fire(overlay("a", "end"), "mousedown");
    state.at = 20;
    fire(document, "mousemove");
    expect(surface.selection()).toEqual([12, 20]);
    fire(document, "mouseup", { altKey: true });
    expect(drops).toEqual([["a", "end", [12, 20], true]]);
    expect(surface.selection()).toBeNull();
    expect(chosen).toEqual([]);
  });

  it("a start handle dragged past the end drops nothing", () => {
    const { state, drops } = setup([span("a", 12, 16)]);
    fire(overlay("a", "start"), "mousedown");
    state.at = 30;
    fire(document, "mouseup");
    expect(drops).toEqual([]);
  });
});
