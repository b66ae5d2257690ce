/**
 * Interrupted quotes and chains on the 100,000-character article: 1,000 two-fragment
 * quotes (each interrupted by its speaker, "…," ujar X, "…") and 500 chains of four
 * mentions spread over the whole text. Times the edits an annotator makes (join, split,
 * add to a chain, merge, rename, delete, undo) and selecting a mention, which outlines
 * its whole chain, each with a forced layout; then scrolling through it all.
 */
import { createEditor } from "../src/editor";
import type { AnnotationState, Chain, Op, Relation, Span } from "../src/editor/types";
import { NEWS_LABELS } from "./generate";

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: values.length, median: r(at(0.5)), p95: r(at(0.95)), max: r(sorted.at(-1) ?? 0) };
}

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

/**
 * 1,000 quotes of two fragments, three words each around a two-word interruption whose
 * second word is the speaker (PER), and a later mention of each speaker; 500 chains of
 * four mentions each, two near the top of the text and two half-way down.
 */
export function makeStructured(text: string): AnnotationState {
  const words = wordBounds(text);
  const spans: Span[] = [];
  const relations: Relation[] = [];
  const quotes = 1000;
  const step = Math.floor(words.length / quotes);
  for (let i = 0; i < quotes; i++) {
    const w = i * step;
    if (w + 10 >= words.length) break;
    const first: [number, number] = [words[w][0], words[w + 2][1]];
    const second: [number, number] = [words[w + 5][0], words[w + 7][1]];
    spans.push({
      id: `q${i}`,
      start: first[0],
      end: second[1],
      fragments: [first, second],
      label: "QUOTE",
      attributes: { quote_type: "direct" },
    });
    spans.push({
      id: `p${i}`,
      start: words[w + 4][0],
      end: words[w + 4][1],
      label: "PER",
      attributes: {},
    });
    relations.push({ id: `r${i}`, from: `q${i}`, to: `p${i}`, label: "SPEAKER" });
    // A later mention of the same person ("dia", "Stoltenberg"), for the chains.
    spans.push({
      id: `m${i}`,
      start: words[w + 9][0],
      end: words[w + 9][1],
      label: "PER",
      attributes: {},
    });
  }
  // Chain k: the speakers of quotes k and k+500 and their later mentions, far apart.
  const chains: Chain[] = [];
  const byId = new Map(spans.map((s) => [s.id, s]));
  for (let k = 0; k < 500; k++) {
    chains.push({ id: `c${k}`, name: "" });
    for (const id of [`p${k}`, `m${k}`, `p${k + 500}`, `m${k + 500}`]) {
      const s = byId.get(id);
      if (s) s.chain = `c${k}`;
    }
  }
  return { spans, relations, document_labels: {}, chains };
}

export async function structurePerf(host: HTMLElement, scroller: HTMLElement, text: string) {
  const state = makeStructured(text);
  const paints: Array<{ blocks: number; ms: number }> = [];
  host.replaceChildren();
  scroller.scrollTop = 0;
  const t0 = performance.now();
  const editor = createEditor(host, {
    text,
    labels: NEWS_LABELS,
    state,
    scrollRoot: scroller,
    onPaint: (p) => paints.push(p),
  });
  await editor.whenPainted();
  const firstPaintMs = performance.now() - t0;
  await frame();
  const timed = (act: () => void) => {
    const t = performance.now();
    act();
    void host.getBoundingClientRect();
    return performance.now() - t;
  };
  const apply = (ops: Op[]) => timed(() => editor.apply(ops));
  // The quotes near the top are on screen; their speakers' chains reach the whole text.
  const onScreen = editor.spansInOrder().filter((s) => s.label === "QUOTE" && s.start < 4000);
  const mentionsPerChain = (editor.chains().map((c) => c.mentions.length) as number[]).sort();
  const split: number[] = [];
  const join: number[] = [];
  const select: number[] = [];
  const addToChain: number[] = [];
  const removeFromChain: number[] = [];
  const rename: number[] = [];
  const merge: number[] = [];
  const deleteChain: number[] = [];
  const undo: number[] = [];
  for (let i = 0; i < 100; i++) {
    const q = onScreen[i % onScreen.length];
    const speaker = `p${q.id.slice(1)}`;
    split.push(timed(() => editor.splitFragment(q.id, 1)));
    undo.push(timed(() => editor.undo()));
    const [a, b] = q.fragments ?? [
      [q.start, q.end],
      [q.start, q.end],
    ];
    // Joining: the quote as one fragment again, then the second fragment joined back.
    apply([{ op: "update_span", id: q.id, start: a[0], end: a[1], fragments: null }]);
    join.push(apply([{ op: "update_span", id: q.id, start: a[0], end: b[1], fragments: [a, b] }]));
    // Selecting a chained mention outlines its whole chain (four blocks far apart).
    select.push(timed(() => editor.selectSpan(speaker)));
    select.push(timed(() => editor.selectSpan(null)));
    const chain = editor.getSpan(speaker)?.chain ?? "";
    removeFromChain.push(apply([{ op: "update_span", id: speaker, chain: null }]));
    addToChain.push(apply([{ op: "update_span", id: speaker, chain }]));
    rename.push(timed(() => editor.renameChain(chain, `Chain ${i}`)));
    const other = `c${(Number(chain.slice(1)) + 1) % 500}`;
    merge.push(timed(() => editor.mergeChains(chain, other)));
    undo.push(timed(() => editor.undo()));
    deleteChain.push(timed(() => editor.deleteChain(chain)));
    undo.push(timed(() => editor.undo()));
    if (i % 10 === 0) await frame();
  }
  const kept = editor.getState();
  const result = {
    quotes: state.spans.filter((s) => s.label === "QUOTE").length,
    two_fragment_quotes: kept.spans.filter((s) => s.fragments?.length === 2).length,
    chains: kept.chains?.length ?? 0,
    chained_mentions: kept.spans.filter((s) => s.chain).length,
    mentions_per_chain: [mentionsPerChain[0], mentionsPerChain.at(-1)],
    first_paint_ms: Math.round(firstPaintMs),
    join_ms: stats(join),
    split_ms: stats(split),
    select_chained_mention_ms: stats(select),
    add_to_chain_ms: stats(addToChain),
    remove_from_chain_ms: stats(removeFromChain),
    rename_chain_ms: stats(rename),
    merge_chains_ms: stats(merge),
    delete_chain_ms: stats(deleteChain),
    undo_ms: stats(undo),
  };
  editor.destroy();
  return result;
}
