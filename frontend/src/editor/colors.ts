/** Label colours as translucent fills so overlapping spans stay readable. */
export function hexToRgba(hex: string, alpha: number): string {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return `rgba(128,128,128,${alpha})`;
  let h = m[1];
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const n = Number.parseInt(h, 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** `hexToRgba`, worked out once per colour (the painter asks for every span it paints). */
export function fillColor(hex: string, alpha: number): string {
  const key = `${hex}/${alpha}`;
  let fill = fills.get(key);
  if (!fill) {
    fill = hexToRgba(hex, alpha);
    if (fills.size > 256) fills.clear();
    fills.set(key, fill);
  }
  return fill;
}

const fills = new Map<string, string>();

function channels(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1];
  if (h.length === 3) h = [...h].map((c) => c + c).join("");
  const n = Number.parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** WCAG 2.x relative luminance of an sRGB colour (0 black … 1 white). */
export function luminance(hex: string): number {
  const rgb = channels(hex) ?? [136, 136, 136];
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Black or white text, whichever contrasts more with a label's colour. One of the two always
 * reaches 4.5:1 (WCAG AA for normal text): the worst background, luminance ≈ 0.18, still
 * gives 4.58:1.
 */
export function textColorOn(background: string): "#000000" | "#ffffff" {
  // Asked for every tag painted: a handful of label colours, each worked out once.
  let text = textColors.get(background);
  if (!text) {
    text =
      contrastRatio(background, "#000000") >= contrastRatio(background, "#ffffff")
        ? "#000000"
        : "#ffffff";
    if (textColors.size > 256) textColors.clear();
    textColors.set(background, text);
  }
  return text;
}

const textColors = new Map<string, "#000000" | "#ffffff">();

/** A label tag's colours: its own background, readable text. */
export function tagStyle(color: string): { background: string; color: string } {
  const background = channels(color) ? color : "#888888";
  return { background, color: textColorOn(background) };
}
