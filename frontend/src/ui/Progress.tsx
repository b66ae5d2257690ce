import type { Project } from "../api/types";

export function Progress({ progress }: { progress: Project["progress"] }) {
  const done = progress.submitted + progress.skipped;
  const pct = progress.total ? Math.round((100 * done) / progress.total) : 0;
  return (
    <span class="progress">
      <progress max={progress.total || 1} value={done} aria-label="My progress" />
      <span>
        {progress.submitted} submitted, {progress.skipped} skipped of {progress.total} ({pct}%)
      </span>
    </span>
  );
}
