/**
 * Draws relations as labelled SVG connectors over the document (DECISIONS.md 64): an arc
 * when both ends share a line, otherwise a connector through the left gutter so links
 * between paragraphs never cross the words. Each connector carries its relation's label
 * (along the arc's top, or upright along its gutter run, near both ends of a long one) and gets a gutter lane of its own
 * wherever its run overlaps another's, so two quotes of one speaker are two lines with two
 * labels that meet only at the arrow. Hovering a connector's label strengthens it (CSS).
 * Only relations touching painted blocks are drawn (paintLoop.ts).
 */
import { assignLanes } from "./layout";

const SVG_NS = "http://www.w3.org/2000/svg";
// Gutter lanes: the first at gutterX, each next one LANE_GAP further right, LANES in all
// (the gutter is 44 px: editor.css `.wb-doc`); a lane's arrow enters its end LANE_RISE px
// higher, so links converging on one speaker arrive apart.
const LANE_GAP = 7;
const LANES = 5;
const LANE_RISE = 3;

export interface LinkEnd {
  x: number;
  y: number;
}

export interface LinkDrawing {
  id: string;
  from: LinkEnd;
  to: LinkEnd;
  label: string;
  selected: boolean;
}

/** A link as drawn: its path, its lane and where its label sits. */
export interface PlacedLink extends LinkDrawing {
  lane: number;
  d: string;
  /** Where its labels' middles sit; `upright` ones run bottom-to-top along the gutter. */
  labels: Array<{ x: number; y: number; upright: boolean }>;
}

export function createLinkLayer(doc: Document, className = "wb-links"): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  const defs = doc.createElementNS(SVG_NS, "defs");
  const marker = doc.createElementNS(SVG_NS, "marker");
  marker.setAttribute("id", "wb-arrow");
  marker.setAttribute("viewBox", "0 0 10 10");
  marker.setAttribute("refX", "9");
  marker.setAttribute("refY", "5");
  marker.setAttribute("markerWidth", "7");
  marker.setAttribute("markerHeight", "7");
  marker.setAttribute("orient", "auto-start-reverse");
  const tip = doc.createElementNS(SVG_NS, "path");
  tip.setAttribute("d", "M0,0 L10,5 L0,10 z");
  tip.setAttribute("fill", "#333");
  marker.appendChild(tip);
  defs.appendChild(marker);
  svg.appendChild(defs);
  return svg;
}

const sameLine = (from: LinkEnd, to: LinkEnd) => Math.abs(from.y - to.y) < 8;

export function linkPath(from: LinkEnd, to: LinkEnd, gutterX: number): string {
  if (sameLine(from, to)) {
    const lift = 12 + Math.min(24, Math.abs(to.x - from.x) / 10);
    const top = Math.min(from.y, to.y) - lift;
    return `M${from.x},${from.y} C${from.x},${top} ${to.x},${top} ${to.x},${to.y}`;
  }
  // Between lines: run along the tag row, down the left gutter, and back in along
  // the other tag row, so the connector never crosses the words themselves.
  const r = 6;
  const down = to.y > from.y ? 1 : -1;
  return [
    `M${from.x},${from.y}`,
    `H${gutterX + r}`,
    `Q${gutterX},${from.y} ${gutterX},${from.y + r * down}`,
    `V${to.y - r * down}`,
    `Q${gutterX},${to.y} ${gutterX + r},${to.y}`,
    `H${to.x}`,
  ].join(" ");
}

/**
 * Lanes, paths and label places. Gutter connectors whose vertical runs overlap get
 * different lanes (the interval lanes of layout.ts, over their runs in pixels); beyond
 * LANES they share the lanes again, in order.
 */
export function placeLinks(links: LinkDrawing[], gutterX: number): PlacedLink[] {
  const runs = links
    .filter((l) => !sameLine(l.from, l.to))
    .map((l) => ({
      id: l.id,
      start: Math.min(l.from.y, l.to.y),
      end: Math.max(l.from.y, l.to.y) + 1,
    }));
  const lanes = assignLanes(runs);
  return links.map((link) => {
    if (sameLine(link.from, link.to)) {
      const lift = 12 + Math.min(24, Math.abs(link.to.x - link.from.x) / 10);
      // The curve's highest point is three quarters of the control points' lift.
      const top = Math.min(link.from.y, link.to.y) - lift * 0.75;
      return {
        ...link,
        lane: 0,
        d: linkPath(link.from, link.to, gutterX),
        labels: [{ x: (link.from.x + link.to.x) / 2, y: top - 3, upright: false }],
      };
    }
    const lane = (lanes.get(link.id) ?? 0) % LANES;
    const x = gutterX + lane * LANE_GAP;
    const to = { x: link.to.x, y: link.to.y - lane * LANE_RISE };
    return {
      ...link,
      lane,
      d: linkPath(link.from, to, x),
      labels: gutterLabels(x - 2, link.from.y, to.y),
    };
  });
}

// A gutter run longer than this is labelled near each end rather than in its middle, so
// the relation's name is on screen wherever the reader is along it.
const LONG_RUN_PX = 200;
const LABEL_INSET_PX = 42;

function gutterLabels(x: number, fromY: number, toY: number) {
  const down = toY > fromY ? 1 : -1;
  if (Math.abs(toY - fromY) <= LONG_RUN_PX) return [{ x, y: (fromY + toY) / 2, upright: true }];
  return [
    { x, y: fromY + down * LABEL_INSET_PX, upright: true },
    { x, y: toY - down * LABEL_INSET_PX, upright: true },
  ];
}

const drawn = new WeakMap<SVGSVGElement, string>();

export function drawLinks(
  svg: SVGSVGElement,
  links: LinkDrawing[],
  gutterX: number,
  className = "wb-link",
): void {
  // Redrawing a document-tall SVG costs a repaint; skip it when nothing moved.
  const signature = links
    .map(
      (l) => `${l.id}:${l.from.x},${l.from.y},${l.to.x},${l.to.y},${l.selected ? 1 : 0},${l.label}`,
    )
    .join("|");
  if (drawn.get(svg) === signature) return;
  drawn.set(svg, signature);
  const doc = svg.ownerDocument;
  const defs = svg.firstChild;
  svg.replaceChildren(...(defs ? [defs] : []));
  for (const link of placeLinks(links, gutterX)) {
    const group = doc.createElementNS(SVG_NS, "g");
    group.setAttribute("class", link.selected ? "wb-link-group wb-link-selected" : "wb-link-group");
    group.dataset.relation = link.id;
    group.dataset.lane = String(link.lane);
    const path = doc.createElementNS(SVG_NS, "path");
    path.setAttribute("d", link.d);
    path.setAttribute("class", link.selected ? `${className} wb-link-selected` : className);
    path.setAttribute("marker-end", "url(#wb-arrow)");
    path.dataset.relation = link.id;
    group.appendChild(path);
    for (const { x, y, upright } of link.labels) {
      const text = doc.createElementNS(SVG_NS, "text");
      text.setAttribute("class", "wb-link-label");
      text.setAttribute("x", String(x));
      text.setAttribute("y", String(y));
      text.setAttribute("text-anchor", "middle");
      text.setAttribute("dominant-baseline", "central");
      if (upright) text.setAttribute("transform", `rotate(-90 ${x} ${y})`);
      text.textContent = link.label;
      group.appendChild(text);
    }
    svg.appendChild(group);
  }
}
