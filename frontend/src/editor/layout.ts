/**
 * Lanes for span underlines: overlapping or nested spans get different lanes,
 * adjacent spans (one ends where the next starts) may share one. Outer spans
 * get the lower lane so nesting reads top-down.
 */

export interface Interval {
  id: string;
  start: number;
  end: number;
}

export function assignLanes(intervals: readonly Interval[]): Map<string, number> {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end);
  const laneEnds: number[] = [];
  const lanes = new Map<string, number>();
  for (const iv of sorted) {
    let lane = laneEnds.findIndex((end) => end <= iv.start);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(iv.end);
    } else {
      laneEnds[lane] = iv.end;
    }
    lanes.set(iv.id, lane);
  }
  return lanes;
}

/** The innermost (shortest) interval containing `offset`, or the next one after `currentId` to cycle through stacks. */
export function pickAt(
  intervals: readonly Interval[],
  offset: number,
  currentId?: string | null,
): Interval | undefined {
  const hits = intervals
    .filter((iv) => iv.start <= offset && offset < iv.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start);
  if (!hits.length) return undefined;
  const at = hits.findIndex((iv) => iv.id === currentId);
  return hits[(at + 1) % hits.length];
}
