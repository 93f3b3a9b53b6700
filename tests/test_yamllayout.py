"""yamllayout: a YAML file that cannot be read, explained by its layout: where, what is wrong
in the words of the format, and the line as it should be written; never a word on a file
YAML reads."""

from __future__ import annotations

import random
import string

import pytest
import yaml
from conftest import BRIEF
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.base.diagnostics import Diagnostics
from site_builder.publish.scaffold import SCAFFOLD
from site_builder.source.yamllayout import Slip, explain
from site_builder.source.yamlsrc import Loader, parse_yaml

CASES = {
    "a field less indented than its siblings": (
        "responses:\n  - claim: a\n    by: b\n   stance: c\n    note: d\n",
        Slip(4, 4, "this line is indented 3 spaces; the other fields of this response use 4",
             "indent it as they are:\n    stance: c")),
    "a field more indented than its siblings": (
        "responses:\n  - claim: a\n    by: b\n     stance: c\n",
        Slip(4, 6, "this line is indented 5 spaces; the other fields of this response use 4",
             "indent it as they are:\n    stance: c")),
    "a field between two levels": (
        "source:\n  outlet: a\n url: b\ntitle: x\n",
        Slip(3, 2, "this line is indented 1 space; the other fields of 'source' use 2",
             "indent it as they are:\n  url: b")),
    "a top-level field indented": (
        "title: a\n date: b\n",
        Slip(2, 2, "this line is indented 1 space; the other fields of the brief are not "
             "indented", "indent it as they are:\ndate: b")),
    "a field at the column of its item's '-'": (
        "claims:\n  - id: a\n  by: b\n",
        Slip(3, 3, "this line is indented 2 spaces; the other fields of this claim use 4",
             "indent it as they are:\n    by: b")),
    "an item less indented than the others": (
        "claims:\n  - id: a\n    by: b\n   - id: c\n",
        Slip(4, 4, "this item is indented 3 spaces; the other items of 'claims' use 2",
             "indent its '-' as theirs:\n  - id: c")),
    "an item more indented than the others": (
        "claims:\n  - id: a\n    by: b\n     - id: c\n",
        Slip(4, 6, "this item is indented 5 spaces; the other items of 'claims' use 2",
             "indent its '-' as theirs:\n  - id: c")),
    "a tab": (
        "claims:\n  - id: a\n    by: b\n\tstance: c\n",
        Slip(4, 1, "this line is indented with a tab; YAML indents with spaces only",
             "indent it with spaces:\n    stance: c")),
    "an empty line holding a tab": (
        "title: x\n\t\ndate: y\n",
        Slip(2, 1, "this empty line holds a tab, which YAML does not allow here",
             "delete the tab")),
    "no space after the colon": (
        "title: a\nstance:disputes\ndate: b\n",
        Slip(2, 7, "'stance:' needs a space after its colon", "write it so:\nstance: disputes")),
    "a line that is no field": (
        "title: a\njust words\ndate: b\n",
        Slip(2, 1, "this line is not a field: it has no 'name: ' (among the fields of the "
             "brief)", "write it 'name: value'; if it continues the value above, indent it "
             "more than that field's name, or quote the whole value")),
    "a value holding ': '": (
        "title: Iran: the reply\n",
        Slip(1, 12, "this value holds ': ', which YAML reads as the start of another field",
             "put the value in quotes:\ntitle: \"Iran: the reply\"")),
    "an apostrophe in single quotes": (
        "title: 'the union's plan'\n",
        Slip(1, 18, "this apostrophe ends the value in single quotes",
             "inside '...' write an apostrophe twice (''), or put the value in double quotes:"
             "\ntitle: \"the union's plan\"")),
    "a quotation in single quotes": (
        "title: 'US warns of 'consequences' if Iran sends missiles'\n",
        Slip(1, 21, "this apostrophe ends the value in single quotes",
             "inside '...' write an apostrophe twice (''), or put the value in double quotes:"
             "\ntitle: \"US warns of 'consequences' if Iran sends missiles\"")),
    "text after a closing quote": (
        "quote: \"abc\" def\n",
        Slip(1, 13, "text follows the closing quote of this value",
             "a value in quotes ends at its closing quote: quote the whole value:\n"
             "quote: '\"abc\" def'")),
    "a quote never closed": (
        "title: \"abc\ndate: x\n",
        Slip(1, 8, "this quoted value is never closed", "end it with \":\ntitle: \"abc\"")),
    "a bracket never closed": (
        "tags: [a, b\ndate: x\n",
        Slip(1, 7, "this list in brackets is never closed with ']'",
             "close it at the end of the value:\ntags: [a, b]")),
    "a list item among fields": (
        "source:\n  outlet: a\n  - url: b\n",
        Slip(3, 3, "a list item ('- ') among the fields of 'source'",
             "a field is written without '- ':\n  url: b")),
    "no space after a list's '-'": (
        "claims:\n  -id: a\n   by: b\n",
        Slip(2, 3, "a list item needs a space after its '-'", "write it so:\n  - id: a")),
    "fields under a field with a value": (
        "source: Example Wire\n  outlet: x\n",
        Slip(2, 3, "this line is indented under 'source:', which has a value on the same line",
             "a field holds a value or fields under it, not both: leave 'source:' empty with "
             "its fields under it, or indent this line as the other fields of the brief:\n"
             "outlet: x")),
    "a stance of site.yaml": (
        "stances:\n  hedges:\n    polarity: neither\n   meaning: x\n",
        Slip(4, 4, "this line is indented 3 spaces; the other fields of the stance 'hedges' "
             "use 4", "indent it as they are:\n    meaning: x")),
}


@pytest.mark.parametrize("name", CASES)
def test_each_slip_is_explained_where_it_is(name: str) -> None:
    text, slip = CASES[name]
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.compose(text, Loader=Loader)
    assert raised.value.problem_mark is not None
    assert explain(text, raised.value.problem_mark.line + 1, "the brief") == slip


def test_parse_yaml_reports_the_slip_at_its_place() -> None:
    diags = Diagnostics()
    assert parse_yaml("title: a\n date: b\n", "briefs/_actors.yaml", diags) is None
    (diag,) = diags.items
    assert (str(diag), diag.hint) == (
        "briefs/_actors.yaml:2:2: error: this line is indented 1 space; the other fields of "
        "the actor registry are not indented", "indent it as they are:\ndate: b")


def test_what_it_cannot_explain_keeps_yaml_s_own_words() -> None:
    diags = Diagnostics()
    parse_yaml("title: x\n---\ntitle: y\n", "briefs/x.yaml", diags)
    assert str(diags.items[0]) == ("briefs/x.yaml:2:1: error: YAML syntax error: but found "
                                   "another document")


def test_a_slip_after_the_place_yaml_gave_up_is_not_the_one_reported() -> None:
    """Only the lines up to PyYAML's place are read: past it, the layout is not known."""
    assert explain("title: a\ndate: b\n  x: y\n", 2, "the brief") is None


# --- never a word about a file YAML reads -----------------------------------------------------

WORDS = st.text(alphabet=string.ascii_letters + string.digits + " '\":#-,.?!()", max_size=40)
KEYS = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)
VALUES = st.recursive(WORDS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(KEYS, VALUES, min_size=1, max_size=5),
       style=st.sampled_from([{}, {"width": 20}, {"indent": 4}, {"default_flow_style": None},
                              {"default_style": "'"}, {"default_style": '"'}]))
def test_a_file_yaml_reads_is_never_said_to_be_wrong(value: dict[str, object],
                                                     style: dict[str, object]) -> None:
    text = yaml.safe_dump(value, allow_unicode=True, sort_keys=False,
                          **{"default_flow_style": False, **style})
    yaml.compose(text, Loader=Loader)
    assert explain(text, len(text.splitlines()) + 1, "the brief") is None


def test_the_scaffold_and_the_test_brief_are_read_as_written() -> None:
    for text in [BRIEF, *(p.read_text(encoding="utf-8") for p in SCAFFOLD.rglob("*.y*ml"))]:
        assert explain(text, len(text.splitlines()) + 1, "the brief") is None


def test_any_slip_of_indentation_is_explained_or_left_to_yaml_never_a_crash() -> None:
    """Every line of a real brief moved by -3 to +3 spaces, or given a tab, one at a time:
    each file YAML cannot read gets an explanation or YAML's own message, never an
    exception."""
    brief = (SCAFFOLD / "briefs" / "2025-01-15-port-expansion.yaml").read_text(encoding="utf-8")
    lines = brief.splitlines()
    explained = 0
    rng = random.Random(22)
    for row, line in enumerate(lines):
        for change in (-3, -2, -1, 1, 2, 3, "tab"):
            if change == "tab":
                moved = "\t" + line.lstrip(" ")
            elif isinstance(change, int) and change < 0:
                moved = line[min(-change, len(line) - len(line.lstrip(" "))):]
            else:
                moved = " " * int(change) + line
            text = "\n".join([*lines[:row], moved, *lines[row + 1:]]) + "\n"
            diags = Diagnostics()
            parse_yaml(text, "briefs/x.yaml", diags)
            if diags.items and not diags.items[0].message.startswith("YAML syntax error"):
                explained += 1
            rng.random()
    assert explained > 50
