"""The hints of issue 22 one by one: what a file that cannot be read holds back, values by
meaning, fields by their place, quotes compared word by word."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import ARTICLE, BRIEF, REGISTRY, actor_entry, dedent

from site_builder.cli.commands import main
from site_builder.source.model import BUILTIN_STANCES
from site_builder.source.suggest import STANCE_WORDS, by_meaning, field_hint, value_hint
from site_builder.text.passages import closest_passage
from site_builder.text.quotediff import differences

STANCES = [s.name for s in BUILTIN_STANCES]
MEANINGS = {s.name: s.meaning for s in BUILTIN_STANCES}


def run(command: str, root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([command, "--source", str(root)])
    return code, capsys.readouterr().err


# --- what could not be read -----------------------------------------------------------------

def test_an_unreadable_registry_holds_back_the_unknown_actors(make_site, valid_files,
                                                              capsys) -> None:
    root = make_site({**valid_files, "briefs/_actors.yaml": REGISTRY.replace(
        "    kind: state", "   kind: state")})
    code, err = run("check", root, capsys)
    assert code == 1
    assert err.splitlines()[0] == ("briefs/_actors.yaml:4:4: error: this line is indented 3 "
                                   "spaces; the other fields of this actor use 4")
    assert "unknown actor" not in err
    assert err.splitlines()[-2:] == [
        "note: 2 errors not shown: they may only follow from what could not be read "
        "(briefs/_actors.yaml); fix it first",
        "checked 1 brief; the actor registry could not be read: 1 error, 0 warnings"]


def test_what_does_not_follow_from_the_unread_file_is_still_shown(make_site, valid_files,
                                                                  capsys) -> None:
    """An actor that the unread brief does not name is still unmentioned; an actor it names
    may be mentioned there, so its warning waits."""
    registry = REGISTRY + actor_entry("china", "China") + actor_entry("japan", "Japan")
    files = {**valid_files, "briefs/_actors.yaml": registry,
             "briefs/other.md": "Japan said nothing.\n",
             "briefs/other.yaml": "title: x\n date: 2024-09-09\n"}
    code, err = run("check", make_site(files), capsys)
    lines = err.splitlines()
    assert code == 1
    assert "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'" in lines
    assert not [line for line in lines if "'japan'" in line]
    assert lines[-2:] == [
        "note: 1 warning not shown: they may only follow from what could not be read "
        "(briefs/other.yaml); fix it first",
        "checked 1 brief; 1 brief could not be read: 1 error, 1 warning"]


def test_a_file_that_is_not_text_holds_back_every_finding_that_rests_on_absence(
        make_site, valid_files, capsys) -> None:
    files = {**valid_files, "briefs/missiles.yaml": BRIEF.replace("responses:", "other:"),
             "briefs/other.md": bytes([0xC3, 0x28]), "briefs/other.yaml": "title: x\n"}
    code, err = run("check", make_site(files), capsys)
    assert code == 1
    assert [line for line in err.splitlines() if ": error: " in line] == [
        "briefs/missiles.yaml:11:1: error: unknown field 'other' in a brief",
        "briefs/other.md:1:1: error: the file is not UTF-8 text (byte 0xc3 cannot be read)"]
    assert err.splitlines()[-2:] == [  # the claim with no response: other.yaml may answer it
        "note: 1 warning not shown: they may only follow from what could not be read "
        "(briefs/other.md); fix it first",
        "checked 1 brief; 1 brief could not be read: 2 errors, 0 warnings"]


def test_build_says_what_could_not_be_read_too(make_site, valid_files, capsys) -> None:
    """The article of the unread brief names Iran: no warning about it; it does not name the
    European Union (only "the EU"): that one stays."""
    root = make_site({**valid_files, "briefs/missiles.yaml": "title: [\n"})
    code, err = run("build", root, capsys)
    assert code == 1
    assert "'iran'" not in err
    assert "briefs/_actors.yaml:5:5: warning: no brief mentions the actor 'eu'" in err
    assert err.splitlines()[-2:] == [
        "note: 1 warning not shown: they may only follow from what could not be read "
        "(briefs/missiles.yaml); fix it first",
        "build failed, " + str(root / "output") + " left as it was; 1 brief could not be "
        "read: 1 error, 1 warning"]


# --- values by meaning ----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "meant"), [
    ("rejects", ["denies", "disputes"]), ("refuted", ["denies", "disputes"]),
    ("dismisses", ["denies", "disputes"]), ("strongly rejects", ["denies", "disputes"]),
    ("no comment", ["no-comment"]), ("declines to comment", ["no-comment"]),
    ("does not deny", ["declines-to-deny"]), ("neither confirms nor denies",
                                               ["declines-to-deny"]),
    ("agrees", ["supports", "confirms"]), ("backs", ["supports"]),
    ("admits", ["acknowledges"]), ("criticised", ["condemns"]), ("blames", ["accuses"]),
    ("withdraws", ["retracts"]), ("Denies", ["denies"]), ("denied", ["denies"]),
    ("questioned", ["questions"]), ("deneis", ["denies"]), ("xyzzy", []),
])
def test_stances_are_suggested_by_meaning_before_spelling(value: str, meant: list[str]) -> None:
    assert by_meaning(value, STANCES, STANCE_WORDS) == meant


def test_nothing_close_lists_every_value_with_its_meaning() -> None:
    assert value_hint("stance", "xyzzy", STANCES[:3], MEANINGS) == dedent("""
        allowed values:
          asserts   makes or repeats the claim
          confirms  says the claim is true
          supports  backs the claim or its claimant""").rstrip("\n")


def test_a_site_s_own_stance_is_suggested_with_its_meaning() -> None:
    hint = value_hint("stance", "Hedges", [*STANCES, "hedges"],
                      {**MEANINGS, "hedges": "answers without taking a side"})
    assert hint.split("\n")[0] == "did you mean 'hedges' (answers without taking a side)?"


@pytest.mark.parametrize(("what", "key", "hint", "meant"), [
    ("a brief", "author", "'author' is a field of 'source': write it under 'source:', "
     "indented:\nsource:\n  author: Jane Doe", "source.author"),
    ("a claim", "stance", "'stance' is a field of a response, not of a claim: a claim has a "
     "'status', the editor's verdict; a response's 'stance' says how an actor answers", None),
    ("a response", "status", "'status' is a field of a claim, not of a response: the editor's "
     "verdict is the claim's 'status'; a response has a 'stance'", None),
    ("a response", "comment", "did you mean 'note'?", "note"),
    ("'source'", "link", "did you mean 'url'?", "url"),
    ("'source'", "title", "'title' is a field of the brief: write it without indentation, not "
     "under 'source:'", None),
    ("an actor", "type", "did you mean 'kind'?", "kind"),
])
def test_fields_are_pointed_to_where_they_belong(what: str, key: str, hint: str,
                                                 meant: str | None) -> None:
    allowed = {"a brief": ("title", "date", "source"), "a claim": ("id", "by", "status"),
               "a response": ("claim", "by", "stance", "note"),
               "'source'": ("outlet", "url", "author"), "an actor": ("id", "name", "kind")}
    assert field_hint(what, key, allowed[what], "Jane Doe") == (hint, meant)


# --- quotes, word by word -------------------------------------------------------------------

def test_every_place_of_a_long_misquote_shows_and_then_how_many_more() -> None:
    words = [f"w{i}" for i in range(200)]
    quoted = [("x" + w if i % 20 == 10 else w) for i, w in enumerate(words)]
    shown = differences(" ".join(quoted), " ".join(words))
    assert shown is not None
    assert shown.split("\n") == [
        "where they differ (in [ ]):",
        "  quote:   … w6 w7 w8 w9 [xw10] w11 w12 w13 w14 …",
        "  article: … w6 w7 w8 w9 [w10]  w11 w12 w13 w14 …",
        "  quote:   … w26 w27 w28 w29 [xw30] w31 w32 w33 w34 …",
        "  article: … w26 w27 w28 w29 [w30]  w31 w32 w33 w34 …",
        "  quote:   … w46 w47 w48 w49 [xw50] w51 w52 w53 w54 …",
        "  article: … w46 w47 w48 w49 [w50]  w51 w52 w53 w54 …",
        "  quote:   … w66 w67 w68 w69 [xw70] w71 w72 w73 w74 …",
        "  article: … w66 w67 w68 w69 [w70]  w71 w72 w73 w74 …",
        "  and 6 more places"]


def test_the_same_words_show_no_difference() -> None:
    assert differences("a b c", "a b c") is None


def test_a_long_quote_s_difference_is_found_quickly() -> None:
    """12,000 words alike but one, of a single repeated word: the common start and end are
    set aside before difflib compares anything."""
    words = ["the"] * 12000
    changed = [*words[:6000], "cat", *words[6001:]]
    start = time.perf_counter()
    shown = differences(" ".join(changed), " ".join(words))
    assert time.perf_counter() - start < 1
    assert shown is not None and "[cat]" in shown


@pytest.mark.parametrize(("quote", "passage"), [
    ("keeps every single job", "keeps every job"),   # a word more in the quote
    ("shown us plan that keeps", "shown us a plan that keeps"),  # a word less
    ("whatever shown us a plan", "has shown us a plan"),  # its first word wrong
])
def test_the_closest_passage_ends_on_the_quote_s_words(quote: str, passage: str) -> None:
    text = ("The union disputed the figures. Nobody has shown us a plan that keeps every "
            "job, and until we see one we will not sign, the secretary said.")
    found = closest_passage(quote, text)
    assert found is not None
    assert text[found[0]:found[1]].rstrip(",.") == passage


def test_the_readme_misquote(check_files) -> None:
    report = check_files({"briefs/_actors.yaml": REGISTRY, "briefs/missiles.md": ARTICLE,
                          "briefs/missiles.yaml": BRIEF.replace("strongly reject", "reject")})
    assert report.hint(report.lines[0]) == (
        "the closest passage, briefs/missiles.md line 3: \"We strongly reject the claims\"\n"
        "where they differ (in [ ]):\n"
        "  quote:   We []         reject the claims\n"
        "  article: We [strongly] reject the claims")
