import { describe, expect, it } from "vitest";
import { createLinkLayer, drawLinks, type LinkDrawing, placeLinks } from "./links";

const link = (id: string, fromY: number, toY: number, fromX = 300, toX = 200): LinkDrawing => ({
  id,
  from: { x: fromX, y: fromY },
  to: { x: toX, y: toY },
  label: "SPEAKER",
  selected: false,
});

describe("placeLinks", () => {
  it("gives overlapping gutter runs their own lanes, and lets separate ones share", () => {
    // Two quotes above one speaker (runs overlap), and a link far below (its own run).
    const placed = placeLinks([link("a", 100, 400), link("b", 200, 400), link("c", 900, 1000)], 6);
    const lane = Object.fromEntries(placed.map((p) => [p.id, p.lane]));
    expect(lane.a).not.toBe(lane.b);
    expect(lane.c).toBe(0);
    const gutter = (d: string) => Number(/V/.test(d) && /Q(\d+)/.exec(d)?.[1]);
    const [a, b] = placed;
    expect(gutter(a.d)).not.toBe(gutter(b.d));
    // Arrows meeting one speaker arrive at different heights.
    const endY = (d: string) => Number(/Q\d+,([\d.-]+) [\d.]+,[\d.-]+ H200$/.exec(d)?.[1]);
    expect(endY(a.d)).not.toBe(endY(b.d));
  });

  it("puts the label upright in the gutter run's middle, or above a same-line arc", () => {
    const [gutter, arc] = placeLinks([link("a", 100, 300), link("b", 50, 52, 100, 400)], 6);
    expect(gutter.labels).toEqual([{ x: 4, y: 200, upright: true }]);
    expect(arc.labels).toHaveLength(1);
    expect(arc.labels[0].upright).toBe(false);
    expect(arc.labels[0].x).toBe(250);
    expect(arc.labels[0].y).toBeLessThan(50);
  });

  it("labels a long run near each end, so its name is on screen at either", () => {
    const [down] = placeLinks([link("a", 100, 2100)], 6);
    expect(down.labels.map((l) => l.y)).toEqual([142, 2058]);
    const [up] = placeLinks([link("b", 2100, 100)], 6);
    expect(up.labels.map((l) => l.y)).toEqual([2058, 142]);
  });

  it("wraps lanes after five", () => {
    const many = Array.from({ length: 6 }, (_, i) => link(`l${i}`, 100 + i, 500));
    expect(placeLinks(many, 6).map((p) => p.lane)).toEqual([0, 1, 2, 3, 4, 0]);
  });
});

describe("drawLinks", () => {
  it("draws each link as a group with its path and its label, and skips an unchanged set", () => {
    const svg = createLinkLayer(document);
    drawLinks(svg, [link("r1", 100, 300), { ...link("r2", 40, 41), label: "CUE" }], 6);
    const groups = [...svg.querySelectorAll("g.wb-link-group")];
    expect(groups.map((g) => g.getAttribute("data-relation"))).toEqual(["r1", "r2"]);
    expect(groups.map((g) => g.querySelector("text")?.textContent)).toEqual(["SPEAKER", "CUE"]);
    expect(groups[0].querySelector("text")?.getAttribute("transform")).toMatch(/^rotate\(-90 /);
    expect(groups[0].querySelector("path")?.getAttribute("marker-end")).toBe("url(#wb-arrow)");
    const first = groups[0];
    drawLinks(svg, [link("r1", 100, 300), { ...link("r2", 40, 41), label: "CUE" }], 6);
    expect(svg.querySelector("g.wb-link-group")).toBe(first);
    drawLinks(svg, [{ ...link("r1", 100, 300), selected: true }], 6);
    expect(svg.querySelectorAll("g").length).toBe(1);
    expect(svg.querySelector("g")?.classList.contains("wb-link-selected")).toBe(true);
  });
});
