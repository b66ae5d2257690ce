/** Export jobs for display, and the loop that follows one until it finishes. */
import type { ExportJob } from "../api/workflow";
import { t } from "../i18n";

export type Tone = "pending" | "running" | "succeeded" | "failed";

export interface JobDisplay {
  icon: string;
  text: string;
  tone: Tone;
}

export const isActive = (job: Pick<ExportJob, "status">): boolean =>
  job.status === "pending" || job.status === "running";

/** Share of documents done, 0..100; null while the total is unknown (not started yet). */
export function progressPercent(job: Pick<ExportJob, "status" | "progress">): number | null {
  if (job.status === "succeeded") return 100;
  const { done, total } = job.progress;
  if (!total) return null;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

export function jobDisplay(job: Pick<ExportJob, "status" | "progress" | "stale">): JobDisplay {
  switch (job.status) {
    case "pending":
      return { icon: "⏳", text: t("exports.queued"), tone: "pending" };
    case "running": {
      if (job.stale) return { icon: "⚠", text: t("exports.stalled"), tone: "running" };
      const pct = progressPercent(job);
      const text =
        pct === null ? t("exports.running") : t("exports.runningPct", { pct: String(pct) });
      return { icon: "▶", text, tone: "running" };
    }
    case "succeeded":
      return { icon: "✓", text: t("exports.done"), tone: "succeeded" };
    case "failed":
      return { icon: "✗", text: t("exports.failed"), tone: "failed" };
    default:
      return { icon: "?", text: String(job.status), tone: "pending" };
  }
}

/** An export scope as the interface language says it. */
export function scopeText(scope: string): string {
  if (scope === "gold") return t("exports.scopeGold");
  if (scope === "all") return t("exports.scopeAll");
  if (scope === "agreed") return t("exports.scopeAgreed");
  return scope;
}

export function formatBytes(size: number | null): string {
  if (size === null || size === undefined) return "—";
  if (size < 1024) return `${size} B`;
  const units = ["KB", "MB", "GB"];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export interface PollOptions {
  load: (jobId: number) => Promise<ExportJob>;
  onUpdate: (job: ExportJob) => void;
  /** Milliseconds between reads while the job is pending or running. */
  interval?: number;
  signal?: AbortSignal;
}

/**
 * Reads the job every `interval` ms until it is neither pending nor running
 * (or the signal aborts), reporting each read. A failed read is retried at
 * the next tick, up to five in a row, so a blip does not stop the bar.
 */
export function pollJob(jobId: number, options: PollOptions): Promise<ExportJob | null> {
  const interval = options.interval ?? 1000;
  let failures = 0;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (options.signal?.aborted) return resolve(null);
      let job: ExportJob;
      try {
        job = await options.load(jobId);
        failures = 0;
      } catch (err) {
        if (++failures >= 5) return reject(err);
        return void setTimeout(tick, interval);
      }
      if (options.signal?.aborted) return resolve(null);
      options.onUpdate(job);
      if (isActive(job)) setTimeout(tick, interval);
      else resolve(job);
    };
    setTimeout(tick, interval);
  });
}
