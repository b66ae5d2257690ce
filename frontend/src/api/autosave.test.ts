import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Op } from "../editor/types";
import { Autosave, BACKUP_WITHIN_MS, MAX_OPS, readBackup } from "./autosave";
import { ApiError } from "./errors";
import type { SaveState } from "./saveState";

const op = (id: string): Op => ({ op: "delete_span", id });

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("autosave", () => {
  it("debounces ops into one PATCH with the last version and takes the new one", async () => {
    const send = vi.fn(async (_m: string, body: unknown) => ({
      status: 200,
      data: { version: (body as { version: number }).version + 1 },
    }));
    const saver = new Autosave({ version: 3, send, delay: 500 });
    saver.push([op("a")]);
    saver.push([op("b")]);
    await vi.advanceTimersByTimeAsync(600);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]).toEqual(["PATCH", { version: 3, ops: [op("a"), op("b")] }]);
    expect(saver.current).toMatchObject({ status: "saved", version: 4 });
  });

  it("sends more ops than one PATCH may carry in several, in order", async () => {
    const send = vi.fn(async (_m: string, body: unknown) => ({
      status: 200,
      data: { version: (body as { version: number }).version + 1 },
    }));
    const saver = new Autosave({ version: 0, send, delay: 10 });
    const ops = Array.from({ length: MAX_OPS + 3 }, (_, i) => op(`s${i}`));
    saver.push(ops);
    await vi.advanceTimersByTimeAsync(50);
    const bodies = send.mock.calls.map((c) => c[1] as { version: number; ops: Op[] });
    expect(bodies.map((b) => [b.version, b.ops.length])).toEqual([
      [0, MAX_OPS],
      [1, 3],
    ]);
    expect(bodies.flatMap((b) => b.ops)).toEqual(ops);
    expect(saver.current).toMatchObject({ status: "saved", version: 2 });
  });

  it("stops on 409, keeps the edits, and overwrites with PUT on request", async () => {
    const states: SaveState[] = [];
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(409, { detail: "stale", current_version: 7 }))
      .mockResolvedValueOnce({ status: 200, data: { version: 8 } });
    const saver = new Autosave({ version: 3, send, delay: 10, onState: (s) => states.push(s) });
    saver.push([op("a")]);
    await vi.advanceTimersByTimeAsync(20);
    expect(saver.current).toMatchObject({ status: "conflict", theirVersion: 7 });
    saver.push([op("b")]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(saver.hasUnsaved).toBe(true);
    await saver.overwrite({ spans: [], relations: [], document_labels: {} });
    expect(send.mock.calls[1][0]).toBe("PUT");
    expect(send.mock.calls[1][1]).toMatchObject({ version: 7 });
    expect(saver.current).toMatchObject({ status: "saved", version: 8 });
    expect(saver.hasUnsaved).toBe(false);
  });

  it("retries after a network failure without losing or reordering ops", async () => {
    const send = vi
      .fn()
      .mockRejectedValueOnce(new ApiError(0, null))
      .mockResolvedValue({ status: 200, data: { version: 2 } });
    const storage = memoryStorage();
    const saver = new Autosave({ version: 1, send, delay: 10, storage, storageKey: "k" });
    saver.push([op("a")]);
    await vi.advanceTimersByTimeAsync(20);
    expect(saver.current.status).toBe("offline");
    expect(readBackup(storage, "k")).toEqual({ version: 1, ops: [op("a")] });
    saver.push([op("b")]);
    await vi.advanceTimersByTimeAsync(1100);
    expect(send.mock.calls[1][1]).toEqual({ version: 1, ops: [op("a"), op("b")] });
    expect(saver.current).toMatchObject({ status: "saved", version: 2 });
    expect(readBackup(storage, "k")).toBeNull();
  });

  it("writes an edit's backup off the edit's frame, and at once when asked (the page goes)", async () => {
    const send = vi.fn(async () => ({ status: 200, data: { version: 2 } }));
    const storage = memoryStorage();
    const saver = new Autosave({ version: 1, send, delay: 5000, storage, storageKey: "k" });
    saver.push([op("a")]);
    expect(readBackup(storage, "k")).toBeNull(); // not in the key press's task
    await vi.advanceTimersByTimeAsync(BACKUP_WITHIN_MS);
    expect(readBackup(storage, "k")).toEqual({ version: 1, ops: [op("a")] });
    saver.push([op("b")]);
    saver.writeBackup(); // pagehide: before the page can go
    expect(readBackup(storage, "k")).toEqual({ version: 1, ops: [op("a"), op("b")] });
    await vi.advanceTimersByTimeAsync(6000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(readBackup(storage, "k")).toBeNull();
  });

  it("flush resolves once everything is saved", async () => {
    const send = vi.fn(async () => ({ status: 200, data: { version: 5 } }));
    const saver = new Autosave({ version: 4, send, delay: 5000 });
    saver.push([op("a")]);
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe(true);
  });
});
