"""From a cleaned article and its quotations to the entries of a draft brief.

The article becomes Markdown whose text, as a reader sees it, is the article's
text exactly: characters Markdown would read as syntax are escaped. Every
quotation is then anchored with the checker's own `find_quote`; one found
more than once gets a prefix or suffix, one that cannot be placed is left to
the editor as a comment. The article's words are indexed once for all its
quotations (`passages.Occurrences`): a long article with thousands of quotations
is drafted in time that grows with its length, not with quotations times length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..base.diagnostics import Span
from ..source.model import Quote
from ..source.yamlsrc import slugify
from ..text.anchor import places_of
from ..text.passages import Occurrences
from ..text.readertext import ReaderText, make_markdown, project
from .attribution import Speaker
from .htmltext import Block
from .quotes import Quotation
from .speakers import Casting

INLINE_SYNTAX = re.compile(r"([\\`*_\[\]<~|])|(&(?=#?\w+;))")
LINE_START = re.compile(r"^([#>+=-])")
LIST_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
CONTEXT_WORDS = range(1, 9)
CLAIM_ID_WORDS = 6


@dataclass(frozen=True, slots=True)
class Article:
    """The Markdown of a brief's article, and the line of each block in it."""

    text: str
    lines: tuple[int, ...]  # 1-based .md line of each block


@dataclass(frozen=True, slots=True)
class Anchoring:
    """How a quotation is written in the YAML so that it designates one place."""

    exact: str
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One drafted claim or response: a quotation, its speaker's actor and its quote."""

    quotation: Quotation
    actor: str | None  # None: the speaker could not be resolved
    anchoring: Anchoring | None  # None: the words could not be placed in the article
    line: int  # the .md line of its paragraph
    candidates: tuple[str, ...] = ()  # who may have said it, most likely first, when unsure


def escape(text: str) -> str:
    """Plain text as Markdown that reads as the same text (backslash escapes)."""
    out = INLINE_SYNTAX.sub(lambda m: "\\" + m.group(0), text)
    out = LINE_START.sub(r"\\\1", out.strip())
    return LIST_NUMBER.sub(r"\1\\\2", out)


def article_markdown(blocks: Sequence[Block], markdown: bool = False) -> Article:
    """The blocks as Markdown: paragraphs apart by blank lines, headings as `## `."""
    parts: list[str] = []
    lines: list[int] = []
    line = 1
    for block in blocks:
        body = block.text if markdown else escape(block.text)
        parts.append(f"## {body}" if block.kind == "h" else body)
        lines.append(line)
        line += body.count("\n") + 2
    return Article("\n\n".join(parts) + "\n", tuple(lines))


def reader_blocks(blocks: Sequence[Block], markdown: bool) -> list[str | None]:
    """Each paragraph's text as a reader sees it (None for headings): what quotes match."""
    if not markdown:
        return [b.text if b.kind == "p" else None for b in blocks]
    md = make_markdown()
    return [project(md.parse(b.text)).raw if b.kind == "p" else None for b in blocks]


def entries(quotations: Sequence[Quotation], casting: Casting, article: Article,
            paragraphs: Sequence[str | None], md_path: str,
            candidate: Callable[[Speaker], str] = lambda who: who.name or who.phrase,
            ) -> list[Entry]:
    """Each quotation with its actor and a quote that anchors once in `article`.

    Only a quotation whose speaker is certain gets an actor; the others keep their
    candidates (`candidate` names each: its actor's id, or the article's words).
    """
    reader = project(make_markdown().parse(article.text))
    occurrences = Occurrences(reader.norm)
    out = []
    for quotation in quotations:
        text = paragraphs[quotation.block] or ""
        anchoring = place(quotation, text, reader, occurrences, md_path)
        actor = casting.actor_of(quotation.speaker) if quotation.sure else None
        out.append(Entry(quotation, actor, anchoring, article.lines[quotation.block],
                         tuple(dict.fromkeys(map(candidate, quotation.candidates)))))
    return out


def place(quotation: Quotation, paragraph: str, reader: ReaderText, occurrences: Occurrences,
          md_path: str) -> Anchoring | None:
    """The exact words, with as little context as makes them designate one place."""
    exact = " ".join(quotation.exact.split())
    before = paragraph[:quotation.start].split()
    after = paragraph[quotation.start + len(quotation.exact):].split()
    tries = [Anchoring(exact)]
    tries += [Anchoring(exact, prefix=" ".join(before[-n:])) for n in CONTEXT_WORDS
              if n <= len(before)]
    tries += [Anchoring(exact, suffix=" ".join(after[:n])) for n in CONTEXT_WORDS
              if n <= len(after)]
    for anchoring in tries:
        quote = Quote(anchoring.exact, Span(md_path), anchoring.prefix, anchoring.suffix)
        if len(places_of(quote, reader, occurrences)[1]) == 1:
            return anchoring
    return None


def claim_id(exact: str, taken: set[str], fallback: str) -> str:
    """An id for a drafted claim from its first words, unique among `taken`."""
    base = slugify(" ".join(exact.split()[:CLAIM_ID_WORDS]))[:60].strip("-") or fallback
    ident, number = base, 2
    while ident in taken:
        ident, number = f"{base}-{number}", number + 1
    return ident
