"""`--strict`: the warnings that stop a build, and those about news still unfolding that do not.

A claim no one has answered yet and an actor no brief names yet are how news stands, not
mistakes: `check --strict` and `build --strict` (which the Pages workflow runs) pass with them.
Any other warning, and any error, still fails.
"""

from __future__ import annotations

import pytest
from conftest import ARTICLE, BRIEF, REGISTRY, actor_entry, dedent

from site_builder.base.diagnostics import Diagnostics, Span, summary
from site_builder.cli.commands import main

LATER_ARTICLE = "The EU said Iran had sent drones.\n"
LATER_BRIEF = dedent("""
    title: EU says Iran sent drones
    date: 2024-09-10
    source:
      outlet: AFP
    claims:
      - id: iran-sent-drones
        by: eu
        text: Iran has sent drones.
        quote: Iran had sent drones
        status: unverified
    """)

NEWS_WARNINGS = dedent("""
    briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'
      hint: use it in a claim or response, name it in an article, or remove it
        8 |   - id: china
                ^
    """)
UNANSWERED = dedent("""
    briefs/later.yaml:6:5: warning: the claim 'iran-sent-drones' has no response in any brief
      hint: record who answered it: a response with 'claim: iran-sent-drones'
        6 |   - id: iran-sent-drones
                ^
    """)
CONTROL = "briefs/later.md:1:34: warning: a control character (\\x07) in the article: " \
    + dedent("""
    the page does not show it
      hint: delete it: it is invisible, and was probably pasted along with the text
        1 | The EU said Iran had sent drones.\\x07
                                             ^
    """)
PASSES = "2 on news still unfolding, which --strict lets pass"


def news_site(**changed: str) -> dict[str, str | bytes]:
    """The site as news leaves it: the newest brief's claim not answered yet, an actor in the
    registry that no brief names yet."""
    return {"briefs/_actors.yaml": REGISTRY + actor_entry("china", "China"),
            "briefs/missiles.md": ARTICLE, "briefs/missiles.yaml": BRIEF,
            "briefs/later.md": LATER_ARTICLE, "briefs/later.yaml": LATER_BRIEF, **changed}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def test_check_strict_passes_on_news_still_unfolding(make_site, capsys) -> None:
    root = make_site(news_site())
    assert run(capsys, "check", "--strict", "--source", str(root)) == (
        0, NEWS_WARNINGS + UNANSWERED + f"checked 2 briefs: 0 errors, 2 warnings ({PASSES})\n")


def test_check_without_strict_prints_them_as_before(make_site, capsys) -> None:
    root = make_site(news_site())
    assert run(capsys, "check", "--source", str(root)) == (
        0, NEWS_WARNINGS + UNANSWERED + "checked 2 briefs: 0 errors, 2 warnings\n")


def test_build_strict_publishes_news_still_unfolding(make_site, capsys, tmp_path) -> None:
    root, out = make_site(news_site()), tmp_path / "out"
    # 16 pages (the tags' index among them), 6 feeds, 2 briefs' annotations, 4 data files, and
    # an embed and TimelineJS data for each of the 5 actors and claims; the second answered
    # from the cache
    for written, unchanged in ((38, 0), (0, 38)):
        code, err = run(capsys, "build", "--strict", "--source", str(root), "--output", str(out))
        assert code == 0
        *shown, last = err.splitlines(keepends=True)
        assert "".join(shown) == NEWS_WARNINGS + UNANSWERED
        assert last.startswith(f"built 2 briefs into {out}: {written} written, {unchanged} "
                               f"unchanged, 0 removed, 2 warnings ({PASSES}), ")
    assert (out / "claims" / "iran-sent-drones" / "index.html").is_file()


def test_a_warning_about_a_mistake_still_fails_check_strict(make_site, capsys) -> None:
    root = make_site(news_site(**{"briefs/later.md": LATER_ARTICLE.replace("\n", "\x07\n")}))
    assert run(capsys, "check", "--strict", "--source", str(root)) == (
        1, NEWS_WARNINGS + CONTROL + UNANSWERED
        + f"checked 2 briefs: 0 errors, 3 warnings ({PASSES})\n")


def test_a_warning_about_a_mistake_still_fails_build_strict(make_site, capsys,
                                                          tmp_path) -> None:
    """Also when the build before, without --strict, left it in the build cache: nothing is
    written."""
    root = make_site(news_site(**{"briefs/later.md": LATER_ARTICLE.replace("\n", "\x07\n")}))
    out = tmp_path / "out"
    assert run(capsys, "build", "--source", str(root), "--output", str(out))[0] == 0
    before = sorted(out.rglob("*"))
    (out / "index.html").write_text("kept", encoding="utf-8")
    code, err = run(capsys, "build", "--strict", "--source", str(root), "--output", str(out))
    assert (code, err) == (1, NEWS_WARNINGS + CONTROL + UNANSWERED
                           + f"build failed (--strict: 1 warning counts as an error), {out} "
                             f"left as it was: 0 errors, 3 warnings ({PASSES})\n")
    assert sorted(out.rglob("*")) == before
    assert (out / "index.html").read_text(encoding="utf-8") == "kept"


def test_errors_still_fail_strict(make_site, capsys, tmp_path) -> None:
    root = make_site(news_site(**{"briefs/later.yaml": LATER_BRIEF.replace("by: eu",
                                                                            "by: eux")}))
    code, err = run(capsys, "check", "--strict", "--source", str(root))
    assert code == 1
    assert err.splitlines()[-1] == f"checked 2 briefs: 1 error, 2 warnings ({PASSES})"
    out = tmp_path / "out"
    code, err = run(capsys, "build", "--strict", "--source", str(root), "--output", str(out))
    assert code == 1 and not out.exists()
    assert err.splitlines()[-1] == (f"build failed, {out} left as it was: 1 error, "
                                    f"2 warnings ({PASSES})")


def test_which_warnings_fail_strict() -> None:
    diags = Diagnostics()
    diags.warning(Span("briefs/a.yaml", 3), "the claim 'c' has no response in any brief",
                  pending=True)
    assert (diags.fails(), diags.fails(strict=True)) == (False, False)
    diags.warning(Span("briefs/a.md", 1), "a control character")
    assert (diags.fails(), diags.fails(strict=True)) == (False, True)
    assert summary(diags, "checked 1 brief") == "checked 1 brief: 0 errors, 2 warnings"
    diags.error(Span("briefs/a.yaml", 5), "unknown actor 'x'")
    assert (diags.fails(), diags.fails(strict=True)) == (True, True)
    assert [str(d) for d in diags] == [
        "briefs/a.yaml:3:1: warning: the claim 'c' has no response in any brief",
        "briefs/a.md:1:1: warning: a control character",
        "briefs/a.yaml:5:1: error: unknown actor 'x'"]


NO_PUBLISHER = (
    "site.yaml:1:1: warning: 1 claim has a verdict, but its page carries no ClaimReview: "
    "site.yaml names no publisher to give it\n"
    "  hint: add a publisher: block to site.yaml: the name and url of the organization that "
    "gives the verdicts\n"
    "    1 | title: Desk\n"
    "        ^\n")


def test_strict_passes_a_site_with_verdicts_and_no_publisher(make_site, capsys,
                                                            tmp_path) -> None:
    """A site is whole without structured data for fact-check tools: the warning that says
    how to add it is printed, counted apart, and lets `--strict` (the Pages workflow) pass."""
    root = make_site(news_site(**{"site.yaml": "title: Desk\n", "briefs/later.yaml":
                                  LATER_BRIEF.replace("status: unverified", "status: refuted")}))
    passes = "2 on news still unfolding, 1 on a setting left out, which --strict lets pass"
    assert run(capsys, "check", "--strict", "--source", str(root)) == (
        0, NEWS_WARNINGS + UNANSWERED + NO_PUBLISHER
        + f"checked 2 briefs: 0 errors, 3 warnings ({passes})\n")
    code, err = run(capsys, "build", "--strict", "--source", str(root), "--output",
                    str(tmp_path / "out"))
    assert code == 0
    assert err.splitlines()[-1].startswith(f"built 2 briefs into {tmp_path / 'out'}: 38 "
                                           f"written, 0 unchanged, 0 removed, 3 warnings "
                                           f"({passes}), ")


def test_the_setting_left_out_alone_in_the_summary(make_site, capsys) -> None:
    files = {**news_site(), "site.yaml": "title: Desk\n",
             "briefs/_actors.yaml": REGISTRY,
             "briefs/later.yaml": LATER_BRIEF.replace("status: unverified", "status: refuted")
             + "responses:\n  - claim: iran-sent-drones\n    by: iran\n    stance: denies\n"}
    code, err = run(capsys, "check", "--strict", "--source", str(make_site(files)))
    assert (code, err) == (0, NO_PUBLISHER + "checked 2 briefs: 0 errors, 1 warning (1 on a "
                              "setting left out, which --strict lets pass)\n")


def test_summary_counts_optional_warnings_apart() -> None:
    diags = Diagnostics()
    diags.warning(Span("site.yaml"), "a", optional=True)
    diags.warning(Span("site.yaml"), "b", optional=True)
    assert summary(diags, "checked", strict=True) == (
        "checked: 0 errors, 2 warnings (2 on settings left out, which --strict lets pass)")
    assert summary(diags, "checked") == "checked: 0 errors, 2 warnings"
    assert not diags.fails(strict=True)
    diags.warning(Span("site.yaml"), "c")
    assert diags.fails(strict=True) and not diags.fails()
