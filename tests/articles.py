"""The articles the tests annotate.

Our own Indonesian news article lives in tests/data/ and is always there. It has what
news text brings to the editor and the offset code: direct quotes attributed by
"kata", a quote interrupted by its attribution ("…," ujar X, "…."), curly and straight
quotation marks, CRLF line endings and an emoji outside the BMP before the quotes.

The team's shared sample sits beside the repository on our machines, never in a fresh
clone; tests on it are extra and skip with a reason when it is absent.
"""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def read_article(path: Path) -> str:
    """The file's text exactly: read_text's universal newlines would turn CRLF into LF."""
    return path.read_bytes().decode("utf-8-sig")


ARTICLE_PATH = DATA / "semarang-bus-listrik.id.txt"
ARTICLE = read_article(ARTICLE_PATH)

# Needles in ARTICLE; each test finds its offsets with str.index, as Python counts them.
PERSON = "Rina Wulandari"  # first mention of the speaker
SURNAME = "Wulandari"  # its next occurrence is the speaker right after QUOTE
ORG = "Dishub"
QUOTE = (
    "Kami ingin warga merasakan sendiri bahwa bus listrik itu senyap, sejuk, dan datang "
    "tepat waktu, bukan sekadar janji di atas kertas"
)
QUOTE_PHRASE = "bukan sekadar janji"  # a few words inside QUOTE, for find-by-keyboard
SPEAKER_AFTER_QUOTE = "Wulandari kepada"  # "…,” kata Wulandari kepada wartawan"
PLACES = ("Tembalang", "Jatingaleh")

SHARED_ARTICLE_PATH = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "samples"
    / "tribunnews-nato-steadfast-noon.id.txt"
)
needs_shared_article = pytest.mark.skipif(
    not SHARED_ARTICLE_PATH.exists(),
    reason=(
        f"the shared sample {SHARED_ARTICLE_PATH} is not beside this checkout (a fresh clone "
        f"has none); tests/data/{ARTICLE_PATH.name} covers the same features"
    ),
)
