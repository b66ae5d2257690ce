import { afterEach, describe, expect, it } from "vitest";
import { createFind, nextMatch } from "./find";
import type { Surface } from "./surface";
import { mountText } from "./testing";

describe("next match", () => {
  const hay = "a b a b a";

  it("looks after the start going forward and wraps to the first", () => {
    expect(nextMatch(hay, "a", -1, 1)).toBe(0);
    expect(nextMatch(hay, "a", 0, 1)).toBe(4);
    expect(nextMatch(hay, "a", 8, 1)).toBe(0);
  });

  it("looks before the start going back and wraps to the last", () => {
    expect(nextMatch(hay, "a", 4, -1)).toBe(0);
    expect(nextMatch(" b a b a", "a", 3, -1)).toBe(7);
    expect(nextMatch(hay, "z", 0, -1)).toBe(-1);
  });
});

describe("find", () => {
  let surface: Surface;
  let unmount = () => {};

  function open(text: string, selectedStart: number | null = null) {
    const mounted = mountText(text);
    unmount = mounted.unmount;
    surface = mounted.surface;
    return createFind(surface, () => selectedStart);
  }

  afterEach(() => unmount());

  it("selects each occurrence in turn, whatever the case, across blocks", () => {
    const text = "NATO chief Stoltenberg said.\r\n\r\n😀 stoltenberg again.";
    const find = open(text);
    expect(find("STOLTENBERG")).toBe(true);
    expect(surface.selection()).toEqual([11, 22]);
    expect(find("stoltenberg")).toBe(true);
    const second = text.lastIndexOf("stoltenberg");
    expect(surface.selection()).toEqual([second, second + 11]);
    expect(find("stoltenberg", -1)).toBe(true);
    expect(surface.selection()).toEqual([11, 22]);
  });

  it("starts after the selected span when there is no text selection", () => {
    const text = "Jens said: Jens again";
    const find = open(text, 0);
    expect(find("Jens")).toBe(true);
    expect(surface.selection()).toEqual([11, 15]);
  });

  it("answers false for an empty or missing query and leaves the selection", () => {
    const find = open("Jens");
    expect(find("")).toBe(false);
    expect(find("Brussels")).toBe(false);
    expect(surface.selection()).toBeNull();
  });
});
