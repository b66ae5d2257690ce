import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportJob } from "../api/workflow";
import { formatBytes, jobDisplay, pollJob, progressPercent } from "./exportJobs";

function job(fields: Partial<ExportJob>): ExportJob {
  return {
    id: 7,
    status: "pending",
    progress: { done: 0, total: 0 },
    stale: false,
    ...fields,
  } as ExportJob;
}

describe("job display", () => {
  it("names every status with an icon and words", () => {
    expect(jobDisplay(job({ status: "pending" }))).toEqual({
      icon: "⏳",
      text: "Queued",
      tone: "pending",
    });
    expect(jobDisplay(job({ status: "running", progress: { done: 3, total: 8 } })).text).toBe(
      "Running 37%",
    );
    expect(jobDisplay(job({ status: "running" })).text).toBe("Running");
    expect(jobDisplay(job({ status: "running", stale: true })).text).toMatch(/Stalled/);
    expect(jobDisplay(job({ status: "succeeded" })).icon).toBe("✓");
    expect(jobDisplay(job({ status: "failed" })).tone).toBe("failed");
  });

  it("reports progress as a whole percentage, full once done", () => {
    expect(progressPercent(job({ status: "running", progress: { done: 1, total: 3 } }))).toBe(33);
    expect(progressPercent(job({ status: "pending" }))).toBeNull();
    expect(progressPercent(job({ status: "succeeded", progress: { done: 0, total: 0 } }))).toBe(
      100,
    );
  });

  it("formats sizes", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});

describe("pollJob", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reads once a second while the job runs and stops when it finishes", async () => {
    const answers = [
      job({ status: "pending" }),
      job({ status: "running", progress: { done: 1, total: 4 } }),
      job({ status: "running", progress: { done: 3, total: 4 } }),
      job({ status: "succeeded", progress: { done: 4, total: 4 } }),
    ];
    const load = vi.fn(async () => answers.shift() as ExportJob);
    const seen: string[] = [];
    const done = pollJob(7, { load, onUpdate: (j) => seen.push(j.status) });

    await vi.advanceTimersByTimeAsync(999);
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(load).toHaveBeenCalledTimes(4);
    expect((await done)?.status).toBe("succeeded");
    expect(seen).toEqual(["pending", "running", "running", "succeeded"]);

    await vi.advanceTimersByTimeAsync(5000);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it("stops quietly when aborted", async () => {
    const controller = new AbortController();
    const load = vi.fn(async () => job({ status: "running" }));
    const done = pollJob(7, { load, onUpdate: () => {}, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(2000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(3000);
    expect(await done).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("retries a failed read, and gives up after five in a row", async () => {
    const load = vi
      .fn<() => Promise<ExportJob>>()
      .mockRejectedValueOnce(new Error("blip"))
      .mockResolvedValueOnce(job({ status: "failed" }));
    const done = pollJob(7, { load, onUpdate: () => {} });
    await vi.advanceTimersByTimeAsync(2000);
    expect((await done)?.status).toBe("failed");

    const broken = vi.fn(async (): Promise<ExportJob> => {
      throw new Error("down");
    });
    const gaveUp = pollJob(7, { load: broken, onUpdate: () => {} });
    const caught = gaveUp.catch((err: Error) => err.message);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await caught).toBe("down");
    expect(broken).toHaveBeenCalledTimes(5);
  });
});
