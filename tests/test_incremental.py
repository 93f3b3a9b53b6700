"""The incremental Builder (what `serve` rebuilds with) writes exactly what a cold build writes.

After every kind of edit (a brief's YAML, its article, a brief added, renamed or deleted,
the registry, site.yaml, the site's own templates, a failed edit and its fix) the output
folder of one long-lived Builder is compared, whole and byte for byte, with a cold build of
the same sources into a fresh folder.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from servetools import (
    NEW_SLUG,
    SEED_SLUG,
    add_actor,
    add_brief,
    atomic_write,
    copy_example_site,
    delete_brief,
    rename_brief,
    replace_in,
    tree,
)
from sitetools import generate_corpus, rendered_files

from site_builder.base.diagnostics import Diagnostics
from site_builder.build.builder import Builder, BuildOutcome
from site_builder.site import urls
from site_builder.theme import datafiles
from site_builder.theme.render import BUILTIN_THEME

SEED_YAML = f"briefs/{SEED_SLUG}.yaml"
NEW_YAML = f"briefs/{NEW_SLUG}.yaml"
NEW_MD = f"briefs/{NEW_SLUG}.md"
THIRD_SLUG = "2024-09-11-eu-weighs-sanctions"
RENAMED = "2024-09-10-peskov-rejects-reports"
THIRD_ARTICLE = """\
The European Union said on Wednesday it was weighing new sanctions against Iran.

Peter Stano said the bloc would act "swiftly" if the deliveries were confirmed.
"""
THIRD_ANNOTATIONS = """\
title: EU weighs new sanctions on Iran
date: 2024-09-11
source:
  outlet: Agence France-Presse
claims:
  - id: eu-weighs-sanctions
    by: eu
    about: [iran]
    text: The EU is weighing new sanctions against Iran.
    quote: weighing new sanctions against Iran
    status: confirmed
responses:
  - claim: ukraine-expects-more-deliveries
    by: peter-stano
    stance: warns
    quote: would act "swiftly" if the deliveries were confirmed
  - claim: eu-weighs-sanctions
    by: nasser-kanani
    stance: condemns
"""


def cold_build(root: Path, out: Path, base_url: str | None = None) -> dict[str, bytes]:
    diags = Diagnostics()
    outcome = Builder(root, out, base_url, use_cache=False).build(diags)
    assert outcome.report is not None, [str(d) for d in diags.errors]
    return tree(out)


def build(builder: Builder) -> BuildOutcome:
    diags = Diagnostics()
    outcome = builder.build(diags)
    assert outcome.report is not None, [str(d) for d in diags.errors]
    assert not diags.errors
    return outcome


def assert_same_as_cold(builder: Builder, scratch: Path, label: str) -> dict[str, bytes]:
    """The builder's output folder, file for file, equals a cold build of the same sources."""
    cold_out = scratch / f"cold-{label}"
    cold = cold_build(builder.root, cold_out, builder.base_url)
    warm = tree(builder.out_dir)
    missing, extra = cold.keys() - warm.keys(), warm.keys() - cold.keys()
    assert not missing and not extra, f"{label}: missing {sorted(missing)}, extra {sorted(extra)}"
    differ = sorted(rel for rel in cold if cold[rel] != warm[rel])
    assert differ == [], f"{label}: these files differ from a cold build: {differ}"
    # The comparison covers every actor's and claim's embed and TimelineJS data.
    timelines = {rel for rel in warm if rel.endswith(("/embed/index.html", "/timeline.json"))}
    assert len(timelines) == 2 * sum(1 for rel in warm if re.fullmatch(
        r"(actors|claims)/[^/]+/feed\.xml", rel)), label
    return warm


# --- the edits -----------------------------------------------------------------------------------


def edit_title(root: Path) -> None:
    replace_in(root / SEED_YAML, "title: US warns", "title: Washington warns")


def edit_claim_status(root: Path) -> None:
    """A claim's status is shown in other briefs' pages that respond to it."""
    replace_in(root / SEED_YAML, "    status: disputed", "    status: refuted")


def edit_claim_text(root: Path) -> None:
    replace_in(root / SEED_YAML, "text: Iran has transferred ballistic missiles",
               "text: Iran has sent ballistic missiles")


def edit_stance(root: Path) -> None:
    replace_in(root / SEED_YAML, "stance: declines-to-deny", "stance: no-comment")


def edit_response_note(root: Path) -> None:
    replace_in(root / SEED_YAML, "Said before this report;", "Said well before this report;")


def edit_summary(root: Path) -> None:
    replace_in(root / SEED_YAML, "The EU says allies", "The European Union says allies")


def edit_date(root: Path) -> None:
    """The new brief moves before the seed brief: lists and timelines reorder."""
    replace_in(root / NEW_YAML, "date: 2024-09-10", "date: 2024-09-08")


def edit_date_to_another_month(root: Path) -> None:
    """The new brief moves to October: the charts of its actors get a bar for October, the
    claim it answers a wider span of dates."""
    replace_in(root / NEW_YAML, "date: 2024-09-10", "date: 2024-10-02")


def edit_response_date(root: Path) -> None:
    """A response dated on its own: its mark moves on the claim's chart, and its actor's
    entry to another month."""
    replace_in(root / NEW_YAML, "    stance: denies\n",
               "    stance: denies\n    date: 2024-11-20\n")


def edit_article(root: Path) -> None:
    """The article names one more actor: its page gains a mention."""
    text = (root / NEW_MD).read_text(encoding="utf-8")
    atomic_write(root / NEW_MD, text + "\nNorth Korea made no comment.\n")


def edit_article_only_words(root: Path) -> None:
    text = (root / NEW_MD).read_text(encoding="utf-8")
    atomic_write(root / NEW_MD, text.replace("on Tuesday", "on Tuesday morning"))


def edit_tags_added(root: Path) -> None:
    """The new brief gets tags: one the seed brief has (its feed lists both now), one new
    (a feed of its own, at a folder named with a digest)."""
    replace_in(root / NEW_YAML, "claims:\n", 'tags: [iran, "C++ / Énergie"]\nclaims:\n')


def edit_tags_removed(root: Path) -> None:
    """The seed brief keeps two of its tags: the other three tags' feeds go."""
    replace_in(root / SEED_YAML, "tags: [iran, russia, ukraine, ballistic-missiles, sanctions]",
               "tags: [iran, russia]")


def edit_response_added(root: Path) -> None:
    text = (root / NEW_YAML).read_text(encoding="utf-8")
    atomic_write(root / NEW_YAML, text + (
        "  - claim: north-korean-missile-fragments-in-ukraine\n"
        "    by: dmitry-peskov\n"
        "    stance: no-comment\n"))


def edit_response_removed(root: Path) -> None:
    text = (root / NEW_YAML).read_text(encoding="utf-8")
    head, _, _ = text.partition("responses:\n")
    atomic_write(root / NEW_YAML, head)


def edit_add_brief(root: Path) -> None:
    add_brief(root, THIRD_SLUG, THIRD_ARTICLE, THIRD_ANNOTATIONS)


BETWEEN_SLUG = "2024-09-09-tehran-repeats-denial"


def edit_brief_between(root: Path) -> None:
    """A brief dated between the seed brief and the new one: it is the seed's next brief and
    the new one's previous now, and a later response on the seed's page."""
    add_brief(root, BETWEEN_SLUG, "Tehran again denied sending missiles.\n",
              "title: Tehran repeats its denial\ndate: 2024-09-09\n"
              "source:\n  outlet: Agence France-Presse\nresponses:\n"
              "  - claim: iran-sent-missiles-to-russia\n    by: nasser-kanani\n"
              "    stance: denies\n    quote: again denied sending missiles\n")


def edit_rename_brief(root: Path) -> None:
    rename_brief(root, NEW_SLUG, RENAMED)


def edit_delete_brief(root: Path) -> None:
    delete_brief(root, NEW_SLUG)


def edit_registry_add(root: Path) -> None:
    add_actor(root)


def edit_registry_change(root: Path) -> None:
    replace_in(root / "briefs/_actors.yaml", "description: The United States of America.",
               "description: The United States of America, a federal republic.")


def edit_registry_alias(root: Path) -> None:
    """A new alias makes more of the articles link to the actor."""
    replace_in(root / "briefs/_actors.yaml", "aliases: [Stano]", "aliases: [Stano, the bloc]")


def edit_inline_actor(root: Path) -> None:
    text = (root / NEW_YAML).read_text(encoding="utf-8")
    atomic_write(root / NEW_YAML, text.replace("claims:\n", (
        "actors:\n"
        "  - id: kremlin-press-office\n"
        "    name: Kremlin press office\n"
        "    kind: organization\n"
        "    part_of: kremlin\n"
        "claims:\n"), 1))


def edit_site_settings(root: Path) -> None:
    replace_in(root / "site.yaml", "title: Annotated briefs", "title: Missile watch")


def edit_links_style(root: Path) -> None:
    """Every link changes, those the articles' stage writes (first mentions) too."""
    atomic_write(root / "site.yaml",
                 (root / "site.yaml").read_text(encoding="utf-8") + "links: files\n")


def edit_publisher_removed(root: Path) -> None:
    """The claims' pages with a verdict go from a ClaimReview to the bare Claim."""
    text = (root / "site.yaml").read_text(encoding="utf-8")
    atomic_write(root / "site.yaml", text[:text.index("publisher:")])


def edit_claim_given_a_verdict(root: Path) -> None:
    """An unverified claim's page gains a ClaimReview."""
    replace_in(root / SEED_YAML, "    status: unverified", "    status: refuted")


VERDICTS = """\
    status: disputed
    verdicts:
      - status: disputed
        date: 2024-09-10
        reason: The Kremlin calls the reports baseless; no evidence has been published.
        evidence: [{}, https://example.org/statement]
"""


def edit_claim_verdicts(root: Path, evidence: str = NEW_SLUG) -> None:
    """The seed claim's status gets a history, with the second brief as evidence: its badge
    says since when on every page that shows it."""
    replace_in(root / SEED_YAML, "    status: disputed\n", VERDICTS.format(evidence))


def edit_claim_verdicts_in_itself(root: Path) -> None:
    """The same, with the seed brief as its own evidence."""
    edit_claim_verdicts(root, SEED_SLUG)


def _base_template() -> str:
    base = (BUILTIN_THEME / "base.html").read_text(encoding="utf-8")
    assert "</body>" in base
    return base


def edit_template_added(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    atomic_write(root / "templates" / "base.html",
                 _base_template().replace("</body>", "<p>Site footer</p></body>", 1))


def edit_template_changed(root: Path) -> None:
    edit_template_added(root)
    # a second, different save of the same file (longer, so size and time both change)
    atomic_write(root / "templates" / "base.html",
                 _base_template().replace("</body>", "<p>Another site footer</p></body>", 1))


def edit_template_one_kind(root: Path) -> None:
    """The site's own claim.html: only the claim pages use it."""
    claim = (BUILTIN_THEME / "claim.html").read_text(encoding="utf-8")
    at = claim.rindex("{% endblock %}")
    (root / "templates").mkdir(exist_ok=True)
    atomic_write(root / "templates" / "claim.html",
                 claim[:at] + "<p>Claim page note</p>\n" + claim[at:])


def edit_template_macros(root: Path) -> None:
    """The site's own macros.html, imported by most page templates."""
    macros = (BUILTIN_THEME / "macros.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    atomic_write(root / "templates" / "macros.html",
                 macros.replace("{% macro brief_item(view, with_summary=false) -%}",
                                "{% macro brief_item(view, with_summary=false) -%}<!-- item -->",
                                1))


def edit_template_meta(root: Path) -> None:
    """The site's own meta.html, which base.html includes in every page's <head>."""
    meta = (BUILTIN_THEME / "meta.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    atomic_write(root / "templates" / "meta.html",
                 meta + '<meta name="author" content="Briefs Desk">\n')


def edit_template_removed(root: Path) -> None:
    (root / "templates" / "base.html").unlink()


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("title", edit_title),
    ("claim-status", edit_claim_status),
    ("claim-text", edit_claim_text),
    ("stance", edit_stance),
    ("response-note", edit_response_note),
    ("summary", edit_summary),
    ("date", edit_date),
    ("date-month", edit_date_to_another_month),
    ("response-date", edit_response_date),
    ("article-mention", edit_article),
    ("article-words", edit_article_only_words),
    ("response-added", edit_response_added),
    ("response-removed", edit_response_removed),
    ("tags-added", edit_tags_added),
    ("tags-removed", edit_tags_removed),
    ("brief-added", edit_add_brief),
    ("brief-between", edit_brief_between),
    ("brief-renamed", edit_rename_brief),
    ("brief-deleted", edit_delete_brief),
    ("registry-actor-added", edit_registry_add),
    ("registry-description", edit_registry_change),
    ("registry-alias", edit_registry_alias),
    ("inline-actor", edit_inline_actor),
    ("site-settings", edit_site_settings),
    ("links-style", edit_links_style),
    ("publisher-removed", edit_publisher_removed),
    ("claim-verdict", edit_claim_given_a_verdict),
    ("claim-verdicts", edit_claim_verdicts),
    ("template-added", edit_template_added),
    ("template-changed", edit_template_changed),
    ("template-one-kind", edit_template_one_kind),
    ("template-macros", edit_template_macros),
    ("template-meta", edit_template_meta),
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The example site plus a second brief that responds to the first one's claim."""
    root = copy_example_site(tmp_path / "site")
    add_brief(root)
    return root


@pytest.fixture
def builder(site: Path, tmp_path: Path) -> Builder:
    """A warm incremental builder: it has built the site once, like `serve` at its start."""
    warm = Builder(site, tmp_path / "out")
    build(warm)
    return warm


# --- one edit at a time --------------------------------------------------------------------------


@pytest.mark.parametrize(("label", "edit"), EDITS, ids=[label for label, _ in EDITS])
def test_one_edit_gives_the_same_output_as_a_cold_build(builder: Builder, tmp_path: Path,
                                                        label: str, edit):
    before = tree(builder.out_dir)
    edit(builder.root)
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, label)
    assert after != before, f"{label}: the edit changed nothing in the output"


RESPONSES = {"data/responses.csv", "data/responses.json"}
DATA = RESPONSES | {"data/claims.csv", "data/claims.json"}
SEED_ANNOTATIONS = f"briefs/{SEED_SLUG}/annotations.jsonld"
NEW_ANNOTATIONS = f"briefs/{NEW_SLUG}/annotations.jsonld"
DATA_EDITS = [  # an edit, and the data files and annotations it must change
    (edit_stance, RESPONSES | {SEED_ANNOTATIONS}),  # of the same polarity: no count changes
    (edit_claim_text, DATA | {SEED_ANNOTATIONS}),
    (edit_article_only_words, {NEW_ANNOTATIONS}),  # the positions of the quotes after it
    (edit_response_added, DATA | {NEW_ANNOTATIONS}),
    (edit_claim_verdicts_in_itself, {"data/claims.csv", "data/claims.json"}),  # same status
    (edit_delete_brief, DATA | {NEW_ANNOTATIONS}),
]


@pytest.mark.parametrize("warm", [False, True], ids=["cold-rows", "kept-rows"])
def test_the_data_files_and_annotations_follow_each_edit(builder: Builder, tmp_path: Path,
                                                         warm: bool):
    """The files written from Python, not from templates, are planned with what they show:
    an edit writes them again exactly when it changes them; the same when a warm builder
    (`serve`'s) keeps the data files' rows between builds."""
    if warm:
        builder.warm()
    for number, (edit, changes) in enumerate(DATA_EDITS):
        before = tree(builder.out_dir)
        edit(builder.root)
        build(builder)
        after = assert_same_as_cold(builder, tmp_path, f"data-{number}")
        changed = {rel for rel in before.keys() | after.keys()
                   if before.get(rel) != after.get(rel)}
        assert changed & (DATA | {SEED_ANNOTATIONS, NEW_ANNOTATIONS}) == changes, edit.__name__


def count_rows(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The responses' rows made from now on, as (brief, response)."""
    made: list[tuple[str, str]] = []
    real = datafiles._response

    def counted(view, item, *rest):
        made.append((view.brief.slug, item.key))
        return real(view, item, *rest)

    monkeypatch.setattr(datafiles, "_response", counted)
    return made


# The rows of the seed brief, and of the new brief's answer to the seed brief's claim (a row
# shows the text of the claim it answers).
SEED_ROWS = [(SEED_SLUG, f"response-{n}") for n in range(1, 13)] + [(NEW_SLUG, "response-1")]


def test_a_warm_builder_makes_again_only_the_rows_of_what_changed(
        builder: Builder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each row made once for both files (CSV and JSON), and only the rows of what changed."""
    builder.warm()
    made = count_rows(monkeypatch)
    edit_response_note(builder.root)  # a note of the seed brief, which answers no other's claim
    build(builder)
    assert sorted(made) == sorted(SEED_ROWS)
    assert_same_as_cold(builder, tmp_path, "kept-rows")


def test_a_build_from_the_cache_makes_again_only_the_rows_of_what_changed(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`site-builder build` keeps the tables' rows in the build cache: after a cold build (which
    keeps none) and a first incremental build (which makes and keeps them all), a new process
    makes only the rows of the brief that changed."""
    out = tmp_path / "cached-out"
    build(Builder(site, out, use_cache=True))
    edit_title(site)
    build(Builder(site, out, use_cache=True))
    made = count_rows(monkeypatch)
    edit_response_note(site)
    build(Builder(site, out, use_cache=True))
    assert sorted(made) == sorted(SEED_ROWS)
    assert tree(out) == cold_build(site, tmp_path / "cold")


def test_the_data_files_follow_each_edit_in_builds_from_the_cache(site: Path, tmp_path: Path):
    """The tables' rows kept in the build cache, each build a new process: the same files as
    a cold build after each edit, those the edit changes written again."""
    out = tmp_path / "cached-out"
    build(Builder(site, out, use_cache=True))
    edit_title(site)  # the next build makes every row and keeps them
    build(Builder(site, out, use_cache=True))
    for number, (edit, changes) in enumerate(DATA_EDITS):
        before = tree(out)
        edit(site)
        build(Builder(site, out, use_cache=True))
        after = tree(out)
        assert after == cold_build(site, tmp_path / f"cold-{number}"), edit.__name__
        changed = {rel for rel in before.keys() | after.keys()
                   if before.get(rel) != after.get(rel)}
        assert changed & (DATA | {SEED_ANNOTATIONS, NEW_ANNOTATIONS}) == changes, edit.__name__


def test_removing_the_sites_template_goes_back_to_the_theme(builder: Builder, tmp_path: Path):
    theme_only = tree(builder.out_dir)
    edit_template_added(builder.root)
    build(builder)
    assert_same_as_cold(builder, tmp_path, "template-added")
    edit_template_removed(builder.root)
    build(builder)
    assert assert_same_as_cold(builder, tmp_path, "template-removed") == theme_only


def test_a_template_edited_twice_and_removed(builder: Builder, tmp_path: Path):
    edit_template_one_kind(builder.root)
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "claim-template")
    assert b"Claim page note" in after["claims/iran-sent-missiles-to-russia/index.html"]
    assert b"Claim page note" not in after["index.html"]
    replace_in(builder.root / "templates" / "claim.html", "Claim page note",
               "A longer claim page note")
    build(builder)
    assert_same_as_cold(builder, tmp_path, "claim-template-edited")
    (builder.root / "templates" / "claim.html").unlink()
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "claim-template-removed")
    assert b"claim page note" not in after["claims/iran-sent-missiles-to-russia/index.html"]


def test_feeds_come_and_go_with_their_tags(builder: Builder, tmp_path: Path):
    new_tag = urls.tag_feed("C++ / Énergie")
    assert "tags/ukraine/feed.xml" in tree(builder.out_dir) and new_tag not in tree(builder.out_dir)
    edit_tags_added(builder.root)
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "tags-added")
    assert NEW_SLUG.encode() in after[new_tag] and NEW_SLUG.encode() in after["tags/iran/feed.xml"]
    edit_tags_removed(builder.root)
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "tags-removed")
    assert "tags/ukraine/feed.xml" not in after and new_tag in after
    assert SEED_SLUG.encode() in after["feed.xml"]


def test_nothing_changed_renders_and_writes_nothing(builder: Builder, tmp_path: Path):
    before = tree(builder.out_dir)
    outcome = build(builder)
    assert outcome.rendered == 0
    assert outcome.report is not None
    assert (outcome.report.written, outcome.report.removed) == ((), ())
    assert tree(builder.out_dir) == before
    assert_same_as_cold(builder, tmp_path, "unchanged")


def test_a_local_edit_renders_only_some_pages(builder: Builder, tmp_path: Path):
    pages = len(rendered_files(builder.out_dir))
    edit_article_only_words(builder.root)
    outcome = build(builder)
    assert 0 < outcome.rendered < pages
    assert outcome.report is not None
    assert f"briefs/{NEW_SLUG}/index.html" in outcome.report.written
    assert "actors/eu/index.html" not in outcome.report.written
    assert_same_as_cold(builder, tmp_path, "local")


def test_moving_a_briefs_own_actor_down_a_line_is_a_local_edit(builder: Builder,
                                                                tmp_path: Path):
    """Where an actor was written is no page's business: a line added above a brief's own
    actors re-renders that brief's pages, not the whole site."""
    edit_inline_actor(builder.root)
    build(builder)
    pages = len(rendered_files(builder.out_dir))
    text = (builder.root / NEW_YAML).read_text(encoding="utf-8")
    atomic_write(builder.root / NEW_YAML, "summary: Moscow answers.\n" + text)
    outcome = build(builder)
    assert 0 < outcome.rendered < pages
    assert "actors/eu/index.html" not in outcome.report.written
    assert_same_as_cold(builder, tmp_path, "inline-actor-moved")


def test_a_comment_in_the_registry_renders_nothing(site: Path, tmp_path: Path):
    """In `serve` and in a build from the cache alike."""
    cached_out = tmp_path / "cached-out"
    build(Builder(site, cached_out, use_cache=True))
    builder = Builder(site, tmp_path / "out")
    build(builder)
    registry = site / "briefs/_actors.yaml"
    atomic_write(registry, "# the actors of the desk\n" + registry.read_text(encoding="utf-8"))
    assert build(builder).rendered == 0
    cached = Builder(site, cached_out, use_cache=True)
    assert build(cached).rendered == 0
    assert_same_as_cold(builder, tmp_path, "registry-comment")
    assert_same_as_cold(cached, tmp_path, "registry-comment-cached")


# --- a whole editing session ---------------------------------------------------------------------


def break_yaml(root: Path) -> str:
    return replace_in(root / SEED_YAML, "title: ", "title: '")  # an unclosed quote


EDIT = dict(EDITS)
SESSION: list[tuple[str, Callable[[Path], None]]] = [
    *[(label, EDIT[label]) for label in (
        "title", "claim-status", "claim-text", "stance", "response-note", "summary", "date",
        "article-mention", "article-words", "response-added", "response-removed",
        "brief-added",  # the third brief responds to the second one's claim
        "brief-between")],
    ("between-brief-deleted", lambda root: delete_brief(root, BETWEEN_SLUG)),
    ("brief-renamed", edit_rename_brief),
    ("third-brief-deleted", lambda root: delete_brief(root, THIRD_SLUG)),
    ("renamed-brief-deleted", lambda root: delete_brief(root, RENAMED)),
    ("second-brief-back", lambda root: add_brief(root)),
    *[(label, EDIT[label]) for label in (
        "registry-actor-added", "registry-description", "registry-alias", "inline-actor",
        "site-settings", "template-added", "template-changed")],
    ("template-removed", edit_template_removed),
    ("site-settings-back", lambda root: replace_in(root / "site.yaml", "title: Missile watch",
                                                   "title: Annotated briefs")),
    ("title-back", lambda root: replace_in(root / SEED_YAML, "title: Washington warns",
                                           "title: US warns")),
]


SHORT_SESSION = [(label, step) for label, step in SESSION if label in (
    "title", "article-mention", "brief-added", "brief-between", "between-brief-deleted",
    "third-brief-deleted", "registry-actor-added",
    "site-settings", "template-added")]


@pytest.mark.parametrize(("base_url", "session"), [
    (None, SESSION), ("https://x.github.io/demo/", SHORT_SESSION)], ids=["root", "base-url"])
def test_a_session_of_edits_stays_identical_to_cold_builds(site: Path, tmp_path: Path,
                                                           base_url: str | None, session):
    builder = Builder(site, tmp_path / "out", base_url)
    build(builder)
    assert_same_as_cold(builder, tmp_path, "start")
    for step, (label, edit) in enumerate(session):
        edit(site)
        build(builder)
        assert_same_as_cold(builder, tmp_path, f"{step}-{label}")


TITLES = {NEW_YAML: ("title: Kremlin calls missile reports baseless",
                     "title: Kremlin dismisses missile reports"),
          f"briefs/{THIRD_SLUG}.yaml": ("title: EU weighs new sanctions on Iran",
                                        "title: EU weighs sanctions on Tehran")}


class VerdictStory:
    """Random edits of the seed claim's verdicts and of what they show: the evidence briefs
    (a title changed, a brief added or deleted), a response taken back (`retracts`)."""

    STATUSES = ("unverified", "disputed", "confirmed", "refuted")
    RETRACTION = ("  - claim: iran-sent-missiles-to-russia\n    by: peter-stano\n"
                  "    stance: retracts\n")

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.seed_text = (root / SEED_YAML).read_text(encoding="utf-8")
        self.verdicts: list[tuple[str, int, str, list[str]]] = []  # status, day, reason, evidence
        self.third = False

    def step(self) -> str:
        moves = [self.add, self.add, self.retitle, self.retitle, self.retract, self.third_brief]
        if self.verdicts:
            moves += [self.reason, self.status, self.drop_evidence]
        if len(self.verdicts) > 2:
            moves.append(self.drop_all)
        return self.rng.choice(moves)()

    def briefs(self) -> list[str]:
        return [SEED_SLUG, NEW_SLUG, *([THIRD_SLUG] if self.third else [])]

    def add(self) -> str:
        day = (self.verdicts[-1][1] if self.verdicts else 9) + self.rng.randint(0, 3)
        evidence = self.rng.sample(self.briefs(), self.rng.randint(0, 2))
        if self.third and THIRD_SLUG not in evidence and self.rng.random() < 0.7:
            evidence.append(THIRD_SLUG)  # a brief that answers another claim
        if self.rng.random() < 0.5:
            evidence.append(f"https://example.org/evidence-{day}")
        self.verdicts.append((self.rng.choice(self.STATUSES), day,
                              f"Reason number {len(self.verdicts) + 1}.", evidence))
        return self.write("add")

    def reason(self) -> str:
        status, day, reason, evidence = self.verdicts[-1]
        self.verdicts[-1] = (status, day, reason.replace(".", ", edited."), evidence)
        return self.write("reason")

    def status(self) -> str:
        status, day, reason, evidence = self.verdicts[-1]
        others = [s for s in self.STATUSES if s != status]
        self.verdicts[-1] = (self.rng.choice(others), day, reason, evidence)
        return self.write("status")

    def drop_evidence(self) -> str:
        i = self.rng.randrange(len(self.verdicts))
        self.verdicts[i] = (*self.verdicts[i][:3], [])
        return self.write("drop-evidence")

    def drop_all(self) -> str:
        self.verdicts = []
        return self.write("drop-all")

    def write(self, label: str) -> str:
        block = [f"    status: {self.verdicts[-1][0] if self.verdicts else 'disputed'}\n"]
        if self.verdicts:
            block.append("    verdicts:\n")
        for status, day, reason, evidence in self.verdicts:
            block += [f"      - status: {status}\n", f"        date: 2024-09-{day:02d}\n",
                      f"        reason: {reason}\n"]
            if evidence:
                block.append(f"        evidence: [{', '.join(evidence)}]\n")
        atomic_write(self.root / SEED_YAML,
                     self.seed_text.replace("    status: disputed\n", "".join(block)))
        return label

    def retitle(self) -> str:
        """A title changed: the third brief's (which answers another claim) when it is there;
        a claim's page shows the title of each brief its verdicts cite."""
        path = f"briefs/{THIRD_SLUG}.yaml" if self.third else NEW_YAML
        text = (self.root / path).read_text(encoding="utf-8")
        titles = TITLES[path]
        old, new = titles if titles[0] in text else titles[::-1]
        replace_in(self.root / path, old, new)
        return f"title-{path}"

    def retract(self) -> str:
        """Peter Stano, who supports the claim in the seed brief, takes it back a day later
        (or no longer does): his support counts as withdrawn."""
        text = (self.root / NEW_YAML).read_text(encoding="utf-8")
        if self.RETRACTION in text:
            atomic_write(self.root / NEW_YAML, text.replace(self.RETRACTION, ""))
            return "retraction-removed"
        atomic_write(self.root / NEW_YAML, text + self.RETRACTION)
        return "retraction"

    def third_brief(self) -> str:
        if not self.third:
            add_brief(self.root, THIRD_SLUG, THIRD_ARTICLE, THIRD_ANNOTATIONS)
            self.third = True
            return "third-brief-added"
        if any(THIRD_SLUG in evidence for *_, evidence in self.verdicts):
            return self.retitle()  # cited as evidence: deleting it is an error
        delete_brief(self.root, THIRD_SLUG)
        self.third = False
        return "third-brief-deleted"


@pytest.mark.parametrize("seed", [1, 4, 7])  # 1 retitles a cited brief that answers another claim
def test_random_verdict_changes_stay_identical_to_cold_builds(site: Path, tmp_path: Path,
                                                              seed: int):
    """A claim's verdicts and what they show (their evidence briefs' titles, a response
    taken back) changed at random: every page showing the badge, the claim's page and its
    data follow, as a cold build writes them."""
    builder = Builder(site, tmp_path / "out")
    build(builder)
    story = VerdictStory(site, random.Random(seed))
    for step in range(10):
        label = story.step()
        build(builder)
        assert_same_as_cold(builder, tmp_path, f"{seed}-{step}-{label}")


def test_a_claims_page_follows_the_title_of_a_brief_its_verdict_cites(builder: Builder,
                                                                      tmp_path: Path):
    """The third brief answers another claim: only the verdict's evidence ties it to the
    seed claim's page."""
    add_brief(builder.root, THIRD_SLUG, THIRD_ARTICLE, THIRD_ANNOTATIONS)
    edit_claim_verdicts(builder.root, THIRD_SLUG)
    build(builder)
    before = assert_same_as_cold(builder, tmp_path, "cited")
    replace_in(builder.root / f"briefs/{THIRD_SLUG}.yaml", "title: EU weighs new sanctions",
               "title: EU weighs sanctions")
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "cited-retitled")
    page = "claims/iran-sent-missiles-to-russia/index.html"
    assert b">EU weighs sanctions on Iran</a>" in after[page] != before[page]


def test_a_failed_build_writes_nothing_and_the_fix_catches_up(builder: Builder, tmp_path: Path):
    good = tree(builder.out_dir)
    edit_title(builder.root)  # a good edit, then a broken one, before the next build
    original = break_yaml(builder.root)
    diags = Diagnostics()
    outcome = builder.build(diags)
    assert outcome.report is None
    assert SEED_YAML in {d.span.path for d in diags.errors}
    assert tree(builder.out_dir) == good
    # meanwhile another brief changes too; then the YAML is fixed
    edit_article(builder.root)
    atomic_write(builder.root / SEED_YAML, original.replace("title: Washington", "title: The US"))
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "fixed")
    assert b"The US warns" in after[f"briefs/{SEED_SLUG}/index.html"]


def test_an_edit_saved_with_an_error_elsewhere_is_written_once_that_is_fixed(
        builder: Builder, tmp_path: Path):
    """A good edit in one brief, an error in another: the fix of the error publishes both."""
    good = tree(builder.out_dir)
    edit_title(builder.root)
    original = replace_in(builder.root / NEW_YAML, "stance: denies", "stance: deniez")
    diags = Diagnostics()
    assert builder.build(diags).report is None
    assert [d.span.path for d in diags.errors] == [NEW_YAML]
    assert tree(builder.out_dir) == good
    atomic_write(builder.root / NEW_YAML, original)  # fixed: back as it was
    build(builder)
    after = assert_same_as_cold(builder, tmp_path, "fixed-elsewhere")
    assert b"Washington warns" in after[f"briefs/{SEED_SLUG}/index.html"]


def test_a_failed_template_writes_nothing_and_the_fix_catches_up(builder: Builder,
                                                                 tmp_path: Path):
    good = tree(builder.out_dir)
    (builder.root / "templates").mkdir()
    atomic_write(builder.root / "templates" / "claim.html", "{% block nope %}\n")
    edit_claim_text(builder.root)
    diags = Diagnostics()
    assert builder.build(diags).report is None
    assert diags.errors and diags.errors[0].span.path == "templates/claim.html"
    assert tree(builder.out_dir) == good
    (builder.root / "templates" / "claim.html").unlink()
    build(builder)
    assert_same_as_cold(builder, tmp_path, "template-fixed")


def test_the_output_folder_deleted_between_builds_is_written_whole(builder: Builder,
                                                                   tmp_path: Path):
    import shutil

    shutil.rmtree(builder.out_dir)
    edit_title(builder.root)
    build(builder)
    assert_same_as_cold(builder, tmp_path, "deleted-output")
    shutil.rmtree(builder.out_dir)
    build(builder)  # and with nothing changed in the sources
    assert_same_as_cold(builder, tmp_path, "deleted-output-again")


def test_repeated_cached_builds_match_cold_builds(site: Path, tmp_path: Path):
    """`site-builder build` keeps its state in .cache/ between runs: same output as cold."""
    out = tmp_path / "cached-out"
    for step, (label, edit) in enumerate([("start", lambda root: None), *SHORT_SESSION]):
        edit(site)
        run = Builder(site, out, use_cache=True)
        build(run)
        cold = cold_build(site, tmp_path / f"cold-cached-{step}")
        assert tree(out) == cold, label


# --- a larger site: timelines of several pages, long lists --------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated briefs among 12 actors: every actor's timeline runs to several pages."""
    return generate_corpus(tmp_path_factory.mktemp("corpus"), 300, 12)


def test_edits_on_a_large_site_stay_identical_to_cold_builds(corpus: Path, tmp_path: Path):
    """Edits that move entries between timeline pages, change who appears with whom, and
    reorder the lists; built with and without the watcher's list of changed files."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    builder = Builder(site, tmp_path / "out", jobs=1)
    build(builder)
    assert len(list((builder.out_dir / "actors").glob("*/page/3/index.html"))) >= 3
    yaml_of = lambda n: site / "briefs" / f"brief-{n:05d}.yaml"  # noqa: E731
    actors = sorted(p.name for p in (builder.out_dir / "actors").iterdir() if p.is_dir())
    steps: list[tuple[str, Callable[[], set[str]]]] = [
        ("title", lambda: {replace_in(yaml_of(7), 'title: "', 'title: "Edited: ') and
                           "briefs/brief-00007.yaml"}),
        ("responder", lambda: {_swap_responder(yaml_of(40), actors) and
                               "briefs/brief-00040.yaml"}),
        ("date", lambda: {_move_date(yaml_of(120)) and "briefs/brief-00120.yaml"}),
        ("deleted", lambda: _delete(site, _answered_only_in_itself(site, 200))),
        # Entries of earlier dates: every later entry of these timelines moves on, and the
        # briefs linking to them link to their new pages.
        ("earlier", lambda: _add_earlier_briefs(site, actors[:2])),
    ]
    for step, (label, edit) in enumerate(steps):
        changed = edit()
        diags = Diagnostics()
        outcome = builder.build(diags, changed if step % 2 else None)
        assert outcome.report is not None, [str(d) for d in diags.errors]
        assert_same_as_cold(builder, tmp_path, f"large-{step}-{label}")


def _add_earlier_briefs(site: Path, actors: list[str]) -> set[str]:
    """Three briefs dated before every other, each with a claim by these actors."""
    added = set()
    for n in range(3):
        slug = f"early-{n}"
        atomic_write(site / "briefs" / f"{slug}.md", f"Early text {n}.\n")
        atomic_write(site / "briefs" / f"{slug}.yaml",
                     f"title: Early {n}\ndate: 1990-01-0{n + 1}\nsource:\n  outlet: Wire\n"
                     f"claims:\n  - id: early-{n}\n    by: [{', '.join(actors)}]\n"
                     f"    text: Said early.\n    status: unverified\n")
        added |= {f"briefs/{slug}.md", f"briefs/{slug}.yaml"}
    return added


def test_cached_builds_on_a_large_site_stay_identical_to_cold_builds(corpus: Path,
                                                                      tmp_path: Path):
    """`site-builder build` from the cache, a new builder each time, on timelines of several
    pages: a claim's text or verdict also shows on the first page of every actor that answered
    it, in briefs the edited one does not involve."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    out = tmp_path / "cached-out"
    yaml_of = lambda n: site / "briefs" / f"brief-{n:05d}.yaml"  # noqa: E731
    steps: list[tuple[str, Callable[[], object]]] = [
        ("start", lambda: None),
        # Claims answered by actors whose answers are past the first page of their timelines.
        ("claim text", lambda: replace_in(yaml_of(39), 'text: "', 'text: "Edited: ')),
        ("verdict", lambda: _refute(yaml_of(60))),
        ("title", lambda: replace_in(yaml_of(3), 'title: "', 'title: "Edited: ')),
    ]
    for step, (label, edit) in enumerate(steps):
        edit()
        build(Builder(site, out, jobs=1, use_cache=True))
        cold, warm = cold_build(site, tmp_path / f"cold-large-cached-{step}"), tree(out)
        differ = sorted(rel for rel in cold.keys() | warm.keys() if cold.get(rel) != warm.get(rel))
        assert differ == [], f"{label}: these files differ from a cold build: {differ}"


def test_entries_moving_across_timeline_pages_with_the_same_briefs(corpus: Path,
                                                                   tmp_path: Path):
    """Two briefs' dates moved: a timeline page then shows other entries of the same briefs
    and claims (its first and last entries change, the briefs on it do not)."""
    import shutil

    sites = {path: tmp_path / f"site-{path}" for path in ("serve", "build")}
    for site in sites.values():
        shutil.copytree(corpus, site)
    serving = Builder(sites["serve"], tmp_path / "out-serve", jobs=1)
    build(serving)
    build(Builder(sites["build"], tmp_path / "out-build", jobs=1, use_cache=True))
    # Found by a search of the generated corpus: after the second move, the third page of an
    # actor's timeline shows other entries of the same briefs and claims.
    for slug, date in (("brief-00005", "2016-01-27"), ("brief-00091", "2030-01-01")):
        for site in sites.values():
            _move_date(site / "briefs" / f"{slug}.yaml", date)
        build(serving)
        assert_same_as_cold(serving, tmp_path, f"serve-{slug}")
        cached = Builder(sites["build"], tmp_path / "out-build", jobs=1, use_cache=True)
        build(cached)
        assert_same_as_cold(cached, tmp_path, f"build-{slug}")


def test_a_warm_builder_makes_again_only_the_timeline_events_of_what_changed(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`serve`'s builder keeps each actor's TimelineJS events: after a save, the files of the
    actors a brief involves are made again from the kept events of every other brief, and
    only the brief's own events are made; the files stay those of a cold build."""
    import shutil

    from site_builder.theme import timelinejs

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    builder = Builder(site, tmp_path / "out", jobs=1)
    build(builder)
    builder.warm()
    yaml_of = site / "briefs" / "brief-00007.yaml"
    replace_in(yaml_of, 'title: "', 'title: "Edited: ')
    build(builder)  # the actors' events are kept from the first file made after `warm`
    made: list[tuple[str, str]] = []  # (actor, brief) of each event made from here on
    real = timelinejs._event

    def counted(view, event, *rest):
        made.append((view.actor.id, event.brief.slug))
        return real(view, event, *rest)

    monkeypatch.setattr(timelinejs, "_event", counted)
    replace_in(yaml_of, 'title: "Edited: ', 'title: "Edited again: ')
    build(builder)
    index = builder._plan.index
    assert index is not None
    own = sorted((actor_id, event.brief.slug) for actor_id, view in index.actors.items()
                 for event in view.timeline if event.brief.slug == "brief-00007")
    assert own and sorted(made) == own
    assert_same_as_cold(builder, tmp_path, "kept-events")


def test_a_rebuild_regroups_only_the_tags_of_the_briefs_it_changed(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`serve`'s builder keeps which briefs each tag's feed lists: planning the pages after a
    save looks up the tags of the briefs it changed, not those of every brief; the feeds stay
    those of a cold build as tags come and go and briefs move in date."""
    import shutil

    from site_builder.site import feeds

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    builder = Builder(site, tmp_path / "out", jobs=1)
    build(builder)
    yaml_of = lambda n: site / "briefs" / f"brief-{n:05d}.yaml"  # noqa: E731
    looked_up: list[str] = []  # the tags whose feed is looked up while the pages are planned
    planning, real_tag_feed, real_changes = [False], urls.tag_feed, builder._plan.changes

    def counted(tag: str) -> str:
        if planning[0]:
            looked_up.append(tag)
        return real_tag_feed(tag)

    def changes(*args, **kwargs):
        planning[0] = True
        try:
            return real_changes(*args, **kwargs)
        finally:
            planning[0] = False

    monkeypatch.setattr(feeds.urls, "tag_feed", counted)
    monkeypatch.setattr(builder._plan, "changes", changes)
    steps = [("a tag added", lambda: replace_in(yaml_of(12), "tags: [", "tags: [Brand new, ")),
             ("a date moved", lambda: _move_date(yaml_of(12), "2031-05-05")),
             ("a tag gone", lambda: replace_in(yaml_of(12), "tags: [Brand new, ", "tags: [")),
             ("no tags", lambda: _untag(yaml_of(30)))]
    for label, edit in steps:
        looked_up.clear()
        edit()
        build(builder)
        assert len(looked_up) <= 3, f"{label}: {len(looked_up)} tags looked up"
        assert_same_as_cold(builder, tmp_path, f"tags-{label}")


def test_a_template_edit_on_a_large_site_renders_on_every_core(corpus: Path, tmp_path: Path):
    """Every page is due again after an edit of base.html: rendered by two processes, written
    in place where it changed; a template error in the middle writes nothing."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    builder = Builder(site, tmp_path / "out", jobs=2)
    build(builder)
    (site / "templates").mkdir()
    base = (BUILTIN_THEME / "base.html").read_text(encoding="utf-8")
    atomic_write(site / "templates" / "base.html", base.replace("</footer>", "Edited</footer>"))
    outcome = build(builder)
    assert outcome.rendered > 600
    assert_same_as_cold(builder, tmp_path, "large-template")

    before = tree(builder.out_dir)
    actor = (BUILTIN_THEME / "actor.html").read_text(encoding="utf-8")
    atomic_write(site / "templates" / "actor.html", actor + "{% if %}")
    atomic_write(site / "templates" / "base.html", base)  # due everywhere, written nowhere
    diags = Diagnostics()
    assert builder.build(diags).report is None
    assert [d.span.path for d in diags.errors] == ["templates/actor.html"]
    assert tree(builder.out_dir) == before


def _refute(path: Path) -> str:
    """The brief's first claim is now refuted."""
    text = path.read_text(encoding="utf-8")
    line_start = text.index("    status: ")
    line_end = text.index("\n", line_start)
    assert text[line_start:line_end] != "    status: refuted"
    atomic_write(path, text[:line_start] + "    status: refuted" + text[line_end:])
    return text


def _swap_responder(path: Path, actors: list[str]) -> str:
    """The brief's first response is now made by another actor."""
    text = path.read_text(encoding="utf-8")
    start = text.index("responses:")
    line_start = text.index("    by: ", start)
    line_end = text.index("\n", line_start)
    current = text[line_start + len("    by: "):line_end]
    other = next(a for a in actors if a != current)
    atomic_write(path, text[:line_start] + f"    by: {other}" + text[line_end:])
    return current


def _untag(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    atomic_write(path, re.sub(r"^tags: .*$", "tags: []", text, count=1, flags=re.MULTILINE))


def _move_date(path: Path, date: str = "2015-01-02") -> str:
    text = path.read_text(encoding="utf-8")
    line_start = text.index("date: ")
    line_end = text.index("\n", line_start)
    atomic_write(path, text[:line_start] + f"date: {date}" + text[line_end:])
    return text[line_start:line_end]


def _answered_only_in_itself(site: Path, number: int) -> str:
    """The first generated brief from `number` on whose claims no other brief answers:
    deleting it leaves no response without its claim."""
    texts = {p.stem: p.read_text(encoding="utf-8")
             for p in sorted((site / "briefs").glob("brief-*.yaml"))}
    for slug in sorted(texts)[number - 1:]:
        ids = re.findall(r"^  - id: (\S+)$", texts[slug], re.MULTILINE)
        if not any(f"claim: {claim}\n" in text
                   for other, text in texts.items() if other != slug for claim in ids):
            return slug
    raise AssertionError(f"the claims of every brief from {number} on are answered elsewhere")


def _delete(site: Path, slug: str) -> set[str]:
    for suffix in (".md", ".yaml"):
        (site / "briefs" / f"{slug}{suffix}").unlink()
    return {f"briefs/{slug}.md", f"briefs/{slug}.yaml"}


def test_a_rebuild_reports_what_a_cold_build_reports(builder: Builder, tmp_path: Path):
    """The checks across files are skipped when no changed brief changed what they read; their
    findings must still be those of a cold build, edit after edit."""

    def messages(diags: Diagnostics) -> list[str]:
        return [str(d) for d in diags.sorted()]

    def both() -> tuple[list[str], list[str]]:
        warm, cold = Diagnostics(), Diagnostics()
        builder.build(warm)
        Builder(builder.root, tmp_path / "cold-diags", use_cache=False).build(cold)
        return messages(warm), messages(cold)

    new_yaml = builder.root / NEW_YAML
    steps = [
        ("title", lambda: replace_in(new_yaml, "title: ", "title: Edited ")),
        ("answer-dated-early", lambda: replace_in(new_yaml, "date: 2024-09-10",
                                                  "date: 2024-09-01")),
        ("title-again", lambda: replace_in(new_yaml, "title: Edited ", "title: ")),
        ("lines-moved", lambda: replace_in(new_yaml, "source:", "\nsource:")),
        ("unknown-actor", lambda: replace_in(new_yaml, "by: dmitry-peskov", "by: dmitri")),
        ("fixed", lambda: replace_in(new_yaml, "by: dmitri", "by: dmitry-peskov")),
        ("claim-renamed", lambda: replace_in(new_yaml, "id: ukraine-expects-more-deliveries",
                                             "id: ukraine-expects-deliveries")),
        ("publisher-removed", lambda: edit_publisher_removed(builder.root)),
        ("claim-verdict", lambda: edit_claim_given_a_verdict(builder.root)),
    ]
    seen = set()
    for label, edit in steps:
        edit()
        warm, cold = both()
        assert warm == cold, label
        seen.update(warm)
    assert any("dated before the claim it answers" in m for m in seen)
    assert any("unknown actor 'dmitri'" in m for m in seen)
    assert warm[-1].startswith("site.yaml:1:1: warning: 3 claims have a verdict")


# --- random edits of a story: later responses, neighbours in date order, tags --------------------

RANDOM_TAGS = ("courts", "auction", "bridges", "C++ / Énergie")


def _claims_of(site: Path) -> dict[str, list[str]]:
    """Each brief's claim ids, by slug."""
    return {p.stem: re.findall(r"^  - id: (\S+)$", p.read_text(encoding="utf-8"), re.MULTILINE)
            for p in sorted((site / "briefs").glob("brief-*.yaml"))}


def _answer(rng: random.Random, site: Path, slug: str, actors: list[str]) -> None:
    """A response of the brief to the claim of another brief, later or earlier."""
    claims = _claims_of(site)
    claim = rng.choice([c for other, ids in claims.items() if other != slug for c in ids])
    path = site / "briefs" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    text += "" if "\nresponses:" in text else "\nresponses:\n"
    atomic_write(path, text + f"  - claim: {claim}\n    by: {rng.choice(actors)}\n"
                              f"    stance: {rng.choice(['denies', 'retracts', 'confirms'])}\n")


def _unanswer(site: Path, slug: str) -> None:
    path = site / "briefs" / f"{slug}.yaml"
    head, _, _ = path.read_text(encoding="utf-8").partition("\nresponses:")
    atomic_write(path, head + "\n")


def _retag(rng: random.Random, site: Path, slug: str) -> None:
    tags = ", ".join(f'"{t}"' for t in rng.sample(RANDOM_TAGS, rng.randint(0, 2)))
    path = site / "briefs" / f"{slug}.yaml"
    text = path.read_text(encoding="utf-8")
    atomic_write(path, re.sub(r"^tags: .*$", f"tags: [{tags}]", text, count=1, flags=re.M))


def _add(rng: random.Random, site: Path, number: int, actors: list[str]) -> None:
    slug = f"brief-story-{number}"
    add_brief(site, slug, "A later report.\n",
              f"title: Later report {number}\ndate: {_random_date(rng)}\n"
              f"source:\n  outlet: Example Wire\ntags: [bridges]\n")
    _answer(rng, site, slug, actors)


def _random_date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _deletable(site: Path) -> list[str]:
    """The briefs whose claims no other brief answers."""
    texts = {p.stem: p.read_text(encoding="utf-8")
             for p in sorted((site / "briefs").glob("brief-*.yaml"))}
    claims = _claims_of(site)
    return [slug for slug in texts if not any(
        f"claim: {c}\n" in text for c in claims[slug] for other, text in texts.items()
        if other != slug)]


def _random_edit(rng: random.Random, site: Path, number: int, actors: list[str]) -> str:
    slug = rng.choice(sorted(_claims_of(site)))
    kind = rng.choice(["answer", "answer", "unanswer", "date", "tags", "add", "delete"])
    if kind == "answer":
        _answer(rng, site, slug, actors)
    elif kind == "unanswer":
        _unanswer(site, slug)
    elif kind == "date":
        _move_date(site / "briefs" / f"{slug}.yaml", _random_date(rng))
    elif kind == "tags":
        _retag(rng, site, slug)
    elif kind == "add":
        _add(rng, site, number, actors)
        slug = f"brief-story-{number}"
    else:
        slug = rng.choice(_deletable(site))
        delete_brief(site, slug)
    return f"{kind} {slug}"


def _sources(site: Path) -> dict[str, str]:
    """The text of each file of the site's briefs/, by site-relative path."""
    return {f"briefs/{p.name}": p.read_text(encoding="utf-8")
            for p in (site / "briefs").iterdir()}


def _mirror(source: Path, copy: Path) -> None:
    """Make the folder `copy` hold what `source` holds, writing only the files that differ."""
    for gone in {p.name for p in copy.iterdir()} - {p.name for p in source.iterdir()}:
        (copy / gone).unlink()
    for path in source.iterdir():
        text, mirrored = path.read_text(encoding="utf-8"), copy / path.name
        if not mirrored.is_file() or mirrored.read_text(encoding="utf-8") != text:
            atomic_write(mirrored, text)


@pytest.mark.parametrize("seed", [21, 2103])
def test_random_edits_of_a_story_stay_identical_to_cold_builds(corpus: Path, tmp_path: Path,
                                                               seed: int):
    """Random edits, a few at a time: responses to claims of other briefs (later or earlier)
    added and removed, briefs added, deleted and dated anew, tags changed. After each round,
    `serve`'s builder (warm, given the changed paths as the watcher gives them) and a `build`
    from the cache write what a cold build writes: an old brief's "what happened next", the
    previous and next briefs of each brief, the tags' pages and feeds, and the actors'
    TimelineJS data (made from the events kept) follow every edit."""
    import shutil

    site, cached = tmp_path / "site", tmp_path / "cached-site"  # serve's, build's
    shutil.copytree(corpus, site)
    shutil.copytree(corpus, cached)
    actors = sorted(re.findall(r"^  - id: (\S+)$",
                               (site / "briefs" / "_actors.yaml").read_text(encoding="utf-8"),
                               re.MULTILINE))
    rng = random.Random(seed)
    serving = Builder(site, tmp_path / "out-serve", jobs=1, use_cache=False)
    build(serving)
    serving.warm()  # as `serve` does: the data files' rows and the timelines' events kept
    build(Builder(cached, tmp_path / "out-build", jobs=1, use_cache=True))
    for round_ in range(6):
        before = _sources(site)
        done = [_random_edit(rng, site, round_ * 3 + n, actors) for n in range(rng.randint(1, 3))]
        _mirror(site / "briefs", cached / "briefs")
        after = _sources(site)  # the paths the watcher would report, as `serve` gives them
        watched = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        outcome = serving.build(Diagnostics(), watched)
        assert outcome.report is not None
        build(Builder(cached, tmp_path / "out-build", jobs=1, use_cache=True))
        cold = cold_build(site, tmp_path / f"cold-story-{round_}")
        for out in (serving.out_dir, tmp_path / "out-build"):
            warm = tree(out)
            differ = sorted(r for r in cold.keys() | warm.keys() if cold.get(r) != warm.get(r))
            assert differ == [], f"{out.name} after {done}: these files differ: {differ[:20]}"
