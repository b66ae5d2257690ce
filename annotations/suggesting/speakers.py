# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""Speaker mentions next to a cue: names without their titles, organisations, nominals, pronouns.

Conventions (the corpus README says the same): a PER span is the name only ("Jens
Stoltenberg", not "Sekjen NATO Jens Stoltenberg"; "Amina Yusuf", not "Dr. Amina Yusuf"); an ORG
span is the organisation's name with an English "the" before it; a speaker with no name is its
noun phrase ("seorang pejabat dari NATO", "a company spokesperson"); a pronoun is itself, and a
clitic is the "nya" of "katanya".
"""

from __future__ import annotations

from .cues import Lexicon
from .text import WORD, Analysis, Token
from .types import Mention

_PARTICLES = frozenset(("bin", "binti", "van", "von", "de", "da", "der", "del", "al", "el", "dos"))
_MAX_NAME = 4
_MAX_NP = 9


class Speakers:
    """Finds speaker mentions in one analysed text for one language."""

    def __init__(self, doc: Analysis, lex: Lexicon):
        self.doc = doc
        self.lex = lex
        self.tokens = doc.tokens
        self.places = self._places()

    def _places(self) -> frozenset[str]:
        """Words used as places in this text: after 'di'/'in', or a dateline's city."""
        places = set()
        tokens = self.tokens
        for i in range(1, len(tokens)):
            if tokens[i].is_capitalised and tokens[i - 1].text in self.lex.locatives:
                places.add(tokens[i].text)
        for paragraph, (first, _) in enumerate(self.doc.paragraph_tokens):
            end = self.doc.dateline_end(paragraph)
            for token in self.tokens[first : self.doc.index_at(end)]:
                if token.kind == WORD and token.text.isupper():
                    places.add(token.text.capitalize())
        return frozenset(places)

    # --- token classes -------------------------------------------------------------------

    def is_title(self, i: int) -> bool:
        return self.tokens[i].lower in self.lex.titles

    def is_acronym(self, i: int) -> bool:
        text = self.tokens[i].text.rstrip(".")
        letters = [c for c in text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)

    def is_org(self, i: int) -> bool:
        return self.tokens[i].lower in self.lex.org_words

    def is_pronoun(self, i: int) -> bool:
        lower = self.tokens[i].lower
        return lower in self.lex.pronouns or lower in self.lex.plural_pronouns

    def is_name_like(self, i: int, *, last: bool) -> bool:
        """A capitalised word that can be part of a person's name."""
        token = self.tokens[i]
        if not token.is_capitalised or token.lower in _PARTICLES:
            return False
        lower = token.lower
        if self.is_title(i) or self.is_acronym(i) or self.is_org(i) or self.is_pronoun(i):
            return False
        if lower in self.lex.modifiers or lower in self.lex.openers:
            return False
        if i > 0 and self.tokens[i - 1].lower in self.lex.place_words:
            return False  # "Kota Bandung", "Exchange Street" is the other way round
        # A word also written in lower case is a common word ("Selatan", "Kesehatan"), and a
        # word used as a place is a place ("di Jakarta"), except at the end of a name, where
        # surnames like Grant or Baker are common words too.
        if last:
            return True
        return token.text.lower() not in self.doc.lowercase_words and token.text not in self.places

    # --- mentions from a noun phrase -----------------------------------------------------

    def mention(self, first: int, last: int) -> Mention | None:
        """The speaker mention in the noun phrase tokens[first:last], if it is one."""
        tokens = self.tokens
        while first < last and tokens[first].lower in self.lex.openers and last - first > 1:
            first += 1
        if first >= last or any(t.kind != WORD for t in tokens[first:last]):
            return None
        if last - first == 1 and self.is_pronoun(first):
            return self._mention(first, last, "PER", "pronoun")
        organisation = self._organisation(first, last)
        if organisation:
            return organisation
        if self.is_name_like(last - 1, last=True) and not self._has_connector(first, last):
            return self._name(first, last)
        return self._nominal(first, last)

    def _mention(self, first: int, last: int, label: str, kind: str) -> Mention:
        start, end = self.tokens[first].start, self.tokens[last - 1].end
        return Mention(start, end, label, kind)  # type: ignore[arg-type]

    def _name(self, first: int, last: int) -> Mention:
        k = last - 1
        while k - 1 >= first and len(range(k - 1, last)) <= _MAX_NAME:
            if self.is_name_like(k - 1, last=False):
                k -= 1
            elif (
                self.tokens[k - 1].lower in _PARTICLES
                and k - 2 >= first
                and self.is_name_like(k - 2, last=False)
            ):
                k -= 2
            else:
                break
        return self._mention(k, last, "PER", "name")

    def _capitalised_tail(self, first: int, last: int) -> int:
        """Where the trailing run of capitalised words (with 'of', 'dan' inside) starts."""
        k = last
        joiners = ("of", "for", "and", "dan", "&")
        while k - 1 >= first:
            token = self.tokens[k - 1]
            if token.is_capitalised or (token.lower in joiners and k < last):
                k -= 1
            else:
                break
        while k < last and not self.tokens[k].is_capitalised:
            k += 1
        return k

    def _organisation(self, first: int, last: int) -> Mention | None:
        tail = self._capitalised_tail(first, last)
        if tail >= last:
            return None
        span = range(tail, last)
        has_title = any(self.is_title(i) for i in range(first, last))
        org_like = any(self.is_org(i) for i in span) or all(
            self.is_acronym(i) or self.tokens[i].lower in self.lex.modifiers for i in span
        )
        if has_title or not org_like:
            return None
        before = [t.lower for t in self.tokens[first:tail]]
        if any(w in self.lex.connectors for w in before):
            return None  # "seorang pejabat dari NATO" is a person, not NATO
        if self.lex.language == "id" and any(w not in self.lex.determiners for w in before):
            return None  # Indonesian heads come first: "pejabat NATO" is an official
        if tail > first and self.tokens[tail - 1].lower == "the":
            tail -= 1
        return self._mention(tail, last, "ORG", "name")

    def _has_connector(self, first: int, last: int) -> bool:
        """'Fishermen in Malindi': a common noun with a place after it is no name."""
        if self.tokens[first].is_capitalised and not self._sentence_initial(first):
            return False
        return any(self.tokens[i].lower in self.lex.connectors for i in range(first, last))

    def _sentence_initial(self, i: int) -> bool:
        return self.doc.sentence_start[i] == i

    def _nominal(self, first: int, last: int) -> Mention | None:
        if last - first > _MAX_NP:
            return None
        words = [t.lower for t in self.tokens[first:last]]
        if not any(w not in self.lex.determiners for w in words):
            return None
        label = "ORG" if self._head(words) in self.lex.org_heads else "PER"
        return self._mention(first, last, label, "nominal")

    def _head(self, words: list[str]) -> str:
        content = [w for w in words if w not in self.lex.determiners]
        if self.lex.language == "id":
            return content[0] if content else ""
        before_connector = []
        for word in content:
            if word in self.lex.connectors:
                break
            before_connector.append(word)
        return before_connector[-1] if before_connector else ""

    # --- around a cue --------------------------------------------------------------------

    def before(self, cue: int, boundary: int) -> Mention | None:
        """The speaker ending just before the cue token (tokens from `boundary` on)."""
        tokens = self.tokens
        k = cue
        while k - 1 >= boundary and tokens[k - 1].lower in self.lex.adverbs:
            k -= 1
        if k - 1 >= boundary and tokens[k - 1].text == ",":
            return self._apposition(k - 1, boundary)
        first = k
        while (
            first - 1 >= boundary
            and tokens[first - 1].kind == WORD
            and k - first < _MAX_NP
            and not self._sentence_start_between(first - 1, first)
        ):
            first -= 1
        if first == k:
            return None
        mention = self.mention(first, k)
        if mention and mention.kind == "nominal" and not self._at_boundary(first, boundary):
            return None  # a nominal must start its clause: "… oleh para pendukungnya itu"
        return mention

    def _sentence_start_between(self, i: int, j: int) -> bool:
        return self.doc.sentence_start[j] == j and i < j

    def _at_boundary(self, first: int, boundary: int) -> bool:
        if first == boundary or self._sentence_initial(first):
            return True
        previous = self.tokens[first - 1]
        return previous.text in ",;:—–-" or previous.end <= self.doc.dateline_end(
            self.doc.token_paragraph[first]
        )

    def _apposition(self, comma: int, boundary: int) -> Mention | None:
        """'Pelatih timnas, Rudi Hartanto, mengaku' or 'Dr. Priya Raman, a dentist …, said'."""
        tokens = self.tokens
        k = comma
        k = self._skip_age(k, boundary)
        if tokens[k - 1].text == "," and k - 1 > boundary:
            k -= 1  # "James Adams, 45, said": the comma before the age
        first = k
        while first - 1 >= boundary and tokens[first - 1].kind == WORD and k - first < 6:
            first -= 1
        if first < k and (first == boundary or tokens[first - 1].text in ",;:"):
            inner = self.mention(first, k)
            if inner and inner.kind == "name":
                return inner
        return self._subject_before_apposition(comma, boundary)

    def _skip_age(self, k: int, boundary: int) -> int:
        """Step back over '(54)' or ', 45' before a comma; returns the new end index."""
        tokens = self.tokens
        if k - 3 >= boundary and tokens[k - 1].text == ")" and tokens[k - 3].text == "(":
            return k - 3
        if k - 1 >= boundary and tokens[k - 1].text.isdigit():
            return k - 1
        return k

    def _subject_before_apposition(self, comma: int, boundary: int) -> Mention | None:
        tokens = self.tokens
        first = self.doc.sentence_start[comma]
        first = max(
            first,
            boundary,
            self.doc.index_at(self.doc.dateline_end(self.doc.token_paragraph[comma])),
        )
        end = first
        while end < comma and tokens[end].kind == WORD and end - first <= 6:
            end += 1
        if end == first or end >= comma or tokens[end].text != "," or end - first > 6:
            return None
        if comma - end > 16:
            return None
        mention = self.mention(first, end)
        return mention if mention and mention.kind == "name" else None

    def after(self, start: int, limit: int) -> tuple[Mention, int] | None:
        """The speaker starting at token `start` (after a cue); with the index after it."""
        tokens = self.tokens
        if start >= limit or tokens[start].kind != WORD:
            return None
        if self.is_pronoun(start):
            return self._mention(start, start + 1, "PER", "pronoun"), start + 1
        end = start
        named = False
        while end < limit and tokens[end].kind == WORD and end - start < _MAX_NP:
            token = tokens[end]
            if token.lower in self.lex.stop_words and (
                named or token.lower not in self.lex.connectors
            ):
                break
            if token.is_capitalised and not self.is_title(end):
                named = True
            end += 1
        if end == start:
            return None
        apposed = self._apposed_name(end, limit)
        mention = self.mention(start, end)
        if mention and mention.kind == "nominal" and apposed:
            return apposed
        return (mention, end) if mention else None

    def _apposed_name(self, end: int, limit: int) -> tuple[Mention, int] | None:
        """'said its chairman, Colin Hughes, …': the name after a nominal."""
        tokens = self.tokens
        if end >= limit or tokens[end].text != ",":
            return None
        k = end + 1
        while k < limit and tokens[k].is_capitalised and k - end <= _MAX_NAME:
            k += 1
        if k == end + 1 or (k < limit and tokens[k].text not in ",.;"):
            return None
        mention = self.mention(end + 1, k)
        return (mention, k) if mention and mention.kind == "name" else None

    # --- clitics -------------------------------------------------------------------------

    def split_clitic(self, token: Token, stems: frozenset[str]) -> int | None:
        """Where the clitic starts in 'katanya' / 'menurutnya' (None if there is none)."""
        clitic = self.lex.clitic
        lower = token.text.lower()
        if clitic and lower.endswith(clitic) and lower[: -len(clitic)] in stems:
            return token.end - len(clitic)
        return None
