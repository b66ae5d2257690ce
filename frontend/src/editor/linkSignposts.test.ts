import { describe, expect, it, vi } from "vitest";
import { createSignpostLayer, type LinkEnds, signposts } from "./linkSignposts";
import { createLinkLayer, drawLinks } from "./links";

const link = (id: string, fromY: number, toY: number): LinkEnds => ({
  id,
  from: { x: 300, y: fromY },
  to: { x: 120, y: toY },
  label: "SPEAKER",
  selected: false,
  fromId: `q-${id}`,
  toId: `p-${id}`,
});
const band = { top: 0, bottom: 800 };
const describe_ = (id: string) => ({
  text: id === "p-a" ? "Stoltenberg" : "Kami siap",
  paragraph: 7,
});

describe("signposts", () => {
  it("says where a link goes when its target is below the screen", () => {
    const [post] = signposts([link("a", 100, 2400)], band, describe_);
    expect(post).toMatchObject({ relationId: "a", targetId: "p-a", y: 99 });
    expect(post.text).toBe("→ Stoltenberg, paragraph 7 ↓");
    expect(post.name).toBe("SPEAKER link to “Stoltenberg”, paragraph 7: go there");
  });

  it("says where it comes from when the quote is above the screen", () => {
    const [post] = signposts([link("b", -900, 400)], band, describe_);
    expect(post.targetId).toBe("q-b");
    expect(post.text).toBe("← Kami siap, paragraph 7 ↑");
    expect(post.x).toBeGreaterThan(120);
  });

  it("moves right past the tags on its row, never covering another span's label", () => {
    // The quote's tag is at x 298 on the row at y 100; "Dishub" (ORG) and "Kota" (LOC) are
    // tagged just after it on the same row, a PER tag sits on the row below.
    const tag = (left: number, top: number, letters: number) => ({
      left,
      top,
      right: left + letters * 6 + 6,
      bottom: top + 10,
    });
    const tags = [tag(350, 100, 3), tag(600, 100, 3), tag(340, 144, 3)];
    const [alone] = signposts([link("a", 100, 2400)], band, describe_);
    expect(alone.x).toBe(348);
    const [post] = signposts([link("a", 100, 2400)], band, describe_, () => tags);
    expect(post.x).toBe(350 + 24 + 4);
    // Wide enough for its text, it stays clear of the next tag on the row too.
    const width = post.text.length * 6.2 + 12;
    expect(post.x + width).toBeLessThanOrEqual(600);
    const [pushed] = signposts([link("a", 100, 2400)], band, describe_, () => [
      ...tags,
      tag(480, 100, 3),
    ]);
    expect(pushed.x).toBe(600 + 24 + 4); // no room between the tags at 480 and 600: past both
    const [above] = signposts([link("a", 300, 2400)], band, describe_, () => tags);
    expect(above.x).toBe(348); // nothing on its row
  });

  it("reads the painted tags only when there is a post to place", () => {
    const tags = vi.fn(() => []);
    signposts([link("c", 100, 700)], band, describe_, tags);
    expect(tags).not.toHaveBeenCalled();
  });

  it("has nothing for a link with both ends in view, or neither", () => {
    expect(signposts([link("c", 100, 700), link("d", -500, 3000)], band, describe_)).toEqual([]);
  });
});

describe("the signpost layer", () => {
  it("goes to the far end when pressed and strengthens its connector while hovered", () => {
    const svg = createLinkLayer(document);
    drawLinks(svg, [link("a", 100, 2400)], 6);
    const jump = vi.fn();
    const layer = createSignpostLayer(document, svg, jump);
    layer.draw(signposts([link("a", 100, 2400)], band, describe_));
    const button = layer.element.querySelector("button");
    expect(button?.textContent).toBe("→ Stoltenberg, paragraph 7 ↓");
    expect(button?.getAttribute("aria-label")).toMatch(/go there/);
    button?.dispatchEvent(new MouseEvent("mouseenter"));
    expect(svg.querySelector('[data-relation="a"]')?.classList.contains("wb-link-hover")).toBe(
      true,
    );
    button?.dispatchEvent(new MouseEvent("mouseleave"));
    expect(svg.querySelector('[data-relation="a"]')?.classList.contains("wb-link-hover")).toBe(
      false,
    );
    button?.click();
    expect(jump).toHaveBeenCalledWith("p-a");
    layer.draw([]);
    expect(layer.element.children.length).toBe(0);
  });
});
