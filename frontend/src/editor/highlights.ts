/**
 * One CSS Custom Highlight per label; a block's ranges are added when it is
 * painted and removed when it leaves the screen, so the registry only ever
 * holds what is visible. Falls back to nothing where the API is missing.
 */
import { hexToRgba } from "./colors";

interface HighlightLike {
  add(range: AbstractRange): unknown;
  delete(range: AbstractRange): unknown;
  clear(): void;
}

interface HighlightRegistry {
  set(name: string, h: HighlightLike): unknown;
  delete(name: string): unknown;
}

function registry(): HighlightRegistry | null {
  const css = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const ctor = (globalThis as { Highlight?: unknown }).Highlight;
  return css?.highlights && ctor ? css.highlights : null;
}

let instances = 0;

/**
 * Adds CSS to the document as a constructed stylesheet: the CSSOM, which a
 * Content-Security-Policy without 'unsafe-inline' allows (a <style> element's text it
 * refuses). Where constructed sheets are missing (jsdom), a <style> element. Returns
 * what takes it away again.
 */
function addStyles(doc: Document, css: string): () => void {
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (
    view?.CSSStyleSheet &&
    "replaceSync" in view.CSSStyleSheet.prototype &&
    "adoptedStyleSheets" in doc
  ) {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return () => {
      doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    };
  }
  const style = doc.createElement("style");
  style.textContent = css;
  doc.head.appendChild(style);
  return () => style.remove();
}

export class LabelHighlights {
  private readonly byLabel = new Map<string, HighlightLike>();
  private readonly names: string[] = [];
  private readonly removeStyles: () => void;
  private readonly reg = registry();
  private readonly prefix = `wb${++instances}-`;

  /** `look` gives a label's highlight declarations (default: a fill in its colour). */
  constructor(
    labels: Array<{ name: string; color: string }>,
    doc: Document,
    look: (color: string) => string = (color) => `background-color:${hexToRgba(color, 0.3)};`,
  ) {
    const rules: string[] = [];
    labels.forEach((label, i) => {
      const name = `${this.prefix}${i}`;
      rules.push(`::highlight(${name}){${look(label.color)}}`);
      if (this.reg) {
        const HighlightCtor = (globalThis as unknown as { Highlight: new () => HighlightLike })
          .Highlight;
        const h = new HighlightCtor();
        this.reg.set(name, h);
        this.byLabel.set(label.name, h);
        this.names.push(name);
      }
    });
    this.removeStyles = addStyles(doc, rules.join("\n"));
  }

  get supported(): boolean {
    return this.reg !== null;
  }

  add(label: string, range: Range): boolean {
    const h = this.byLabel.get(label);
    if (!h) return false;
    h.add(range);
    return true;
  }

  remove(label: string, range: Range): void {
    this.byLabel.get(label)?.delete(range);
  }

  destroy(): void {
    for (const name of this.names) this.reg?.delete(name);
    for (const h of this.byLabel.values()) h.clear();
    this.removeStyles();
  }
}
