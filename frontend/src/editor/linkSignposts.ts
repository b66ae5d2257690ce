/**
 * Signposts for links that leave the screen (DECISIONS.md 64): where a link's one end is in
 * view and the other is not, a small button beside the end in view says where the link
 * goes ("→ Stoltenberg, paragraph 7 ↓") and scrolls there when pressed. Hovering or
 * focusing it strengthens its connector. Worked out after the frame's paint, from the
 * connectors already drawn, so an edit pays nothing for it.
 */
import { t } from "../i18n";
import type { LinkDrawing, LinkEnd } from "./links";

export interface Signpost {
  relationId: string;
  /** The span at the far end, off screen: pressing the post goes to it. */
  targetId: string;
  /** Where the post sits (the link layer's coordinates): just after the end in view. */
  x: number;
  y: number;
  text: string;
  /** The accessible name: says it is a way to the other end. */
  name: string;
}

/** What the post needs to say about a span: a few of its words and its paragraph (1-based). */
export type Describe = (spanId: string) => { text: string; paragraph: number } | null;

export interface LinkEnds extends LinkDrawing {
  fromId: string;
  toId: string;
}

// Room for the end's own tag before the post (about a label of eight letters).
const AFTER_TAG_PX = 48;

/**
 * The posts for the links drawn, given the band of the layer in view ([top, bottom] in
 * its coordinates). A link with both ends in view, or neither, has none.
 */
export function signposts(
  links: LinkEnds[],
  band: { top: number; bottom: number },
  describe: Describe,
): Signpost[] {
  const inView = (end: LinkEnd) => end.y >= band.top && end.y <= band.bottom;
  const posts: Signpost[] = [];
  for (const link of links) {
    const fromIn = inView(link.from);
    const toIn = inView(link.to);
    if (fromIn === toIn) continue;
    const [here, far, farId, outgoing] = fromIn
      ? [link.from, link.to, link.toId, true]
      : [link.to, link.from, link.fromId, false];
    const target = describe(farId);
    if (!target) continue;
    const values = {
      label: link.label,
      text: target.text,
      paragraph: String(target.paragraph),
      arrow: far.y > band.bottom ? "↓" : "↑",
    };
    posts.push({
      relationId: link.id,
      targetId: farId,
      x: here.x + AFTER_TAG_PX,
      y: here.y - 1,
      text: outgoing ? t("links.goesTo", values) : t("links.comesFrom", values),
      name: outgoing ? t("links.goToTarget", values) : t("links.goToSource", values),
    });
  }
  return posts;
}

export interface SignpostLayer {
  readonly element: HTMLElement;
  draw(posts: Signpost[]): void;
  destroy(): void;
}

/**
 * The posts' layer, over the text; `links` is the connectors' SVG (to strengthen one) and
 * `jump` goes to a span.
 */
export function createSignpostLayer(
  doc: Document,
  links: SVGSVGElement,
  jump: (spanId: string) => void,
): SignpostLayer {
  const element = doc.createElement("div");
  element.className = "wb-signposts";
  let signature = "";
  const mark = (relationId: string, on: boolean) => {
    for (const g of links.querySelectorAll<SVGGElement>("g.wb-link-group"))
      if (g.dataset.relation === relationId) g.classList.toggle("wb-link-hover", on);
  };
  return {
    element,
    draw(posts) {
      const next = posts.map((p) => `${p.relationId}:${p.x},${p.y},${p.text}`).join("|");
      if (next === signature) return;
      signature = next;
      element.replaceChildren(
        ...posts.map((post) => {
          const button = doc.createElement("button");
          button.type = "button";
          button.className = "wb-signpost";
          button.dataset.relation = post.relationId;
          button.dataset.target = post.targetId;
          button.style.cssText = `left:${post.x}px;top:${post.y}px`;
          button.textContent = post.text;
          button.setAttribute("aria-label", post.name);
          // Pressing it must not take the text selection or start a drag on the text.
          button.addEventListener("mousedown", (e) => e.preventDefault());
          button.addEventListener("click", () => jump(post.targetId));
          for (const [type, on] of [
            ["mouseenter", true],
            ["focus", true],
            ["mouseleave", false],
            ["blur", false],
          ] as const)
            button.addEventListener(type, () => mark(post.relationId, on));
          return button;
        }),
      );
    },
    destroy() {
      element.remove();
    },
  };
}
