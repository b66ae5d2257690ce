import { render } from "preact";
import { describe, expect, it } from "vitest";
import { ReadOnlyVersion } from "./ReadOnlyVersion";

const TEXT = 'Kata <img src=x onerror="alert(1)"> NATO & <b>Rusia</b>';

function mount(statuses: Map<string, "agreed" | "disputed"> | null) {
  const el = document.createElement("div");
  const start = [...TEXT].indexOf("N");
  render(
    <ReadOnlyVersion
      text={TEXT}
      state={{
        spans: [
          { id: "a", start, end: start + 4, label: "ORG", attributes: {} },
          { id: "b", start: 5, end: 35, label: "MISC", attributes: {} },
        ],
        relations: [],
        document_labels: {},
      }}
      colors={new Map([["ORG", "#3cb44b"]])}
      statuses={statuses}
    />,
    el,
  );
  return el;
}

describe("ReadOnlyVersion", () => {
  it("renders document text as text, never as markup", () => {
    const el = mount(null);
    expect(el.querySelector("img, b")).toBeNull();
    const marks = [...el.querySelectorAll("mark")].map((m) => m.textContent).join("");
    expect(marks).toContain('<img src=x onerror="alert(1)">');
  });

  it("tags each span with its label, status icon and status word", () => {
    const start = [...TEXT].indexOf("N");
    const el = mount(new Map([[`${start}:${start + 4}:ORG`, "agreed"]]));
    const tags = [...el.querySelectorAll(".rv-tag")].map((t) => t.textContent);
    expect(tags).toEqual(["MISC· not voting", "ORG✓ agreed"]);
    const nato = [...el.querySelectorAll("mark")].find((m) => m.textContent === "NATO");
    expect(nato?.className).toBe("rv-mark rv-agreed");
  });
});
