"""The messages of `site-builder check` for the mistakes of a new editor's walkthrough (issue
22): the site of `init`, a second brief written the next day, one mistake made in it. Each
test compares everything `check` prints, as the editor sees it (tests/walkthrough.py makes
the sites; `python tests/walkthrough.py` prints them)."""
# ruff: noqa: E501  (the terminal's lines are quoted as they are, one line each)

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import dedent
from walkthrough import MISTAKES, walkthrough_site, write_site

from site_builder.cli.commands import main

SECOND = "briefs/2025-01-16-union-answers.yaml"
STANCES = ("asserts, confirms, supports, acknowledges, qualifies, questions, no-comment, "
           "declines-to-deny, warns, threatens, disputes, denies, condemns, accuses, retracts, "
           "apologizes, promises-to-investigate")
HELD = (f"note: 2 warnings not shown: they may only follow from what could not be read "
        f"({SECOND}); fix it first")


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], mistake: str | None) -> str:
    site = write_site(tmp_path / "site", walkthrough_site(mistake))
    code = main(["check", "--source", str(site)])
    err = capsys.readouterr().err
    assert code == (0 if mistake is None else 1)
    assert "Traceback" not in err
    return err


def test_the_walkthrough_site_checks_clean(tmp_path, capsys) -> None:
    assert check(tmp_path, capsys, None) == "checked 2 briefs: 0 errors, 0 warnings\n"
    assert len(MISTAKES) == 10


# --- the five mistakes of the walkthrough --------------------------------------------------

def test_an_indentation_slip_is_told_in_the_format_s_words(tmp_path, capsys) -> None:
    """Was: `YAML syntax error: did not find expected '-' indicator`, no hint, two warnings
    that only follow from the unread file, and a summary that did not say it was unread."""
    assert check(tmp_path, capsys, "indentation") == dedent(f"""
        {SECOND}:10:4: error: this line is indented 3 spaces; the other fields of this response use 4
          hint: indent it as they are:
                    stance: disputes
           10 |    stance: disputes
                   ^
        {HELD}
        checked 1 brief; 1 brief could not be read: 1 error, 0 warnings
        """)


def test_a_stance_by_its_meaning_gets_the_stances_that_mean_it(tmp_path, capsys) -> None:
    """Was: `did you mean 'retracts'?`, nearly the opposite."""
    assert check(tmp_path, capsys, "stance-rejects") == dedent(f"""
        {SECOND}:10:13: error: 'rejects' is not a valid 'stance' for a response
          hint: did you mean 'denies' (says the claim is false) or 'disputes' (contests facts or figures, short of denial)?
                allowed values: {STANCES}
           10 |     stance: rejects
                            ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_a_misquote_past_80_characters_shows_where_it_differs(tmp_path, capsys) -> None:
    """Was: the quote and the passage both cut at 80 characters, reading the same."""
    assert check(tmp_path, capsys, "long-misquote") == dedent(f"""
        {SECOND}:11:12: error: quote not found in the article: "Nobody has shown us a plan that keeps every job, and until we see one, in writi…"
          hint: the closest passage, briefs/2025-01-16-union-answers.md line 4: "Nobody has shown us a plan that keeps every job, and until we see one, in writi…"
                where they differ (in [ ]):
                  quote:   … the names of the [docks]
                  article: … the names of the [quays]
           11 |     quote: Nobody has shown us a plan that keeps every job, and until we see one, in writing, with the names o…
                           ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_a_date_in_words_gets_the_iso_date_and_no_phantom_warning(tmp_path, capsys) -> None:
    """Was: the format only, and a warning that the response (dated 1970-01-01, the stand-in
    for the wrong date) came before the claim."""
    assert check(tmp_path, capsys, "date-words") == dedent(f"""
        {SECOND}:2:7: error: 'January 16, 2025' is not a date for 'date'
          hint: write it as 2025-01-16: dates are written YYYY-MM-DD
            2 | date: January 16, 2025
                      ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_source_fields_not_indented_are_pointed_at_their_lines(tmp_path, capsys) -> None:
    """Was: `a brief is missing the required field 'source'` at 1:1, `outlet` with the list
    of a brief's fields, and `author` with "did you mean 'actors'?"."""
    assert check(tmp_path, capsys, "source-fields") == dedent(f"""
        {SECOND}:4:1: error: unknown field 'outlet' in a brief
          hint: 'outlet' is a field of 'source': write it under 'source:', indented:
                source:
                  outlet: Example Wire
            4 | outlet: Example Wire
                ^
        {SECOND}:5:1: error: unknown field 'author' in a brief
          hint: 'author' is a field of 'source': write it under 'source:', indented:
                source:
                  author: Jane Doe
            5 | author: Jane Doe
                ^
        checked 2 briefs: 2 errors, 0 warnings
        """)


# --- five more of the same kinds ------------------------------------------------------------

def test_a_field_indented_too_far_is_not_told_to_quote_a_value(tmp_path, capsys) -> None:
    """Was: `mapping values are not allowed in this context`, with a hint to quote a value
    containing ': '."""
    assert check(tmp_path, capsys, "over-indented") == dedent(f"""
        {SECOND}:10:6: error: this line is indented 5 spaces; the other fields of this response use 4
          hint: indent it as they are:
                    stance: disputes
           10 |      stance: disputes
                     ^
        {HELD}
        checked 1 brief; 1 brief could not be read: 1 error, 0 warnings
        """)


def test_agreement_gets_the_stances_of_agreement(tmp_path, capsys) -> None:
    """Was: the list of stances, without their meanings."""
    assert check(tmp_path, capsys, "stance-agrees") == dedent(f"""
        {SECOND}:10:13: error: 'agrees' is not a valid 'stance' for a response
          hint: did you mean 'supports' (backs the claim or its claimant) or 'confirms' (says the claim is true)?
                allowed values: {STANCES}
           10 |     stance: agrees
                            ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_a_word_added_keeps_the_passage_on_the_quote_s_words(tmp_path, capsys) -> None:
    """Was: the closest passage ran a word past the quote's end ("every job, and")."""
    assert check(tmp_path, capsys, "misquote-extra-word") == dedent(f"""
        {SECOND}:11:12: error: quote not found in the article: "Nobody has shown us a written plan that keeps every job"
          hint: the closest passage, briefs/2025-01-16-union-answers.md line 4: "Nobody has shown us a plan that keeps every job"
                where they differ (in [ ]):
                  quote:   … has shown us a [written] plan that keeps every …
                  article: … has shown us a []        plan that keeps every …
           11 |     quote: Nobody has shown us a written plan that keeps every job
                           ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_an_ambiguous_date_names_both_readings(tmp_path, capsys) -> None:
    """Was: the format only."""
    assert check(tmp_path, capsys, "date-ambiguous") == dedent(f"""
        {SECOND}:12:11: error: '02/03/2025' is not a date for 'date'
          hint: it reads two ways: 2 March 2025 (2025-03-02) or 3 February 2025 (2025-02-03); write the one you mean as YYYY-MM-DD
           12 |     date: 02/03/2025
                          ^
        checked 2 briefs: 1 error, 0 warnings
        """)


def test_a_field_by_another_name_is_named_once(tmp_path, capsys) -> None:
    """Was: the list of a response's fields, `by` reported missing, and a warning that the
    claim had no response (the response was left out)."""
    assert check(tmp_path, capsys, "field-speaker") == dedent(f"""
        {SECOND}:9:5: error: unknown field 'speaker' in a response
          hint: did you mean 'by'?
            9 |     speaker: tomas-okafor
                    ^
        checked 2 briefs: 1 error, 0 warnings
        """)
