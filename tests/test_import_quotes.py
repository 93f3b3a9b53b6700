"""Finding quotations and their speakers, one attribution style at a time."""

from __future__ import annotations

import pytest

from site_builder.base.diagnostics import Span
from site_builder.importer.attribution import speaker
from site_builder.importer.quotes import find_quotations
from site_builder.importer.speakers import cast, match
from site_builder.source.model import Actor


def pairs(*paragraphs: str | None) -> list[tuple[str, str | None]]:
    return [(q.exact, q.speaker.name if q.speaker else None)
            for q in find_quotations(paragraphs)]


@pytest.mark.parametrize("paragraph", [
    '"We will respond," EU spokesman Peter Stano said.',
    '"We will respond," said Peter Stano, the EU\'s spokesman.',
    '"We will respond," EU spokesman Peter Stano told reporters in Brussels.',
    '"We will respond," according to Peter Stano.',
    'EU spokesman Peter Stano said during a press conference: "We will respond."',
    'Peter Stano, the EU spokesman, said: "We will respond."',
    'Asked about the report, Peter Stano said: "We will respond."',
    'Peter Stano added that "we will respond".',
    '“We will respond,” Peter Stano said.',
    '"We will respond?" Peter Stano asked.',
])
def test_attribution_styles(paragraph):
    exact = "We will respond?" if "?" in paragraph else (
        "we will respond" if "that" in paragraph else "We will respond")
    assert pairs(paragraph) == [(exact, "Peter Stano")]


def test_role_and_name_are_told_apart():
    [quote] = find_quotations(['"No," Iranian foreign ministry spokesman Nasser Kanani said.'])
    assert quote.speaker is not None
    assert (quote.speaker.name, quote.speaker.role) == (
        "Nasser Kanani", "Iranian foreign ministry spokesman")


@pytest.mark.parametrize("paraphrase", [
    "Peter Stano said the EU would respond swiftly to any delivery.",
    "He told reporters that Brussels had not changed its position.",
    "The EU said its allies had shared credible intelligence.",
    "Hungary has repeatedly said it opposes sending weapons to Ukraine.",
])
def test_paraphrase_is_never_a_quotation(paraphrase):
    assert pairs(paraphrase) == []


def test_scare_quotes_are_not_quotations():
    assert pairs('The EU said its allies had shared "credible" intelligence that Iran had '
                 'sent missiles, a move Washington warned would meet "significant '
                 'consequences".') == []


def test_a_partial_quotation_with_its_speaker_is_kept():
    assert pairs('Wang said China would "stay true to its position" on Ukraine.') == [
        ("stay true to its position", "Wang")]


def test_the_next_paragraph_continues_the_speaker():
    assert pairs('"We are aware of it," EU spokesman Peter Stano said.',
                 '"We are looking further into it with our member states."') == [
        ("We are aware of it", "Peter Stano"),
        ("We are looking further into it with our member states", "Peter Stano")]


def test_a_heading_breaks_the_continuation():
    assert pairs('"We are aware of it," EU spokesman Peter Stano said.', None,
                 '"We are looking further into it with our member states."') == [
        ("We are aware of it", "Peter Stano"),
        ("We are looking further into it with our member states", None)]


def test_a_quotation_split_over_two_paragraphs():
    assert pairs('"The works were approved in 2011 and never started.',
                 '"The money was there," said Carmen Vidal, the head of the audit office.') == [
        ("The works were approved in 2011 and never started", "Carmen Vidal"),
        ("The money was there", "Carmen Vidal")]


@pytest.mark.parametrize("after", [
    "So said Wang Yi in a statement after the talks.",
    "That was the message from Foreign Minister Wang Yi, speaking in Beijing.",
])
def test_a_speaker_named_only_after_the_quotation(after):
    assert pairs('"Our relations are not directed against third countries."', after) == [
        ("Our relations are not directed against third countries", "Wang Yi")]


def test_surnames_pronouns_and_roles_refer_back():
    assert pairs('"First," EU spokesman Peter Stano said.',
                 'Stano added that "the position has always been clear".',
                 '"Second," he said.',
                 '"Third," the spokesman said.') == [
        ("First", "Peter Stano"), ("the position has always been clear", "Peter Stano"),
        ("Second", "Peter Stano"), ("Third", "Peter Stano")]


def test_a_full_name_met_outside_an_attribution():
    assert pairs("Army spokesman Brig. Gen. Nabil Abdullah was more cautious.",
                 '"We have heard such promises before," Abdullah said.') == [
        ("We have heard such promises before", "Nabil Abdullah")]


def test_an_interrupted_quotation_keeps_its_speaker():
    assert pairs('Interior Minister Mari Rantanen said the numbers were rising.',
                 '"If they attack," she added, "we will respond with full force."') == [
        ("If they attack", "Mari Rantanen"), ("we will respond with full force", "Mari Rantanen")]


def test_an_anonymous_speaker_is_left_unnamed():
    quotes = find_quotations(['"We will respond," EU spokesman Peter Stano said.',
                              '"Nobody is panicking yet, but everyone is watching," an '
                              'official said.'])
    assert [(q.speaker.name if q.speaker else None) for q in quotes] == ["Peter Stano", None]
    assert quotes[1].said == "an official"


def test_exact_words_leave_out_the_sentence_punctuation():
    [quote] = find_quotations(['He said: "We have been clear... that we are ready."'])
    assert quote.exact == "We have been clear... that we are ready"


REGISTRY = (
    Actor("eu", "European Union", "organization", Span("r"), aliases=("EU",)),
    Actor("peter-stano", "Peter Stano", "person", Span("r"), aliases=("Stano",)),
    Actor("iran-foreign-ministry", "Iranian foreign ministry", "organization", Span("r"),
          aliases=("Iran's foreign ministry",)),
)


@pytest.mark.parametrize(("phrase", "actor"), [
    ("Peter Stano", "peter-stano"), ("Stano", "peter-stano"), ("EU", "eu"),
    ("the European Union", "eu"), ("Iran's foreign ministry", "iran-foreign-ministry"),
    ("Anna Stano", None), ("Tehran", None),
])
def test_speakers_resolve_to_registry_actors(phrase, actor):
    who = speaker(phrase)
    assert who is not None
    assert match(who, REGISTRY) == actor


def test_new_speakers_are_drafted_with_role_and_part_of():
    who = speaker("EU spokeswoman Nabila Massrali")
    assert who is not None
    casting = cast([who], REGISTRY)
    [draft] = casting.new
    assert (draft.id, draft.name, draft.kind, draft.role, draft.part_of) == (
        "nabila-massrali", "Nabila Massrali", "person", "EU spokeswoman", "eu")


def test_drafted_ids_do_not_clash():
    who = speaker("European Union official Peter Stano Jr")
    clash = Actor("peter-stano-jr", "Someone else", "person", Span("r"))
    assert who is not None
    [draft] = cast([who], (*REGISTRY, clash)).new
    assert draft.id == "peter-stano-jr-2"
