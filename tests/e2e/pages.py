"""Shared checks for every page in the browser tests: axe-core, screenshots, screen sizes
and locales. Any test (this helper's or a new screen's) calls them:

    check_page(page, "project-dashboard", viewport="phone")   # screenshot + axe

axe-core comes from its pinned npm package (frontend/node_modules/axe-core, installed by
`npm ci`); it is evaluated in the page through the DevTools protocol, which a
Content-Security-Policy without inline scripts does not block. Screenshots go to
`DATA_DIR/screenshots/` (var/test/screenshots/ under `make test`, git-ignored) and are
listed at the end of the test run.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from tests.e2e.conftest import FRONTEND

AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("DATA_DIR", "var/test")).resolve() / "screenshots"
# The sizes issue 11 names: a phone and a small laptop.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1024, "height": 768}}
LOCALES = {"id": "id-ID", "en": "en-US"}
# Impacts that fail a test; axe's "minor" and "moderate" findings are printed only.
BLOCKING = ("serious", "critical")
TAKEN: list[Path] = []

# English words that must not show on a page in Indonesian (whole words, case-sensitive).
ENGLISH = (
    "Loading",
    "Save",
    "Submit",
    "Skip",
    "Next document",
    "My projects",
    "Log out",
    "Settings",
    "Exports",
    "Agreement",
    "Documents",
    "Guidelines",
    "Review",
    "Undo",
    "Redo",
    "Help",
    "Spans",
    "Links",
    "Sentiment",
    "Cancel",
    "Delete",
    "Remove",
    "Download",
    "Upload",
    "Members",
    "All changes saved",
    "Merge proposal",
    "Accept",
    "Reject",
    "Gold",
    "Page not found",
    # A label's texts as they read untranslated (its group, attribute and value names): the
    # Indonesian editor and review page must show the label's `translations` instead.
    "sentiment",
    "positive",
    "neutral",
    "negative",
    "quote type",
    "direct",
    "indirect",
)

# The page's visible text without what is marked `translate="no"`: a label's name (PER,
# `positive`) is the dataset's identifier, the same in every language.
_TRANSLATABLE_TEXT = """() => {
  const kept = [...document.querySelectorAll('[translate="no"]')].map((el) => [
    el,
    el.getAttribute("style"),
  ]);
  for (const [el] of kept) el.style.setProperty("display", "none", "important");
  try {
    return document.body.innerText;
  } finally {
    for (const [el, style] of kept)
      style === null ? el.removeAttribute("style") : el.setAttribute("style", style);
  }
}"""


@cache
def _axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `npm ci` in frontend/ (axe-core is pinned)")
    return AXE.read_text()


def axe_violations(page, *, blocking_only: bool = True) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A and AA rules)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, {
            runOnly: {type: 'tag',
                      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
          });
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary),
          }));
        }"""
    )
    for violation in found:
        print(f"axe {violation['impact']}: {violation['id']} {violation['help']}")
    return [v for v in found if not blocking_only or v["impact"] in BLOCKING]


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe-core violation on the page."""
    violations = axe_violations(page)
    if os.environ.get("AXE_REPORT_ONLY"):
        return
    assert not violations, f"{name}: axe found {violations}"


def screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    TAKEN.append(path)
    return path


def english_on_page(page) -> list[str]:
    """The known English words visible on the page (for pages that should be Indonesian),
    leaving out identifiers marked `translate="no"`."""
    text = page.evaluate(_TRANSLATABLE_TEXT)
    return [word for word in ENGLISH if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def check_page(page, name: str) -> None:
    """What every page gets: a screenshot, then axe-core."""
    screenshot(page, name)
    assert_accessible(page, name)


CATALOGS = FRONTEND / "src" / "i18n" / "locales"


@cache
def _catalog(lang: str) -> dict:
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


def _plural(lang: str, count: int) -> str:
    # CLDR's cardinal rules for the two catalogs: Indonesian has one form, English two.
    return "one" if lang == "en" and count == 1 else "other"


def ui_text(key: str, lang: str = "id", **values: object) -> str:
    """The browser app's text for `key` as a user of `lang` reads it: the message from
    frontend/src/i18n/locales/<lang>.json (its plural form when `count` is given, as
    i18next picks it), with `{{name}}` filled from `values`."""
    node: object = _catalog(lang)
    *path, last = key.split(".")
    for part in path:
        node = node[part]  # type: ignore[index]
    assert isinstance(node, dict), key
    if "count" in values:
        last = f"{last}_{_plural(lang, int(values['count']))}"  # type: ignore[call-overload]
    message = node[last]
    assert isinstance(message, str), key
    return re.sub(r"\{\{(\w+)\}\}", lambda m: str(values[m.group(1)]), message)
