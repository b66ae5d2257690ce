import type { Project } from "../api/types";
import { formatPercent, t } from "../i18n";

export function Progress({ progress }: { progress: Project["progress"] }) {
  const done = progress.submitted + progress.skipped;
  const share = progress.total ? done / progress.total : 0;
  return (
    <span class="progress">
      <progress max={progress.total || 1} value={done} aria-label={t("progress.mine")} />
      <span>
        {t("progress.summary", {
          submitted: progress.submitted,
          skipped: progress.skipped,
          count: progress.total,
          percent: formatPercent(share),
        })}
      </span>
    </span>
  );
}
