/**
 * A deterministic long article for the benchmark: ~100,000 characters in
 * paragraphs, a few emoji (so the surrogate-pair path is exercised), spans
 * on word boundaries with overlaps and nesting, and QUOTE→PER relations.
 */
import type { AnnotationState, Label, Relation, Span } from "../src/editor/types";

const WORDS =
  "pemerintah menteri pertahanan aliansi latihan nuklir rutin tahunan wartawan Brussel Jakarta Ukraina Rusia NATO Stoltenberg sekretaris jenderal mengatakan kekuatan militer sinyal salah perang pertemuan para negara anggota kilometer pejabat manuver bagian utama jet tempur pesawat pengintai bahan bakar".split(
    " ",
  );
const EMOJI = ["😀", "🇮🇩", "👍🏽", "🌧️"];

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export function makeText(chars: number, rand: () => number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    let para = "";
    const target = 300 + Math.floor(rand() * 500);
    while (para.length < target) {
      const w = WORDS[Math.floor(rand() * WORDS.length)];
      para += (para ? " " : "") + (rand() < 0.01 ? EMOJI[Math.floor(rand() * EMOJI.length)] : w);
      if (rand() < 0.08) para += ".";
    }
    parts.push(para);
    length += para.length + 2;
  }
  return parts.join("\n\n").slice(0, chars);
}

/** Code point offsets of every word start/end, for word-aligned spans. */
function wordBounds(text: string): Array<[number, number]> {
  const cps = Array.from(text);
  const bounds: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= cps.length; i++) {
    const isSpace = i === cps.length || /\s/.test(cps[i]);
    if (!isSpace && start < 0) start = i;
    if (isSpace && start >= 0) {
      bounds.push([start, i]);
      start = -1;
    }
  }
  return bounds;
}

export function makeAnnotation(
  text: string,
  spanCount: number,
  relationCount: number,
  rand: () => number,
): AnnotationState {
  const words = wordBounds(text);
  const labels = ["PER", "ORG", "LOC", "EVENT", "MISC"];
  const spans: Span[] = [];
  const step = Math.max(1, Math.floor(words.length / spanCount));
  for (let i = 0; i < spanCount; i++) {
    const w = Math.min(words.length - 1, i * step + Math.floor(rand() * step));
    const len = 1 + Math.floor(rand() * 3);
    const last = Math.min(words.length - 1, w + len - 1);
    const quote = i % 10 === 5;
    spans.push({
      id: `s${i}`,
      start: words[w][0],
      end: words[quote ? Math.min(words.length - 1, w + 8) : last][1],
      label: quote ? "QUOTE" : labels[Math.floor(rand() * labels.length)],
      attributes: quote ? { quote_type: "direct" } : {},
    });
  }
  const relations: Relation[] = [];
  for (let i = 0; i < spans.length && relations.length < relationCount; i++) {
    if (spans[i].label !== "QUOTE") continue;
    const speaker = spans[i - 1]?.label === "QUOTE" ? spans[i - 2] : spans[i - 1];
    if (!speaker) continue;
    speaker.label = "PER";
    relations.push({
      id: `r${relations.length}`,
      from: spans[i].id,
      to: speaker.id,
      label: "SPEAKER",
    });
  }
  return { spans, relations, document_labels: {} };
}

const L = (
  id: number,
  kind: Label["kind"],
  name: string,
  color: string,
  hotkey: string,
  extra: Partial<Label> = {},
): Label => ({
  id,
  kind,
  name,
  color,
  hotkey,
  description: "",
  attributes: {},
  source_labels: [],
  target_labels: [],
  group: "",
  multiple: false,
  ...extra,
});

/** The news preset, as the API serves it. */
export const NEWS_LABELS: Label[] = [
  L(1, "span", "PER", "#e6194b", "p"),
  L(2, "span", "ORG", "#3cb44b", "o"),
  L(3, "span", "LOC", "#4363d8", "l"),
  L(4, "span", "EVENT", "#f58231", "e"),
  L(5, "span", "MISC", "#911eb4", "m"),
  L(6, "span", "QUOTE", "#ffe119", "q", {
    attributes: {
      quote_type: ["direct", "indirect"],
      sentiment: ["positive", "neutral", "negative"],
    },
  }),
  L(7, "relation", "SPEAKER", "#000075", "s", {
    source_labels: ["QUOTE"],
    target_labels: ["PER", "ORG"],
  }),
  L(8, "document", "positive", "#2e7d32", "1", { group: "sentiment" }),
  L(9, "document", "neutral", "#757575", "2", { group: "sentiment" }),
  L(10, "document", "negative", "#c62828", "3", { group: "sentiment" }),
];
