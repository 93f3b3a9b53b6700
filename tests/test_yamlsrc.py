"""yamlsrc: YAML read into positioned nodes; `Fields` reports every mistake in a mapping."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc

import pytest
import yaml
from conftest import billion_laughs, dedent

from site_builder.base.diagnostics import Diagnostics, Span
from site_builder.source.yamlsrc import Fields, is_null, parse_date, parse_yaml, slugify

PATH = "briefs/x.yaml"


def parse(text: str) -> tuple[yaml.Node | None, Diagnostics]:
    diags = Diagnostics()
    return parse_yaml(text, PATH, diags), diags


def lines(diags: Diagnostics) -> list[str]:
    return [str(d) for d in diags.sorted()]


def fields_of(text: str, allowed: tuple[str, ...], what: str = "a brief"
              ) -> tuple[Fields, Diagnostics]:
    root, diags = parse(text)
    assert root is not None, lines(diags)
    fields = Fields.of(root, PATH, diags, what, allowed)
    assert fields is not None, lines(diags)
    return fields, diags


# --- syntax -----------------------------------------------------------------------------------

def test_syntax_error_names_line_and_column_with_a_quoting_hint() -> None:
    root, diags = parse("title: Iran: the reply\ndate: 2024-09-09\n")
    assert root is None
    assert lines(diags) == [
        "briefs/x.yaml:1:12: error: this value holds ': ', which YAML reads as the start of "
        "another field"]
    assert diags.items[0].hint == "put the value in quotes:\ntitle: \"Iran: the reply\""


def test_unclosed_flow_list_is_a_syntax_error() -> None:
    _, diags = parse("tags: [iran, russia\ndate: 2024-09-09\n")
    assert lines(diags) == [
        "briefs/x.yaml:1:7: error: this list in brackets is never closed with ']'"]
    assert diags.items[0].hint == "close it at the end of the value:\ntags: [iran, russia]"


def test_tab_indentation_is_a_syntax_error() -> None:
    _, diags = parse("title: x\n\tdate: 2024-09-09\n")
    assert lines(diags) == [
        "briefs/x.yaml:2:1: error: this line is indented with a tab; YAML indents with spaces "
        "only"]
    assert diags.items[0].hint == "indent it with spaces:\ndate: 2024-09-09"


def test_two_documents_in_one_file() -> None:
    _, diags = parse("title: x\n---\ntitle: y\n")
    assert lines(diags) == ["briefs/x.yaml:2:1: error: YAML syntax error: but found another "
                            "document"]
    assert diags.items[0].hint == "a file holds one YAML document: remove the extra '---'"


def test_control_character_is_reported_where_it_is() -> None:
    _, diags = parse("title: ok\nsummary: a\x07b\n")
    assert lines(diags) == ["briefs/x.yaml:2:11: error: YAML cannot contain this character"]


def test_deep_nesting_is_refused_not_a_crash() -> None:
    _, diags = parse("tags: " + "[" * 5000 + "]" * 5000 + "\n")
    assert lines(diags) == [
        "briefs/x.yaml:1:1006: error: YAML syntax error: exceeded maximum nesting depth"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "~\n", "null\n"])
def test_empty_document(text: str) -> None:
    root, diags = parse(text)
    assert root is None
    assert lines(diags) == ["briefs/x.yaml:1:1: error: the file is empty"]


# --- aliases ----------------------------------------------------------------------------------

def test_alias_is_refused_at_the_value_it_reuses() -> None:
    root, diags = parse("title: &t Iran\nsummary: *t\n")
    assert root is None
    assert lines(diags) == [
        "briefs/x.yaml:1:8: error: this value is reused through a YAML alias (*name); anchors "
        "and aliases are not allowed in site-builder's YAML files"]
    assert diags.items[0].hint == "write the value out in full where it is needed"


def test_billion_laughs_is_rejected_fast_and_small() -> None:
    text = billion_laughs()
    tracemalloc.start()
    try:
        started = time.perf_counter()
        root, diags = parse(text)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert root is None
    assert lines(diags) == [
        "briefs/x.yaml:4:4: error: this value is reused through a YAML alias (*name); anchors "
        "and aliases are not allowed in site-builder's YAML files"]
    assert elapsed < 0.5
    assert peak < 20 * 1024 * 1024


def test_billion_laughs_in_a_site_is_one_error_naming_its_line(check_files, valid_files
                                                                ) -> None:
    files = {**valid_files, "briefs/missiles.yaml": billion_laughs()}
    tracemalloc.start()
    try:
        started = time.perf_counter()
        report = check_files(files)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.errors == [
        "briefs/missiles.yaml:4:4: error: this value is reused through a YAML alias (*name); "
        "anchors and aliases are not allowed in site-builder's YAML files"]
    assert elapsed < 0.5
    assert peak < 20 * 1024 * 1024


# --- Fields: keys -----------------------------------------------------------------------------

def test_duplicate_key_names_the_first_line() -> None:
    fields, diags = fields_of("title: one\ndate: 2024-09-09\ntitle: two\n", ("title", "date"))
    assert lines(diags) == [
        "briefs/x.yaml:3:1: error: duplicate key 'title' in a brief (first given on line 1)"]
    assert diags.items[0].hint == "keep only one of them"
    assert fields.text("title") == "one"


def test_duplicate_key_in_a_nested_flow_mapping() -> None:
    fields, diags = fields_of("source: {outlet: AFP, outlet: Reuters}\n", ("source",))
    source = fields.mapping("source", "'source'", ("outlet",))
    assert source is not None
    assert source.text("outlet") == "AFP"
    assert lines(diags) == [
        "briefs/x.yaml:1:23: error: duplicate key 'outlet' in 'source' (first given on line 1)"]


def test_unknown_field_suggests_the_close_one() -> None:
    _, diags = fields_of("titel: x\n", ("title", "date", "source"))
    assert lines(diags) == ["briefs/x.yaml:1:1: error: unknown field 'titel' in a brief"]
    assert diags.items[0].hint == "did you mean 'title'?"


def test_unknown_field_without_a_close_one_lists_the_allowed() -> None:
    _, diags = fields_of("colour: red\n", ("title", "date"))
    assert lines(diags) == ["briefs/x.yaml:1:1: error: unknown field 'colour' in a brief"]
    assert diags.items[0].hint == "allowed values: title, date"


def test_a_key_that_is_not_text() -> None:
    _, diags = fields_of("? [a, b]\n: c\ntitle: x\n", ("title",))
    assert lines(diags) == ["briefs/x.yaml:1:3: error: a key of a brief must be plain text"]


def test_mapping_where_a_mapping_of_fields_belongs_is_not_a_list() -> None:
    root, diags = parse("- title: x\n")
    assert root is not None
    assert Fields.of(root, PATH, diags, "a brief", ("title",)) is None
    assert lines(diags) == ["briefs/x.yaml:1:1: error: a brief must be a mapping of fields, "
                            "not a list"]
    assert diags.items[0].hint == "fields are written 'name: value', one per line"


# --- Fields: values ---------------------------------------------------------------------------

def test_empty_values_count_as_missing() -> None:
    fields, diags = fields_of("title:\nsummary: ~\ntags: null\ndate:\n",
                              ("title", "summary", "tags", "date"))
    assert [key for key in ("title", "summary", "tags", "date") if fields.has(key)] == []
    assert fields.text("title", required=True) is None
    assert fields.date("date", required=True) is None
    assert fields.texts("tags") == ()
    assert lines(diags) == [
        "briefs/x.yaml:1:1: error: a brief is missing the required field 'title'",
        "briefs/x.yaml:4:1: error: a brief is missing the required field 'date'"]


def test_is_null_only_for_plain_nulls() -> None:
    root, _ = parse("a:\nb: ~\nc: null\nd: ''\ne: 'null'\n")
    assert root is not None
    assert [is_null(value) for _, value in root.value] == [True, True, True, False, False]


def test_every_plain_value_but_a_null_is_tagged_as_text() -> None:
    root, _ = parse("a: yes\nb: 1.10\nc: 2024-01-31\nd: ~\ne: [1, null]\n")
    assert root is not None
    assert [value.tag.rpartition(":")[2] for _, value in root.value] == [
        "str", "str", "str", "null", "seq"]
    assert [item.tag.rpartition(":")[2] for item in root.value[4][1].value] == ["str", "null"]


def test_quoted_empty_required_text_is_empty_not_missing() -> None:
    fields, diags = fields_of('title: ""\n', ("title",))
    assert fields.text("title", required=True) is None
    assert lines(diags) == ["briefs/x.yaml:1:8: error: 'title' in a brief is empty"]


def test_list_where_text_belongs() -> None:
    fields, diags = fields_of("title:\n  - EU\n  - Iran\n", ("title",))
    assert fields.text("title", required=True) is None
    assert lines(diags) == ["briefs/x.yaml:2:3: error: 'title' in a brief must be text, "
                            "not a list"]


def test_mapping_where_text_belongs() -> None:
    fields, diags = fields_of("title: {en: x}\n", ("title",))
    assert fields.text("title") is None
    assert lines(diags) == ["briefs/x.yaml:1:8: error: 'title' in a brief must be text, "
                            "not a mapping"]


def test_mapping_where_a_list_belongs() -> None:
    fields, diags = fields_of("claims: {id: x}\n", ("claims",))
    assert fields.sequence("claims", "claim") == []
    assert lines(diags) == ["briefs/x.yaml:1:9: error: 'claims' in a brief must be a list, "
                            "not a mapping"]
    assert diags.items[0].hint == "write each claim on its own line starting with '- '"


def test_values_stay_text_yaml_does_not_convert_them() -> None:
    fields, diags = fields_of("title: yes\nsummary: 1.10\ntags: [no, on, 012]\n",
                              ("title", "summary", "tags"))
    assert (fields.text("title"), fields.text("summary")) == ("yes", "1.10")
    assert fields.texts("tags") == ("no", "on", "012")
    assert lines(diags) == []


# --- ids --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "col", "hint"), [
    ("Peter Stano", 5, "try 'peter-stano'; "),
    ("EU", 5, "try 'eu'; "),
    ("a--b", 5, "try 'a-b'; "),
    ("-iran", 5, "try 'iran'; "),
    ("'ü'", 5, ""),
])
def test_malformed_ids(value: str, col: int, hint: str) -> None:
    fields, diags = fields_of(f"id: {value}\n", ("id",), "an actor")
    assert fields.ident("id", required=True) is None
    shown = value.strip("'")
    assert lines(diags) == [
        f"briefs/x.yaml:1:{col}: error: '{shown}' is not a valid id for 'id' in an actor"]
    assert diags.items[0].hint == (
        hint + "ids use lowercase letters, digits and single hyphens, e.g. 'peter-stano'")


def test_one_id_or_a_list_of_ids() -> None:
    fields, diags = fields_of("by: eu\nabout: [iran, Russia]\n", ("by", "about"), "a claim")
    assert [r.id for r in fields.idents("by")] == ["eu"]
    assert [(r.id, str(r.span)) for r in fields.idents("about")] == [
        ("iran", "briefs/x.yaml:2:9")]
    assert lines(diags) == [
        "briefs/x.yaml:2:15: error: 'Russia' is not a valid id for 'about' in a claim"]


def test_required_ids_given_as_an_empty_list() -> None:
    fields, diags = fields_of("by: []\n", ("by",), "a claim")
    assert fields.idents("by", required=True, hint="by: the claimant") == ()
    assert lines(diags) == ["briefs/x.yaml:1:5: error: 'by' in a claim is an empty list"]


def test_slugify() -> None:
    assert slugify("Peter Stano") == "peter-stano"
    assert slugify("  EU -- Commission! ") == "eu-commission"
    assert slugify("日本") == ""


# --- dates and choices ------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("2024-13-45", "'2024-13-45' is not a real date for 'date': month must be in 1..12"),
    ("2024-02-30", "'2024-02-30' is not a real date for 'date': day is out of range for month"),
    ("2023-02-29", "'2023-02-29' is not a real date for 'date': day is out of range for month"),
    ("0000-01-01", "'0000-01-01' is not a real date for 'date': year 0 is out of range"),
    ("last tuesday", "'last tuesday' is not a date for 'date'"),
])
def test_impossible_dates_and_non_dates(value: str, message: str) -> None:
    fields, diags = fields_of(f"date: {value}\n", ("date",))
    assert fields.date("date", required=True) is None
    assert lines(diags) == [f"briefs/x.yaml:1:7: error: {message}"]
    assert diags.items[0].hint == "dates are written YYYY-MM-DD, e.g. 2024-09-09"


@pytest.mark.parametrize(("value", "hint"), [
    ("9 September 2024", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("September 9, 2024", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("Mon, Sept 9th 2024", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("2024/09/09", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("2024-9-9", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("2024-09-09T10:00", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("25.03.2025", "write it as 2025-03-25: dates are written YYYY-MM-DD"),
    ("09/09/2024", "write it as 2024-09-09: dates are written YYYY-MM-DD"),
    ("11/03/2025", "it reads two ways: 11 March 2025 (2025-03-11) or 3 November 2025 "
                   "(2025-11-03); write the one you mean as YYYY-MM-DD"),
    ("11/03/25", "write the year in full, as YYYY-MM-DD: e.g. 2024-09-09"),
    ("February 30, 2025", "dates are written YYYY-MM-DD, e.g. 2024-09-09"),
])
def test_dates_written_otherwise_get_the_iso_date_to_write(value: str, hint: str) -> None:
    fields, diags = fields_of(f"date: {value}\n", ("date",))
    assert fields.date("date", required=True) is None
    assert lines(diags) == [f"briefs/x.yaml:1:7: error: '{value}' is not a date for 'date'"]
    assert diags.items[0].hint == hint


def test_leap_day_is_a_date() -> None:
    fields, diags = fields_of("date: 2024-02-29\n", ("date",))
    assert fields.date("date") == dt.date(2024, 2, 29)
    assert lines(diags) == []


def test_parse_date_directly() -> None:
    diags = Diagnostics()
    assert parse_date(" 2024-09-09 ", Span(PATH, 2, 7), "date", diags) == dt.date(2024, 9, 9)
    assert not diags.items


def test_choice_suggests_and_lists() -> None:
    fields, diags = fields_of("status: unverifed\n", ("status",), "a claim")
    allowed = ["unverified", "disputed", "confirmed", "refuted"]
    assert fields.choice("status", allowed, required=True) is None
    assert lines(diags) == ["briefs/x.yaml:1:9: error: 'unverifed' is not a valid 'status' "
                            "for a claim"]
    assert diags.items[0].hint == (
        "did you mean 'unverified'?\nallowed values: unverified, disputed, confirmed, refuted")


def test_fields_read_in_a_full_record() -> None:
    text = dedent("""
        title:   Iran denies
        date: 2024-09-09
        tags: [iran, russia]
        """)
    fields, diags = fields_of(text, ("title", "date", "tags"))
    assert fields.text("title") == "Iran denies"
    assert fields.date("date") == dt.date(2024, 9, 9)
    assert fields.texts("tags") == ("iran", "russia")
    assert str(fields.span("date")) == "briefs/x.yaml:2:7"
    assert str(fields.span("summary")) == "briefs/x.yaml:1:1"
    assert lines(diags) == []


def test_deep_nesting_without_libyaml_is_refused_not_a_crash(monkeypatch) -> None:
    monkeypatch.setattr("site_builder.source.yamlsrc.Loader", yaml.SafeLoader)
    _, diags = parse("tags: " + "[" * 5000 + "]" * 5000 + "\n")
    assert lines(diags) == [
        "briefs/x.yaml:1:1: error: YAML syntax error: exceeded maximum nesting depth"]
