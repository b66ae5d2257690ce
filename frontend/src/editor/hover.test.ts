import { afterEach, describe, expect, it, vi } from "vitest";
import { attachHover } from "./hover";
import { mountText, span } from "./testing";

let cleanup = () => {};
afterEach(() => cleanup());

describe("hover", () => {
  it("reports the span under the mouse once a frame, and none when the mouse leaves", async () => {
    const { surface, store, index, unmount } = mountText("Jens Stoltenberg berkata.", [
      span("a", 0, 4),
    ]);
    const seen: Array<string | null> = [];
    const hover = attachHover({ surface, store, index, onHover: (id) => seen.push(id) });
    cleanup = () => {
      hover.destroy();
      unmount();
    };
    const bar = document.createElement("div");
    bar.dataset.span = "a";
    surface.blockEls[0].appendChild(bar);
    bar.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    bar.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(r));
    expect(seen).toEqual(["a"]);
    expect(hover.id).toBe("a");
    // A held button is a drag selecting text: no hover then.
    surface.root.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, buttons: 1 }));
    surface.root.dispatchEvent(new MouseEvent("mouseleave"));
    expect(seen).toEqual(["a", null]);
  });

  it("never reports a span for a point in its interruption", async () => {
    const { surface, store, index, unmount } = mountText("Jens Stoltenberg berkata.", [
      {
        ...span("a", 0, 24),
        fragments: [
          [0, 4],
          [17, 24],
        ],
      },
    ]);
    const onHover = vi.fn();
    // jsdom lays nothing out: the offset under the mouse is given.
    const at = vi.spyOn(surface, "offsetAt").mockReturnValue(8);
    const hover = attachHover({ surface, store, index, onHover });
    cleanup = () => {
      hover.destroy();
      unmount();
    };
    surface.root.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(r));
    expect(onHover).not.toHaveBeenCalled();
    at.mockReturnValue(18);
    surface.root.dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(r));
    expect(onHover).toHaveBeenCalledWith("a");
  });
});
