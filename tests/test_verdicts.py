"""Verdicts with history: a claim's `verdicts:` read and checked, and shown where its status is.

The test site `fixtures/verdicts/` is one story in three briefs: a claim on 4 March 2025, the
union's rebuttal on 11 March, the authority's retraction on 19 March; the claim's verdict
went from disputed (11 March) to refuted (19 March).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import BRIEF
from sitetools import build, json_ld, read_page

FIXTURE = Path(__file__).parent / "fixtures" / "verdicts"
CLAIM = "claims/terminal-costs-no-jobs/index.html"
FIRST = "briefs/2025-03-04-terminal-claim/index.html"
REBUTTAL = "briefs/2025-03-11-union-rebuttal/index.html"
SINCE = "refuted since 19 March 2025"


def words(element) -> str:
    return re.sub(r"\s+", " ", element.text).strip()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The story site, built."""
    root = tmp_path_factory.mktemp("story") / "site"
    shutil.copytree(FIXTURE, root)
    build(root, cache=False)
    return root / "output"


# --- the claim's page ---------------------------------------------------------------------------


def test_the_claim_page_shows_each_change_with_its_date_reason_and_evidence(story: Path) -> None:
    page = read_page(story, CLAIM)
    section = page.find("section", aria_labelledby="verdicts")
    assert section is not None and words(section.find("h2")) == "Verdict history"
    changes = section.find_all("li", class_="verdict-change")
    assert [c.find("time").get("datetime") for c in changes] == ["2025-03-11", "2025-03-19"]
    assert [words(c.find("time")) for c in changes] == ["11 March 2025", "19 March 2025"]
    assert [c.find("span", class_="status").classes() for c in changes] == [
        ["status", "status-disputed"], ["status", "status-refuted"]]
    assert [words(c.find("p", class_="verdict-reason")) for c in changes] == [
        "The union's staffing plan shows 120 posts cut.", "The authority withdrew the figure."]
    evidence = [[(a.get("href"), words(a)) for a in c.find("p", class_="meta").find_all("a")]
                for c in changes]
    assert evidence == [
        [("../../briefs/2025-03-11-union-rebuttal/", "Union says terminal plan cuts 120 posts")],
        [("../../briefs/2025-03-19-authority-retraction/", "Authority withdraws no-job-loss claim"),
         ("https://example.org/authority-statement", "https://example.org/authority-statement")]]
    # the change's own badge says what the verdict became, not since when
    assert [words(c.find("span", class_="status")) for c in changes] == ["± disputed", "✗ refuted"]


def test_the_badge_says_since_when_wherever_it_appears(story: Path) -> None:
    def badges(rel: str) -> list[str]:
        return [words(b) for b in read_page(story, rel).find_all("span", class_="status-refuted")
                if b.find("span", class_="since")]

    assert badges(CLAIM)[0] == f"✗ {SINCE}"  # the page's kicker
    assert badges("claims/index.html") == [f"✗ {SINCE}"]
    assert badges("index.html") == []  # the home page lists disputed and unverified claims
    # the note beside the article, and the story's heading for the claim (what came after)
    assert badges(FIRST) == [f"✗ {SINCE}"] * 2
    assert badges(REBUTTAL) == [f"✗ {SINCE}"] * 2  # the brief that answers it, the same two
    assert badges("actors/harbour-authority/index.html")  # its timeline and its stances
    assert badges("claims/terminal-costs-no-jobs/embed/index.html") == [f"✗ {SINCE}"]
    assert badges("actors/harbour-authority/embed/index.html")  # its claim's entry
    since = read_page(story, CLAIM).find("span", class_="since")
    assert since.find("time").get("datetime") == "2025-03-19"


def test_a_claim_with_a_status_only_has_no_history_and_no_since(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    yaml_path = root / "briefs" / "2025-03-04-terminal-claim.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text[:text.index("    verdicts:")] + text[text.index("responses:"):],
                         encoding="utf-8")
    out = build(root, cache=False).out
    page = read_page(out, CLAIM)
    assert page.find("section", aria_labelledby="verdicts") is None
    assert page.find("span", class_="since") is None
    assert words(page.find("p", class_="kicker").find("span", class_="status")) == "✗ refuted"
    review = json_ld(page)[0]
    assert "reviewBody" not in review and "datePublished" not in review


def test_the_claim_review_gives_the_current_verdict_its_date_and_reason(story: Path) -> None:
    review = json_ld(read_page(story, CLAIM))[0]
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "Refuted"
    assert review["datePublished"] == "2025-03-19"
    assert review["reviewBody"] == "The authority withdrew the figure."
    assert review["itemReviewed"]["datePublished"] == "2025-03-04"  # the claim's own date


def test_the_claims_tables_give_the_current_verdict_and_its_date(story: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((story / "data" / "claims.csv").read_text("utf-8"))))
    assert [(r["status"], r["status_since"], r["status_reason"]) for r in rows] == [
        ("refuted", "2025-03-19", "The authority withdrew the figure.")]
    row = json.loads((story / "data" / "claims.json").read_text("utf-8"))[0]
    assert (row["status"], row["status_since"], row["status_reason"]) == (
        "refuted", "2025-03-19", "The authority withdrew the figure.")


# --- the honest tally ---------------------------------------------------------------------------


def test_a_retracted_response_counts_as_withdrawn_not_for(story: Path) -> None:
    page = read_page(story, CLAIM)
    summary = words(page.find("p", class_="polarity-summary"))
    assert summary == "4 responses: + for 0 ○ neither 1 − against 2 ↶ withdrawn 1"
    later = [words(e.find("p", class_="event-line")) for e in page.find_all("li", class_="event")]
    assert later[0] == "Harbour Authority + asserts later withdrawn"
    assert not any("withdrawn" in line for line in later[1:])
    row = json.loads((story / "data" / "claims.json").read_text("utf-8"))[0]
    assert [row[k] for k in ("responses", "responses_for", "responses_neither",
                             "responses_against", "responses_withdrawn")] == [4, 0, 1, 2, 1]


def test_the_new_stances_are_in_the_legend(story: Path) -> None:
    legend = read_page(story, "claims/index.html").find("details", class_="glossary")
    terms = {words(dt): words(dd) for dt, dd in zip(legend.find_all("dt"), legend.find_all("dd"),
                                                    strict=True)}
    assert terms["− retracts"] == ("withdraws its own earlier claim, or its support for the "
                                   "claim · polarity against · CAMEO 080")
    assert terms["+ apologizes"] == ("apologizes for what the claim says it did, accepting it "
                                     "· polarity for · CAMEO 055")
    assert terms["○ promises-to-investigate"] == ("says it will look into the claim · polarity "
                                                  "neither · CAMEO 090")


# --- what the checker says ----------------------------------------------------------------------


def with_verdicts(block: str, status: str | None = "    status: unverified\n") -> str:
    """BRIEF with the claim's `status:` line (line 10) replaced by `status` then `block`."""
    return BRIEF.replace("    status: unverified\n", (status or "") + block)


def check(check_files, valid_files, brief: str, more: dict[str, str] | None = None):
    return check_files({**valid_files, "site.yaml": PUBLISHER, "briefs/missiles.yaml": brief,
                        **(more or {})})


PUBLISHER = "publisher:\n  name: The Desk\n"
GOOD = """\
    verdicts:
      - status: disputed
        date: 2024-09-10
        reason: Iran denies it; the EU has shown no evidence.
        evidence: [missiles, https://example.org/statement]
      - status: refuted
        date: 2024-09-19
        reason: The EU withdrew the claim.
"""


def test_a_good_history_checks_clean_and_gives_the_status(check_files, valid_files) -> None:
    report = check(check_files, valid_files, with_verdicts(GOOD, "    status: refuted\n"))
    assert report.lines == []
    claim = report.checked.site.claim_by_id["iran-sent-missiles"]
    assert (str(claim.status), claim.since.isoformat()) == ("refuted", "2024-09-19")
    assert [(v.status.value, v.reason) for v in claim.verdicts] == [
        ("disputed", "Iran denies it; the EU has shown no evidence."),
        ("refuted", "The EU withdrew the claim.")]
    assert [(e.brief, e.url) for e in claim.verdicts[0].evidence] == [
        ("missiles", None), (None, "https://example.org/statement")]


def test_with_verdicts_the_status_may_be_left_out(check_files, valid_files) -> None:
    report = check(check_files, valid_files, with_verdicts(GOOD, None))
    assert report.lines == []
    assert str(report.checked.site.claim_by_id["iran-sent-missiles"].status) == "refuted"


def test_a_status_that_is_not_the_latest_verdict(check_files, valid_files) -> None:
    report = check(check_files, valid_files, with_verdicts(GOOD, "    status: disputed\n"))
    assert report.lines == [
        "briefs/missiles.yaml:10:13: error: the claim's status 'disputed' is not its latest "
        "verdict 'refuted' (2024-09-19, line 16)"]
    assert report.hint(report.lines[0]) == ("write 'status: refuted', or leave 'status' out: "
                                            "the latest verdict gives it")


def test_an_unknown_status_in_a_verdict(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("status: refuted", "status: debunked"), None)
    report = check(check_files, valid_files, brief)
    assert report.errors == [
        "briefs/missiles.yaml:15:17: error: 'debunked' is not a valid 'status' for a verdict"]
    assert report.hint(report.errors[0]) == (
        "did you mean 'refuted' (established as false)?\n"
        "allowed values: unverified, disputed, confirmed, refuted")


def test_a_bad_date_in_a_verdict(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("date: 2024-09-19", "date: 19/09/2024"), None)
    report = check(check_files, valid_files, brief)
    assert report.errors == [
        "briefs/missiles.yaml:16:15: error: '19/09/2024' is not a date for 'date'"]
    assert report.hint(report.errors[0]) == "write it as 2024-09-19: dates are written YYYY-MM-DD"


def test_verdicts_out_of_date_order(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("date: 2024-09-19", "date: 2024-09-09"), None)
    report = check(check_files, valid_files, brief)
    assert report.lines == [
        "briefs/missiles.yaml:16:15: error: this verdict (2024-09-09) is dated before the one "
        "above it (2024-09-10, line 11)"]
    assert report.hint(report.lines[0]) == ("list a claim's verdicts oldest first, its current "
                                            "verdict last")


def test_a_verdict_dated_before_its_claim_is_a_warning(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("date: 2024-09-10", "date: 2024-09-01"), None)
    report = check(check_files, valid_files, brief)
    assert report.lines == [
        "briefs/missiles.yaml:12:15: warning: this verdict (2024-09-01) is dated before the "
        "claim (2024-09-09)"]
    assert report.hint(report.lines[0]) == "check the 'date' of the verdict or of the claim"


def test_an_evidence_brief_that_does_not_exist(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("[missiles,", "[missile,"), None)
    report = check(check_files, valid_files, brief)
    assert report.lines == [
        "briefs/missiles.yaml:14:20: error: unknown brief 'missile' in the evidence of a verdict"]
    assert report.hint(report.lines[0]) == "did you mean 'missiles'?"


def test_an_evidence_brief_with_nothing_close(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("[missiles,", "[port-deal,"), None)
    report = check(check_files, valid_files, brief)
    assert report.lines == [
        "briefs/missiles.yaml:14:20: error: unknown brief 'port-deal' in the evidence of a "
        "verdict"]
    assert report.hint(report.lines[0]) == ("give the name of a brief of this site (its file "
                                            "name without .md), or a web address starting with "
                                            "https://")


@pytest.mark.parametrize(("written", "message", "hint"), [
    ("https://exa mple.org/x", "'https://exa mple.org/x' is not a valid web address: it "
     "contains a space", "write the address in full, e.g. https://example.org/statement"),
    ("https://", "'https://' is not an absolute web address",
     "write the address in full, e.g. https://example.org/statement"),
    ("https://exa_mple..org/x", "'https://exa_mple..org/x' is not a valid web address: "
     "'exa_mple..org' is not a host name",
     "write the address in full, e.g. https://example.org/statement"),
    ("https://user@example.org/x", "'https://user@example.org/x' is not a valid web address: "
     "it holds a user name or password ('...@')",
     "write the address in full, e.g. https://example.org/statement"),
    ("example.org/statement", "'example.org/statement' in 'evidence' is neither a brief's name "
     "nor a web address", "write it in full: 'https://example.org/statement'"),
    ("missiles.md", "'missiles.md' in 'evidence' is neither a brief's name nor a web address",
     "write the brief's name alone: 'missiles'"),
    ("The EU statement", "'The EU statement' in 'evidence' is neither a brief's name nor a web "
     "address", "write a brief's name (its file name without .md, e.g. "
     "2025-03-19-port-retraction) or a web address starting with https://"),
])
def test_evidence_that_is_no_address(check_files, valid_files, written: str, message: str,
                                     hint: str) -> None:
    brief = with_verdicts(GOOD.replace("https://example.org/statement", f"'{written}'"), None)
    report = check(check_files, valid_files, brief)
    assert report.lines == [f"briefs/missiles.yaml:14:30: error: {message}"]
    assert report.hint(report.lines[0]) == hint


def test_a_verdict_without_a_reason_or_with_several_lines(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("        reason: The EU withdrew the claim.\n", "")
                          .replace("reason: Iran denies it; the EU has shown no evidence.",
                                   "reason: |\n          Iran denies it.\n          No evidence."),
                          None)
    report = check(check_files, valid_files, brief)
    assert report.errors == [
        "briefs/missiles.yaml:13:17: error: the 'reason' of a verdict must be one line",
        "briefs/missiles.yaml:17:9: error: a verdict is missing the required field 'reason'"]
    assert [report.hint(e) for e in report.errors] == [
        "say why in one sentence; the evidence links say the rest",
        "reason: why the verdict is what it is, in one line"]


def test_a_claim_with_neither_status_nor_verdicts(check_files, valid_files) -> None:
    report = check(check_files, valid_files, BRIEF.replace("    status: unverified\n", ""))
    assert report.errors == [
        "briefs/missiles.yaml:6:5: error: a claim is missing the required field 'status'"]


def test_unknown_field_in_a_verdict(check_files, valid_files) -> None:
    brief = with_verdicts(GOOD.replace("reason: The EU", "why: The EU"), None)
    report = check(check_files, valid_files, brief)
    assert report.errors == [
        "briefs/missiles.yaml:15:9: error: a verdict is missing the required field 'reason'",
        "briefs/missiles.yaml:17:9: error: unknown field 'why' in a verdict"]


def test_the_claims_feed_says_since_when(story: Path) -> None:
    feed = (story / "claims" / "terminal-costs-no-jobs" / "feed.xml").read_text("utf-8")
    assert "The editor’s verdict: refuted since 19 March 2025." in html.unescape(feed)
