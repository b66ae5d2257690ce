"""Links you can read, in Chromium: each quote→speaker connector carries its relation's
name, two quotes of one speaker run in two lanes, and a link whose speaker is off screen
says where it goes and goes there when pressed (DECISIONS.md 64). Label tags reach WCAG AA
contrast, measured in the page and computed here from WCAG's own formula."""

import re

import pytest

from tests.articles import ARTICLE, QUOTE
from tests.e2e.conftest import login, text_box
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page
from tests.factories import DocumentFactory
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECOND_QUOTE = "Kalau hasilnya baik, koridor lain menyusul tahun depan"
SPEAKER = "Dewi Anggraini"  # far below both quotes
TAGGED_IN_QUOTE = "warga merasakan"  # in the first quote, near its start
PARAGRAPH = 1 + [line for line in ARTICLE.splitlines() if line.strip()].index(
    next(line for line in ARTICLE.splitlines() if SPEAKER in line)
)


def at(needle: str, label: str, sid: str) -> dict:
    start = ARTICLE.index(needle)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label}


@pytest.fixture
def two_quotes_one_speaker(cast):
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title="Bus", length=len(ARTICLE))
    annotate(
        doc,
        cast.annotator,
        spans=[
            at(QUOTE, "QUOTE", "q1"),
            at(SECOND_QUOTE, "QUOTE", "q2"),
            at(SPEAKER, "PER", "p"),
            at(TAGGED_IN_QUOTE, "MISC", "m"),  # its tag sits where the first post would
        ],
        relations=[
            {"id": "r1", "from": "q1", "to": "p", "label": "SPEAKER"},
            {"id": "r2", "from": "q2", "to": "p", "label": "SPEAKER"},
        ],
        status="draft",
    )
    return doc


# The label tags a signpost overlaps, as "post text / tag label" pairs.
COVERED_TAGS = """() => {
  const tags = [...document.querySelectorAll('.wb-tag')];
  return [...document.querySelectorAll('.wb-signpost')].flatMap((post) => {
    const p = post.getBoundingClientRect();
    return tags
      .filter((tag) => {
        const t = tag.getBoundingClientRect();
        return t.left < p.right && t.right > p.left && t.top < p.bottom && t.bottom > p.top;
      })
      .map((tag) => `${post.textContent} / ${tag.dataset.label}`);
  });
}"""


def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def contrast(a: str, b: str) -> float:
    """WCAG 2.x contrast of two CSS rgb() colours (written out here, not taken from the app)."""

    def luminance(css: str) -> float:
        r, g, b = (float(v) for v in re.findall(r"[\d.]+", css)[:3])
        return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("lang", sorted(LOCALES))
def test_links_are_labelled_apart_and_say_where_they_go(
    cast, live_server, browser, two_quotes_one_speaker, lang
):
    doc = two_quotes_one_speaker
    context = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES[lang])
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        login(page, live_server, "alice")
        page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/{doc.pk}/")
        page.locator("[data-block]").first.wait_for()
        groups = page.locator("svg.wb-links g.wb-link-group")
        groups.nth(1).wait_for(state="attached")
        # Each connector shows its relation's name.
        assert set(groups.locator("text").all_text_contents()) == {"SPEAKER"}
        assert groups.locator("text").count() == 4  # two long runs, labelled at both ends
        # Two quotes, one speaker: two lanes, two gutter runs.
        lanes = {g.get_attribute("data-lane") for g in groups.all()}
        assert len(lanes) == 2
        paths = [g.locator("path").get_attribute("d") for g in groups.all()]
        runs = {re.search(r"Q([\d.]+),", d)[1] for d in paths}
        assert len(runs) == 2
        # With the quotes in view the speaker is far below: each link says where it goes.
        text_box(page, SECOND_QUOTE)  # scrolls the second quote to the middle
        word = "paragraph" if lang == "en" else "paragraf"
        posts = page.locator(".wb-signpost")
        posts.nth(1).wait_for()
        assert posts.all_text_contents() == [f"→ {SPEAKER}, {word} {PARAGRAPH} ↓"] * 2
        # A post never covers a label tag: it moves along its row past the MISC tag.
        assert page.evaluate(COVERED_TAGS) == []
        assert page.locator(".wb-tag[data-label='MISC']").is_visible()
        check_page(page, f"links-signposts-{lang}")
        # Hovering a post strengthens its own connector, not the other.
        posts.first.hover()
        relation = posts.first.get_attribute("data-relation")
        hovered = page.locator(f'g.wb-link-group[data-relation="{relation}"]')
        assert "wb-link-hover" in hovered.get_attribute("class")
        other = page.locator(f'g.wb-link-group:not([data-relation="{relation}"])')
        assert "wb-link-hover" not in other.get_attribute("class")
        # Pressing it goes there: the speaker is selected and on screen, and now the
        # quotes (above, off screen) are the ones signposted.
        posts.first.click()
        selected = page.locator("#annotation-panel .details .quote-text")
        selected.filter(has_text=SPEAKER).wait_for()
        page.locator(".wb-signpost", has_text="↑").first.wait_for()
        assert all(text.startswith("← ") for text in posts.all_text_contents())
        box = page.locator(".article-scroll").bounding_box()
        tag = page.locator(".wb-tag[data-label='PER']").first.bounding_box()
        assert box["y"] <= tag["y"] <= box["y"] + box["height"]
        # Tags are readable: black or white text on the label colour, AA or better.
        tags = page.locator(".wb-tag").evaluate_all(
            "ts => ts.map(t => [getComputedStyle(t).color, getComputedStyle(t).backgroundColor])"
        )
        assert tags
        for color, background in tags:
            assert contrast(color, background) >= 4.5, (color, background)
    finally:
        context.close()
