"""The incremental Builder (what `serve` rebuilds with) writes exactly what a cold build writes.

After every kind of edit (a brief's YAML, its article, a brief added, renamed or deleted,
the registry, site.yaml, the site's own templates, a failed edit and its fix) the output
folder of one long-lived Builder is compared, whole and byte for byte, with a cold build of
the same sources into a fresh folder.
"""

from __future__ import annotations

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
    ("article-mention", edit_article),
    ("article-words", edit_article_only_words),
    ("response-added", edit_response_added),
    ("response-removed", edit_response_removed),
    ("tags-added", edit_tags_added),
    ("tags-removed", edit_tags_removed),
    ("brief-added", edit_add_brief),
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


def test_a_warm_builder_makes_again_only_the_rows_of_what_changed(
        builder: Builder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    builder.warm()
    made: list[tuple[str, str]] = []
    real = datafiles._response

    def counted(view, item, *rest):
        made.append((view.brief.slug, item.key))
        return real(view, item, *rest)

    monkeypatch.setattr(datafiles, "_response", counted)
    edit_response_note(builder.root)  # a note of the seed brief, which answers no other's claim
    build(builder)
    assert sorted(made) == sorted([(SEED_SLUG, f"response-{n}") for n in range(1, 13)] * 2)
    assert_same_as_cold(builder, tmp_path, "kept-rows")


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
        "brief-added")],  # the third brief responds to the second one's claim
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
    "title", "article-mention", "brief-added", "third-brief-deleted", "registry-actor-added",
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
