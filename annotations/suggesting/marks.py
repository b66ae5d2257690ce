# ruff: noqa: RUF001 -- this file is about quotation marks and dashes
"""Pair quotation marks into quoted stretches, paragraph by paragraph.

Curly and angle marks say which way they face; straight ones are read from what is around
them (a mark after a space that touches a word opens; one after a word before a space or
punctuation closes), as Markdown reads its emphasis delimiters. Double marks pair first;
single marks pair only outside double-quoted stretches, so 'nested' quotes stay inside their
outer quote. A paragraph that ends inside a quote continues into the next one when that one
opens with a mark (the newspaper convention for a quote over several paragraphs). Nothing here
decides whether a stretch is a quote or a title: see quotes.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import CLAUSE_PUNCT, DASHES, DOUBLE_MARKS, MARK, SENTENCE_END, Analysis

_OPENING = frozenset("“„‟«‘‚‹〝")
_CLOSING = frozenset("”»’›〞")
_SPACED = frozenset("«»‹›")  # French typography puts a space inside these
_BEFORE_OPEN = frozenset("([{/") | DASHES | CLAUSE_PUNCT
_AFTER_CLOSE = frozenset(")]}/") | DASHES | CLAUSE_PUNCT | SENTENCE_END


@dataclass(slots=True)
class Piece:
    """One paragraph's part of a quoted stretch: from its opening mark to its closing one."""

    open: int  # token index of the opening mark
    close: int | None  # token index of the closing mark; None when the quote is not closed
    limit: int  # character offset an unclosed piece runs to (paragraph end or next mark)


@dataclass(slots=True)
class Quoted:
    pieces: list[Piece] = field(default_factory=list)
    single: bool = False

    @property
    def closed(self) -> bool:
        return self.pieces[-1].close is not None


def find_quoted(doc: Analysis) -> list[Quoted]:
    """Every quoted stretch in text order, closed or not."""
    found: list[Quoted] = []
    carry: Quoted | None = None
    for paragraph, (first, last) in enumerate(doc.paragraph_tokens):
        if first == last:
            continue  # a blank line keeps a running quote open
        pieces = _paragraph_pieces(doc, paragraph, first, last)
        if carry is not None:
            head = pieces[0] if pieces else None
            if head and head[0].open == first and head[1] == carry.single:
                carry.pieces.append(head[0])
                pieces = pieces[1:]
                if head[0].close is not None:
                    found.append(carry)
                    carry = None
            else:
                found.append(carry)
                carry = None
        for index, (piece, single) in enumerate(pieces):
            trailing = piece.close is None and index == len(pieces) - 1
            if trailing and piece.limit == doc.paragraphs[paragraph][1]:
                carry = Quoted([piece], single)  # may continue in the next paragraph
            else:
                found.append(Quoted([piece], single))
    if carry is not None:
        found.append(carry)
    found.sort(key=lambda q: q.pieces[0].open)
    return found


def _paragraph_pieces(
    doc: Analysis, paragraph: int, first: int, last: int
) -> list[tuple[Piece, bool]]:
    end = doc.paragraphs[paragraph][1]
    marks = [i for i in range(first, last) if doc.tokens[i].kind == MARK]
    doubles = [i for i in marks if doc.tokens[i].text in DOUBLE_MARKS]
    double_pieces = _pair(doc, doubles, end)
    pieces = [(p, False) for p in double_pieces]
    singles = _outside(
        doc, [i for i in marks if doc.tokens[i].text not in DOUBLE_MARKS], double_pieces
    )
    pieces += [(p, True) for p in _pair(doc, singles, end)]
    pieces.sort(key=lambda item: item[0].open)
    return pieces


def _outside(doc: Analysis, marks: list[int], pieces: list[Piece]) -> list[int]:
    """The marks not inside any of the (sorted, disjoint) pieces, in one sweep."""
    kept = []
    k = 0
    for i in marks:
        position = doc.tokens[i].start
        while k < len(pieces) and _piece_end(doc, pieces[k]) <= position:
            k += 1
        if k < len(pieces) and doc.tokens[pieces[k].open].start <= position:
            continue
        kept.append(i)
    return kept


def _piece_end(doc: Analysis, piece: Piece) -> int:
    return doc.tokens[piece.close].end if piece.close is not None else piece.limit


def _pair(doc: Analysis, marks: list[int], paragraph_end: int) -> list[Piece]:
    """Pair one kind of mark within a paragraph; unclosed openings become open pieces."""
    pieces: list[Piece] = []
    superseded: list[int] = []  # positions in `marks` of openings followed by another opening
    current: int | None = None  # position in `marks` of the opening waiting for its close
    for position, i in enumerate(marks):
        can_open, can_close = _roles(doc, i)
        if current is not None and can_close:
            pieces.append(Piece(marks[current], i, 0))
            current = None
        elif current is None and can_open:
            current = position
        elif current is not None and can_open:
            superseded.append(current)  # an unbalanced mark, or the start of a nested quote
            current = position
        elif current is None and can_close and superseded:
            # A second close after a nested quote closes the outer one: “… “x” …”.
            outer = marks[superseded.pop()]
            while pieces and pieces[-1].open > outer:
                pieces.pop()
            pieces.append(Piece(outer, i, 0))
    for position in superseded:
        limit = doc.tokens[marks[position + 1]].start
        pieces.append(Piece(marks[position], None, limit))
    if current is not None:
        pieces.append(Piece(marks[current], None, paragraph_end))
    pieces.sort(key=lambda p: p.open)
    return pieces


def _roles(doc: Analysis, i: int) -> tuple[bool, bool]:
    """(may open, may close) for the mark at token i, from its shape and its neighbours."""
    text = doc.text
    token = doc.tokens[i]
    char = token.text
    before = text[token.start - 1] if token.start > 0 else " "
    after = text[token.end] if token.end < len(text) else " "
    left = not after.isspace() and (before.isspace() or before in _BEFORE_OPEN or _is_mark(before))
    right = not before.isspace() and (after.isspace() or after in _AFTER_CLOSE or _is_mark(after))
    if char in _OPENING:
        if char in _SPACED:
            return True, False
        return not after.isspace(), right and not left
    if char in _CLOSING:
        if char in _SPACED:
            return False, True
        return left and not right, not before.isspace()
    if left and right:  # a"b: no telling; let the state decide
        return True, True
    return left, right


def _is_mark(char: str) -> bool:
    return char in DOUBLE_MARKS or char in _OPENING or char in _CLOSING or char == "'"
