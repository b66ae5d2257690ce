import { describe, expect, it } from "vitest";
import { contrastRatio, luminance, tagStyle, textColorOn } from "./colors";

// Reference figures from the WCAG 2.x formula as WebAIM's contrast checker reports them.
describe("WCAG contrast", () => {
  it("matches known ratios", () => {
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#ffff00", "#000000")).toBeCloseTo(19.56, 2);
    expect(contrastRatio("#0000ff", "#ffffff")).toBeCloseTo(8.59, 2);
    expect(contrastRatio("#ff0000", "#ffffff")).toBeCloseTo(4.0, 2); // WebAIM truncates: 3.99
  });

  it("computes relative luminance per channel", () => {
    expect(luminance("#000")).toBe(0);
    expect(luminance("#fff")).toBeCloseTo(1, 10);
    expect(luminance("#ff0000")).toBeCloseTo(0.2126, 4);
    expect(luminance("#00ff00")).toBeCloseTo(0.7152, 4);
  });

  it("picks black or white text", () => {
    expect(textColorOn("#ffd700")).toBe("#000000"); // gold
    expect(textColorOn("#1f3a93")).toBe("#ffffff"); // dark blue
    expect(textColorOn("#ff0000")).toBe("#000000"); // 5.25 black vs 3.99 white
  });

  it("reaches AA (4.5:1) on every colour of a 16-step grid", () => {
    let worst = 21;
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17)
        for (let b = 0; b < 256; b += 17) {
          const hex = `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
          worst = Math.min(worst, contrastRatio(hex, textColorOn(hex)));
        }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it("falls back to grey for a colour it cannot read", () => {
    expect(tagStyle("nonsense")).toEqual({ background: "#888888", color: "#000000" });
  });
});
