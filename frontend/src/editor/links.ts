/**
 * Draws relations as SVG connectors over the document: an arc when both ends
 * share a line, otherwise a curve through the left gutter so links between
 * paragraphs stay readable. Only relations touching painted blocks are drawn.
 */
const SVG_NS = "http://www.w3.org/2000/svg";

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

export function linkPath(from: LinkEnd, to: LinkEnd, gutterX: number): string {
  if (Math.abs(from.y - to.y) < 8) {
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

const drawn = new WeakMap<SVGSVGElement, string>();

export function drawLinks(
  svg: SVGSVGElement,
  links: LinkDrawing[],
  gutterX: number,
  className = "wb-link",
): void {
  // Redrawing a document-tall SVG costs a repaint; skip it when nothing moved.
  const signature = links
    .map((l) => `${l.id}:${l.from.x},${l.from.y},${l.to.x},${l.to.y},${l.selected ? 1 : 0}`)
    .join("|");
  if (drawn.get(svg) === signature) return;
  drawn.set(svg, signature);
  const doc = svg.ownerDocument;
  const defs = svg.firstChild;
  svg.replaceChildren(...(defs ? [defs] : []));
  for (const link of links) {
    const path = doc.createElementNS(SVG_NS, "path");
    // Spread parallel gutter runs a little so neighbouring links stay apart.
    const lane = [...link.id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % 5;
    path.setAttribute("d", linkPath(link.from, link.to, gutterX + lane * 6));
    path.setAttribute("class", link.selected ? `${className} wb-link-selected` : className);
    path.setAttribute("marker-end", "url(#wb-arrow)");
    path.dataset.relation = link.id;
    svg.appendChild(path);
  }
}
