import { afterEach, describe, expect, it } from "vitest";
import type { Dashboard, MemberFigures } from "../api/team";
import { setLanguage } from "../i18n";
import {
  bucketName,
  formatDuration,
  formatShare,
  links,
  throughputAnnotators,
} from "./dashboardView";

afterEach(() => setLanguage("en"));

const period: Dashboard["period"] = { after: "2026-03-01", before: "2026-03-10", bucket: "day" };
const alice = { username: "alice" } as MemberFigures;

describe("formatDuration", () => {
  it("reads as seconds, minutes or hours, in the interface language", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(4.54)).toBe("4.5 s");
    expect(formatDuration(45.4)).toBe("45 s");
    expect(formatDuration(170)).toBe("2 min 50 s");
    expect(formatDuration(3599.6)).toBe("1 h 0 min");
    expect(formatDuration(5 * 3600 + 31 * 60)).toBe("5 h 31 min");
    setLanguage("id");
    expect(formatDuration(4.54)).toBe("4,5 dtk");
    expect(formatDuration(170)).toBe("2 mnt 50 dtk");
  });

  it("formats agreement with two decimals", () => {
    expect(formatShare(0.5)).toBe("0.50");
    expect(formatShare(null)).toBe("—");
    setLanguage("id");
    expect(formatShare(0.825)).toMatch(/^0,8[23]$/);
  });
});

describe("links", () => {
  it("open the documents table with the filter that lists the documents behind a figure", () => {
    expect(links.state(4, "disputed")).toBe("/projects/4/documents/?state=disputed");
    expect(links.progress(4, alice, "skipped")).toBe(
      "/projects/4/documents/?annotator=alice&annotator_status=skipped",
    );
    expect(links.timed(4, alice, period)).toBe(
      "/projects/4/documents/?annotator=alice&annotator_status=submitted" +
        "&submitted_after=2026-03-01&submitted_before=2026-03-10",
    );
    const day = { start: "2026-03-02", end: "2026-03-02" };
    expect(links.throughput(4, day)).toBe(
      "/projects/4/documents/?submitted_after=2026-03-02&submitted_before=2026-03-02",
    );
    expect(links.label(4, "PER & co")).toBe("/projects/4/documents/?label=PER+%26+co");
    expect(links.agreement(4, day)).toBe(
      "/projects/4/documents/?compared=true&last_submitted_after=2026-03-02" +
        "&last_submitted_before=2026-03-02&ordering=agreement",
    );
  });
});

describe("buckets", () => {
  it("names a day or a week, whatever the browser's time zone", () => {
    expect(bucketName({ start: "2026-03-02", end: "2026-03-02" }, "day")).toBe("Mar 2");
    expect(bucketName({ start: "2026-03-02", end: "2026-03-08" }, "week")).toBe("Mar 2 – Mar 8");
    setLanguage("id");
    expect(bucketName({ start: "2026-03-02", end: "2026-03-02" }, "day")).toBe("2 Mar");
  });

  it("lists every annotator of the throughput once, by name", () => {
    const data = {
      throughput: [
        { start: "a", end: "a", total: 2, by_annotator: { bob: 1, alice: 1 } },
        { start: "b", end: "b", total: 1, by_annotator: { carol: 1, bob: 0 } },
      ],
    } as unknown as Dashboard;
    expect(throughputAnnotators(data)).toEqual(["alice", "bob", "carol"]);
  });
});
