"""Server-side catalog completeness: every string Django would show has its Indonesian
translation. The browser's catalogs have their own test (frontend/src/i18n/catalogs.test.ts)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "locale" / "id" / "LC_MESSAGES" / "django.po"
# What makemessages reads: our code, templates and the settings that name the catalogs.
SOURCES = ["annotations", "workbench", "manage.py", "locale"]


def _gettext(tool: str, *args: str) -> str:
    if not shutil.which(tool):
        pytest.fail(f"{tool} is missing: run scripts/ensure-gettext (Debian's gettext)")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def _entries(output: str) -> list[str]:
    """The msgids in a msgattrib selection, without the header."""
    ids = [line[len("msgid ") :] for line in output.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in ids if msgid != '""']


def _untranslated_or_fuzzy(po: Path) -> dict[str, list[str]]:
    return {
        "untranslated": _entries(_gettext("msgattrib", "--untranslated", "--no-obsolete", po)),
        "fuzzy": _entries(_gettext("msgattrib", "--only-fuzzy", "--no-obsolete", po)),
    }


def test_indonesian_catalog_has_no_untranslated_or_fuzzy_entry():
    """Every entry of locale/id's django.po is translated and none is marked fuzzy."""
    assert _untranslated_or_fuzzy(CATALOG) == {"untranslated": [], "fuzzy": []}


def test_indonesian_catalog_compiles_with_matching_placeholders():
    """msgfmt --check accepts the catalog: each translation keeps its %(name)s placeholders."""
    _gettext("msgfmt", "--check", "-o", "/dev/null", str(CATALOG))


def test_makemessages_finds_no_string_missing_from_the_catalog(tmp_path):
    """Re-extracting the strings from the code and templates adds nothing untranslated: a
    new or changed gettext string fails here until it is translated (`make messages-update`)."""
    for name in SOURCES:
        source = REPO / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    assert _untranslated_or_fuzzy(tmp_path / CATALOG.relative_to(REPO)) == {
        "untranslated": [],
        "fuzzy": [],
    }


TEMPLATES = REPO / "annotations" / "templates"
# Attributes a person reads; a literal word there skipped {% translate %}.
_READ_ATTRIBUTE = re.compile(
    r"""\b(?:title|alt|placeholder|aria-label|aria-description)\s*=\s*"([^"\x00]*)\"""", re.I
)


def _untranslated_text(source: str) -> list[str]:
    """Words a template shows that no {% translate %} / {% blocktranslate %} produced."""
    from django.template.base import Lexer, TokenType

    # The page as the template's own text, each tag and variable a \x00 (so a tag split by
    # {% if %} is still one tag), translated and commented text left out.
    shown: list[str] = []
    skipping = False
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK else ""
        if name in ("blocktranslate", "blocktrans", "comment"):
            skipping = True
        elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
            skipping = False
        elif token.token_type == TokenType.TEXT and not skipping:
            shown.append(token.contents)
            continue
        shown.append("\x00")
    text = re.sub(r"<!--.*?-->", " ", "".join(shown), flags=re.S)
    found = [v for v in _READ_ATTRIBUTE.findall(text) if re.search(r"[^\W\d_]{2}", v)]
    text = re.sub(r"<[^>]*>", " ", text)
    found += re.findall(r"[^\W\d_]{2,}[^<\x00]*", text)
    return sorted(f.strip() for f in found)


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))
)
def test_template_text_goes_through_translate(template):
    """No word in a server-rendered page bypasses Django's translation tags."""
    assert _untranslated_text((TEMPLATES / template).read_text()) == []


def test_the_template_check_finds_a_bare_word():
    """The check above is not blind: a bare word, a bare title and text in a tag are found."""
    assert _untranslated_text('<p>Hello</p><a title="Back">{% translate "Ok" %}</a>') == [
        "Back",
        "Hello",
    ]
    assert _untranslated_text("{% load i18n %}<p>{% translate 'Fine' %} · 2</p>") == []
