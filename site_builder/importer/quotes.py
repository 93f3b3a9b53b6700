"""Finding the direct quotations of an article, and who speaks each one.

Only words between quotation marks are quotations: a paraphrase never is.
Short quoted words inside a sentence ("credible" intelligence) are scare
quotes, not quotations, unless they run to a few words and the sentence names
a speaker. A quotation with no attribution of its own continues the speaker of
an earlier quotation in its paragraph, or of the paragraph before (wire copy
quotes a speaker over several paragraphs), or is named in the paragraph after
(a quotation split over two paragraphs, attributed at the end).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .attribution import (
    SENTENCE_END,
    Speaker,
    lead_in,
    named_after_verb,
    sentence_head,
    sentence_tail,
    speaker,
    tail,
)
from .coreference import Cast, Resolution
from .mentions import Mention, persons_in

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
CLOSES = {"„": "“”", "“": "”", "«": "»", '"': '"'}  # „low-high“ closes with what opens elsewhere
OPENS_AFTER = " \t\n([{—–-/:"
MIN_EMBEDDED_WORDS = 4  # fewer quoted words inside a sentence are a scare quote
MIN_BARE_WORDS = 4  # a quotation with no speaker found is kept only from this length
INTRODUCED = re.compile(r"(?:[:,]|\bthat|\bas saying)\s*$")
TOLD = re.compile(r"\b(?:told|tells)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s*)+")
# words quoted after these are someone's words about something: a quotation from four words
NAMING = re.compile(r"\b(?:called|described|branded|dubbed|labell?ed|termed)\b[^.!?]*$")
COLON_NAME = re.compile(r"^(?P<who>[^:,.]{2,60}):\s*$")
NAMED_AFTER = re.compile(r"^(?:(?:So|Thus) said|(?:That|This|Those|These) (?:was|were|came from) "
                         r"(?:the (?:message|words|warning|view|verdict|reply|answer) "
                         r"(?:of|from)\s)?)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Marked:
    """A passage between quotation marks: offsets in its paragraph's text."""

    start: int  # the opening mark
    end: int  # just past the closing mark, or the paragraph's end when unclosed
    closed: bool

    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


@dataclass(frozen=True, slots=True)
class Quotation:
    """A direct quotation: its exact words, where they are, who says them and how we know."""

    block: int  # index of its paragraph among the article's blocks
    start: int  # offset of `exact` in the paragraph
    exact: str
    speaker: Speaker | None
    how: str  # how the speaker was found, for the editor
    said: str = ""  # the attribution as written, e.g. "EU spokesman Peter Stano"
    sure: bool = False  # the attribution is certain: it may be written as `by:`
    candidates: tuple[Speaker, ...] = ()  # who may have said it, most likely first, if not sure


@dataclass(frozen=True, slots=True)
class _Found:
    """A quotation before continuations are resolved."""

    quote: Quotation
    introduced: bool  # starts a paragraph or sentence, or follows "said:" / "that"
    attributed: bool  # its sentence names a speaker (perhaps one not resolved: "officials")
    at_start: bool  # the paragraph starts with it
    closed: bool
    named_before: frozenset[str] = frozenset()  # people named since the previous quotation
    end: int = 0  # just past its closing mark


def find_marks(text: str) -> list[Marked]:
    """Quoted passages of one paragraph; an unclosed one runs to the end (a split quote)."""
    marks: list[Marked] = []
    opened: int | None = None
    for i, char in enumerate(text):
        if char not in OPENING + CLOSING + STRAIGHT:
            continue
        if opened is not None and (char in CLOSES[text[opened]] or (
                char in CLOSING + STRAIGHT and text[opened] != "„")):
            marks.append(Marked(opened, i + 1, True))
            opened = None
        elif opened is None and (char in OPENING or (char == STRAIGHT and _opens(text, i))):
            opened = i
    if opened is not None:
        marks.append(Marked(opened, len(text), False))
    return marks


def _opens(text: str, i: int) -> bool:
    return (i == 0 or text[i - 1] in OPENS_AFTER) and i + 1 < len(text) \
        and not text[i + 1].isspace()


def exact_words(text: str, mark: Marked) -> tuple[int, str]:
    """Offset and words of a quotation, without the comma or period closing its sentence."""
    start, end = mark.inner()
    while start < end and text[start].isspace():
        start += 1
    inner = text[start:end].rstrip()
    inner = inner.rstrip(",;:")
    if inner.endswith(".") and not inner.endswith(".."):
        inner = inner[:-1]
    return start, inner.rstrip()


@dataclass(frozen=True, slots=True)
class _Paragraph:
    """What pass one found in a paragraph."""

    own: list[_Found]  # its quotations, with the speakers their sentences name
    narrator: Speaker | None  # a speaker of its indirect speech, when it has no quotation
    names_previous: Speaker | None  # "So said X" / "That was the reply of X"
    heading: bool = False
    named_after: frozenset[str] = frozenset()  # people named after its last quotation


def find_quotations(paragraphs: Sequence[str | None]) -> tuple[Quotation, ...]:
    """Every direct quotation of the article; `None` stands for a heading."""
    cast = Cast()
    read: list[_Paragraph] = []
    for index, text in enumerate(paragraphs):
        if not text:
            cast.heading()
            read.append(_Paragraph([], None, None, heading=True))
            continue
        cast.read(text)
        names_previous = _names_previous(text, cast)
        own = _own_quotations(index, text, cast)
        narrator = _narrator(text, cast) if not own else None
        rest = text[own[-1].end:] if own else text
        read.append(_Paragraph(own, narrator, names_previous, named_after=_names(rest)))
    return tuple(_continue(read))


def _own_quotations(index: int, text: str, cast: Cast) -> list[_Found]:
    """The quotations of one paragraph, each with the speaker its own sentence names."""
    out: list[_Found] = []
    previous_end = 0
    for mark in find_marks(text):
        start, exact = exact_words(text, mark)
        between = text[previous_end:mark.start]
        head = sentence_head(between)
        _narrate(between[:len(between) - len(head)], cast)
        cast.narrate(between, ends=False)
        previous_end = mark.end
        if not exact:
            continue
        named, how, introduced = _before(head)
        whole = sentence_head(text[:mark.start])
        if named is None and whole != head and (found := lead_in(whole)) is not None:
            named, how = found[0], "named before the quotation"  # "X described ... and said"
        if named is None and _tail_allowed(text, mark):
            named, how = tail(text[mark.end:]), "named after the quotation"
        words = len(exact.split())
        if not introduced and (words < MIN_EMBEDDED_WORDS or named is None):
            continue  # a scare quote, or quoted words with no speaker in their sentence
        meant = cast.attribute(named) if named is not None else Resolution(None, False)
        if meant.who is not None:
            cast.mention(Mention(meant.who, speaks=True))
        quote = Quotation(index, start, exact, meant.who,
                          (meant.how or how) if meant.who else "",
                          named.phrase if named else "", meant.sure, meant.candidates)
        out.append(_Found(quote, introduced, named is not None, not text[:mark.start].strip(),
                          mark.closed, _names(text[out[-1].end if out else 0:mark.start]),
                          mark.end))
    cast.narrate(text[previous_end:], ends=True)
    return out


def _names(text: str) -> frozenset[str]:
    """The people `text` names in full, other than those told something ("told Al Jazeera")."""
    text = TOLD.sub(" ", text)
    return frozenset(m.who.name for m in persons_in(text) if m.who.name and not m.unsure)


def _before(head: str) -> tuple[Speaker | None, str, bool]:
    """The speaker named before a quotation in its sentence, and whether it introduces it."""
    if not head.strip():
        return None, "", True
    colon = COLON_NAME.match(head)
    found = lead_in(head)
    if found is None:
        if colon and (named := speaker(colon.group("who"))) and named.name:
            return named, "named before the quotation", True
        # after a comma with no speech verb: a title or a label ('Their report, "Growth ..."')
        return None, "", head.rstrip().endswith(":")
    named, rest = found
    introduced = not rest.strip() or bool(INTRODUCED.search(rest))
    return named, "named before the quotation", introduced and not NAMING.search(head)


def _tail_allowed(text: str, mark: Marked) -> bool:
    """A speaker may follow a quotation only if its sentence goes on (`,"` `?"` `",`)."""
    if not mark.closed:
        return False
    inner = text[mark.start + 1:mark.end - 1].rstrip()
    after = text[mark.end:].lstrip()
    return inner.endswith((",", "?", "!", "—", "–", "-")) or after.startswith((",", "—", "–"))


def _narrator(text: str, cast: Cast) -> Speaker | None:
    """A named speaker of a paragraph without quotations ("Stano said the EU ...")."""
    found = lead_in(sentence_head(text.rstrip(":")) if text.rstrip().endswith(":") else text)
    if found is None:
        return None
    resolved = cast.resolve(found[0])
    return resolved if resolved is not None and cast.remembers(resolved) else None


def _narrate(text: str, cast: Cast) -> None:
    """Meet the speakers of whole sentences of reported speech before a quotation."""
    start = 0
    for end in [*(m.end() for m in SENTENCE_END.finditer(text)), len(text)]:
        sentence = text[start:end].strip()
        start = end
        found = lead_in(sentence) if sentence else None
        if found is not None and found[0].name is not None:
            cast.resolve(found[0])


def _names_previous(text: str, cast: Cast) -> Speaker | None:
    """The speaker of the paragraph before, named in this one: "So said Wang in a statement"."""
    intro = NAMED_AFTER.match(text)
    if intro is None:
        return None
    named = named_after_verb(sentence_tail(text[intro.end():]))
    return cast.resolve(named) if named is not None and named.name else None


def _continue(read: list[_Paragraph]) -> list[Quotation]:
    """Speakers for quotations without an attribution of their own."""
    out: list[Quotation] = []
    last_of: list[_Last] = []
    for index, paragraph in enumerate(read):
        own = paragraph.own
        for position, item in enumerate(own):
            quote = item.quote
            if quote.speaker is None and not item.attributed:
                quote = _inherit(item, own[:position], index, read, last_of)
                own[position] = replace(item, quote=quote)
            if quote.speaker is not None or quote.candidates \
                    or len(quote.exact.split()) >= MIN_BARE_WORDS:
                out.append(quote)
        last_of.append(_last(paragraph))
    return out


@dataclass(frozen=True, slots=True)
class _Last:
    """The speaker a paragraph ends with, and whether a quotation after it is theirs for sure."""

    who: Speaker | None
    sure: bool = False


def _last(paragraph: _Paragraph) -> _Last:
    """Sure when the paragraph's last speaker is certain and no one else is named after."""
    quoted = [f.quote for f in paragraph.own if f.quote.speaker is not None]
    if quoted:
        who = quoted[-1].speaker
        assert who is not None
        return _Last(who, quoted[-1].sure and paragraph.named_after <= {who.name})
    who = paragraph.narrator
    return _Last(who, who is not None and paragraph.named_after <= {who.name})


def _inherit(item: _Found, earlier: list[_Found], index: int, read: list[_Paragraph],
             last_of: list[_Last]) -> Quotation:
    quote = item.quote
    same = [f.quote for f in earlier if f.quote.speaker is not None]
    if same:
        who = same[-1].speaker
        assert who is not None
        sure = same[-1].sure and item.named_before <= {who.name}
        return _with(quote, who, "continues an earlier quotation in the paragraph", sure)
    if not item.introduced:
        return quote
    following = read[index + 1] if index + 1 < len(read) else None
    if following is not None and following.names_previous is not None:
        return _with(quote, following.names_previous, "named in the next paragraph", True)
    after = _next_speaker(following)
    before = last_of[index - 1] if index > 0 and not read[index - 1].heading else _Last(None)
    if item.named_before - {before.who.name if before.who else None}:
        before = _Last(before.who)  # someone else named before it: not certain
    order = (after, before) if not item.closed else (before, after)
    for candidate, how in zip(order, _HOWS[not item.closed], strict=True):
        if candidate.who is not None:
            return _with(quote, candidate.who, how, candidate.sure)
    return quote


_HOWS = {
    False: ("continues the speaker of the previous paragraph", "named in the next paragraph"),
    True: ("the quotation continues in the next paragraph, where the speaker is named",
           "continues the speaker of the previous paragraph"),
}


def _next_speaker(following: _Paragraph | None) -> _Last:
    """The speaker named in the next paragraph, if it begins with an attributed quotation."""
    if following is None or not following.own:
        return _Last(None)
    first = following.own[0].quote
    if following.own[0].at_start and first.how.startswith("named"):
        return _Last(first.speaker, first.sure)
    return _Last(None)


def _with(quote: Quotation, who: Speaker, how: str, sure: bool) -> Quotation:
    if not sure:  # a guess: offered to the editor, never written as `by:`
        return replace(quote, speaker=None, how="", said=quote.said or "",
                       candidates=(who,))
    return replace(quote, speaker=who, how=how, said=quote.said or who.phrase, sure=True)
