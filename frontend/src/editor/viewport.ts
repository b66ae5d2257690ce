/**
 * Tracks which blocks are on (or near) screen. Without IntersectionObserver
 * (unit tests under jsdom) every block counts as visible.
 */
export interface Viewport {
  readonly visible: ReadonlySet<number>;
  observe(el: Element, index: number): void;
  destroy(): void;
}

export function createViewport(
  root: Element | null,
  onChange: (entered: number[], left: number[]) => void,
): Viewport {
  const visible = new Set<number>();
  const indexOf = new WeakMap<Element, number>();
  if (typeof IntersectionObserver === "undefined") {
    return {
      visible,
      observe(_el, index) {
        visible.add(index);
        onChange([index], []);
      },
      destroy() {},
    };
  }
  const observer = new IntersectionObserver(
    (entries) => {
      const entered: number[] = [];
      const left: number[] = [];
      for (const entry of entries) {
        const index = indexOf.get(entry.target);
        if (index === undefined) continue;
        if (entry.isIntersecting && !visible.has(index)) {
          visible.add(index);
          entered.push(index);
        } else if (!entry.isIntersecting && visible.has(index)) {
          visible.delete(index);
          left.push(index);
        }
      }
      if (entered.length || left.length) onChange(entered, left);
    },
    // Paint a screen's worth ahead so fast scrolling rarely shows bare text.
    { root, rootMargin: "600px 0px" },
  );
  return {
    visible,
    observe(el, index) {
      indexOf.set(el, index);
      observer.observe(el);
    },
    destroy() {
      observer.disconnect();
      visible.clear();
    },
  };
}
