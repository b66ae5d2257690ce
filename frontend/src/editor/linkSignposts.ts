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
// The post's box as editor.css draws it (10 px bold text, 5 px padding, 24em at most), so
// it can be placed without measuring it first.
const POST_CHAR_PX = 6.2;
const POST_PAD_PX = 12;
const POST_MAX_PX = 240;
const POST_HEIGHT_PX = 14;
const GAP_PX = 4;

/** A label tag painted in the text (the link layer's coordinates). */
export interface TagBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Where on its row a post of `width` starting at `x` covers no tag: past each tag it would
 * overlap, left to right (the tags of a row never overlap one another, painter.ts).
 */
export function clearOfTags(x: number, y: number, width: number, tags: TagBox[]): number {
  const row = tags
    .filter((tag) => tag.top < y + POST_HEIGHT_PX && tag.bottom > y)
    .sort((a, b) => a.left - b.left);
  let left = x;
  for (const tag of row) if (tag.left < left + width && tag.right > left) left = tag.right + GAP_PX;
  return left;
}

/**
 * The posts for the links drawn, given the band of the layer in view ([top, bottom] in
 * its coordinates). A link with both ends in view, or neither, has none. A post sits on
 * its end's tag row and moves right past the tags there (`tags`, read only when some post
 * is placed), so it never covers another span's label.
 */
export function signposts(
  links: LinkEnds[],
  band: { top: number; bottom: number },
  describe: Describe,
  tags: () => TagBox[] = () => [],
): Signpost[] {
  let painted: TagBox[] | null = null;
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
    const text = outgoing ? t("links.goesTo", values) : t("links.comesFrom", values);
    const width = Math.min(POST_MAX_PX, text.length * POST_CHAR_PX + POST_PAD_PX);
    const y = here.y - 1;
    painted ??= tags();
    posts.push({
      relationId: link.id,
      targetId: farId,
      x: clearOfTags(here.x + AFTER_TAG_PX, y, width, painted),
      y,
      text,
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
