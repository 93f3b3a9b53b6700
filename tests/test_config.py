"""config: site.yaml, its settings and the site's own stances."""

from __future__ import annotations

import pytest
from conftest import BRIEF, dedent

from site_builder.source.model import BUILTIN_STANCES


def test_no_site_yaml_gives_the_defaults(check_files, valid_files) -> None:
    report = check_files(valid_files)
    config = report.checked.site.config
    assert (config.title, config.language, config.base_url, config.stances) == (
        "Briefs", "en", None, BUILTIN_STANCES)


def test_settings_are_read(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        title: Annotated briefs
        description: Who claims what.
        language: pt-BR
        base_url: https://example.github.io/briefs
        """)})
    assert report.lines == []
    config = report.checked.site.config
    assert (config.title, config.description, config.language, config.base_url) == (
        "Annotated briefs", "Who claims what.", "pt-BR", "https://example.github.io/briefs/")


def test_bad_settings(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        titel: Annotated briefs
        language: English
        base_url: example.github.io/briefs
        """)})
    assert report.lines == [
        "site.yaml:1:1: error: unknown field 'titel' in site.yaml",
        "site.yaml:2:11: error: 'English' is not a language tag",
        "site.yaml:3:11: error: 'example.github.io/briefs' is not an absolute web address",
    ]
    assert [report.hint(line) for line in report.lines] == [
        "did you mean 'title'?",
        "use a code such as 'en', 'fr' or 'pt-BR'",
        "write it in full, e.g. https://example.github.io/briefs/",
    ]


def test_site_defined_stance_is_accepted(check_files, valid_files) -> None:
    site_yaml = dedent("""
        stances:
          mocks: {polarity: "-", meaning: ridicules the claim or its claimant}
          shrugs:
            polarity: neither
            cameo: "094"
        """)
    report = check_files({**valid_files, "site.yaml": site_yaml,
                          "briefs/missiles.yaml": BRIEF.replace("stance: denies",
                                                                "stance: mocks")})
    assert report.lines == []
    config = report.checked.site.config
    assert config.stances[:len(BUILTIN_STANCES)] == BUILTIN_STANCES
    mocks, shrugs = config.stances[len(BUILTIN_STANCES):]
    assert (mocks.name, mocks.polarity, mocks.meaning, mocks.cameo) == (
        "mocks", "-", "ridicules the claim or its claimant", None)
    assert (shrugs.name, shrugs.polarity, shrugs.meaning, shrugs.cameo) == (
        "shrugs", "0", "shrugs", "094")
    assert report.checked.site.briefs[0].responses[0].stance == "mocks"


def test_redefining_a_built_in_stance_is_rejected(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        stances:
          denies: {polarity: "+", meaning: says yes}
        """)})
    assert report.lines == [
        "site.yaml:2:3: error: the stance 'denies' is built in and cannot be redefined"]
    assert report.hint(report.lines[0]) == "choose another name for the site's own stance"
    assert report.checked.site.config.stance("denies").polarity == "-"


def test_bad_site_stances(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        stances:
          weird: {polarity: up}
          Mocks Loudly: {polarity: "-"}
          empty:
          vague: {meaning: something}
          listed: [polarity, "-"]
          sneers: {polarity: "-", colour: red}
        """)})
    assert report.lines == [
        "site.yaml:2:21: error: 'up' is not a valid 'polarity' for the stance 'weird'",
        "site.yaml:3:3: error: 'Mocks Loudly' is not a valid stance name",
        "site.yaml:4:3: error: the stance 'empty' is missing the required field 'polarity'",
        "site.yaml:5:10: error: the stance 'vague' is missing the required field 'polarity'",
        "site.yaml:6:11: error: the stance 'listed' must be a mapping of fields, not a list",
        "site.yaml:7:27: error: unknown field 'colour' in the stance 'sneers'",
    ]
    assert report.hint(report.lines[0]) == "allowed values: +, for, 0, neither, -, against"
    assert report.hint(report.lines[2]) == (
        "write it as 'empty: {polarity: \"-\", meaning: ...}'")
    names = [s.name for s in report.checked.site.config.stances[len(BUILTIN_STANCES):]]
    assert names == ["sneers"]


def test_stances_must_be_a_mapping(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "stances: [mocks]\n"})
    assert report.lines == [
        "site.yaml:1:10: error: 'stances' must be a mapping of fields, not a list"]


def test_empty_site_yaml_is_fine(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "\n"})
    assert report.lines == []


def test_site_yaml_with_only_comments_is_fine(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "# title: Annotated briefs\n"})
    assert report.lines == []


# --- image, publisher, links ---------------------------------------------------------------------


def test_image_publisher_and_links_are_read(check_files, valid_files) -> None:
    report = check_files({**valid_files, "templates/img/card.png": b"png", "site.yaml": dedent("""
        image: img/card.png
        publisher:
          name: Briefs Desk
          url: https://desk.example.org/
          logo: https://desk.example.org/logo.png
        links: files
        """)})
    assert report.lines == []
    config = report.checked.site.config
    assert (config.image, config.links, config.file_links) == ("img/card.png", "files", True)
    assert config.publisher is not None
    assert (config.publisher.name, config.publisher.url, config.publisher.logo) == (
        "Briefs Desk", "https://desk.example.org/", "https://desk.example.org/logo.png")


def test_the_defaults_of_image_publisher_and_links(check_files, valid_files) -> None:
    config = check_files(valid_files).checked.site.config
    assert (config.image, config.publisher, config.links, config.file_links) == (
        None, None, "folders", False)


PICTURE_HINT = ("write where the file is published (templates/img/card.png is published as "
                "img/card.png), or a full address such as https://example.org/card.png")


def test_bad_images(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        image: /img/card.png
        publisher:
          name: Desk
          logo: ftp://example.org/logo.png
        """)})
    assert report.lines == [
        "site.yaml:1:8: error: '/img/card.png' is not a path of the built site: it starts with "
        "'/'; write it from the top of the site, e.g. img/card.png",
        "site.yaml:4:9: error: 'ftp://example.org/logo.png' is not an absolute web address",
    ]
    assert [report.hint(line) for line in report.lines] == [PICTURE_HINT, PICTURE_HINT]
    config = report.checked.site.config
    assert config.image is None and config.publisher is not None
    assert config.publisher.logo is None


@pytest.mark.parametrize(("value", "reason"), [
    ("img/my card.png", "it contains a space"),
    ("img/../card.png", "it has an empty, '.' or '..' part"),
    ("img//card.png", "it has an empty, '.' or '..' part"),
    ("card.png?v=2", "it has a '?' or a '#'; name the file only"),
    ('"img\\\\card.png"', "it contains '\\', which a web address cannot hold as it is"),
    ('"card\\t.png"', "it contains a tab"),
])
def test_paths_that_are_no_path_of_the_built_site(check_files, valid_files, value: str,
                                                  reason: str) -> None:
    report = check_files({**valid_files, "site.yaml": f"image: {value}\n"})
    shown = value.strip('"').replace("\\\\", "\\").replace("\\t", "\\t")
    assert report.lines == [
        f"site.yaml:1:8: error: '{shown}' is not a path of the built site: {reason}"]


def test_an_image_missing_from_templates_is_a_warning(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "image: img/card.png\n"})
    assert report.lines == ["site.yaml:1:8: warning: 'img/card.png' is not a file of the "
                            "built site"]
    assert report.hint(report.lines[0]) == (
        "put the file at templates/img/card.png: every file of templates/ that is not a "
        "template is published as it is")
    assert report.checked.site.config.image == "img/card.png"  # kept: the pages do not change


def test_an_absolute_image_is_not_looked_for(check_files, valid_files) -> None:
    report = check_files({**valid_files,
                          "site.yaml": "image: https://cdn.example.org/card.png?v=2\n"})
    assert report.lines == []


def test_bad_publishers(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        publisher:
          url: desk.example.org
          email: desk@example.org
        """)})
    assert report.lines == [
        "site.yaml:2:3: error: 'publisher' is missing the required field 'name'",
        "site.yaml:2:8: error: 'desk.example.org' is not an absolute web address",
        "site.yaml:3:3: error: unknown field 'email' in 'publisher'",
    ]
    assert [report.hint(line) for line in report.lines] == [
        "the name of the organization that publishes the site",
        "write it in full, e.g. https://example.org/",
        "allowed values: name, url, logo",
    ]
    assert report.checked.site.config.publisher is None


def test_a_publisher_address_with_a_space(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": dedent("""
        publisher: {name: Desk, url: "https://desk.example.org/a b"}
        """)})
    assert report.lines == [
        "site.yaml:1:30: error: 'https://desk.example.org/a b' is not a valid web address: "
        "it contains a space"]


def test_publisher_must_be_a_mapping(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "publisher: Briefs Desk\n"})
    assert report.lines == [
        "site.yaml:1:12: error: 'publisher' must be a mapping of fields, not text"]


def test_bad_links(check_files, valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "links: file\n"})
    assert report.lines == ["site.yaml:1:8: error: 'file' is not a valid 'links' for site.yaml"]
    assert report.hint(report.lines[0]) == "did you mean 'files'?\nallowed values: folders, files"
    assert report.checked.site.config.links == "folders"


# --- no publisher: one warning, not one per claim -------------------------------------------------

NO_PUBLISHER = ("site.yaml:1:1: warning: {n} claims have a verdict, but their pages carry no "
                "ClaimReview: site.yaml names no publisher to give them")
NO_PUBLISHER_HINT = ("add a publisher: block to site.yaml: the name and url of the "
                     "organization that gives the verdicts")


def verdicts(*statuses: str) -> str:
    """The brief of `valid_files` with one more claim per status, each answered."""
    extra = "".join(f"  - id: claim-{i}\n    by: eu\n    text: Claim {i}.\n"
                    f"    status: {status}\n" for i, status in enumerate(statuses))
    answers = "".join(f"  - claim: claim-{i}\n    by: iran\n    stance: denies\n"
                      for i in range(len(statuses)))
    assert BRIEF.endswith("We strongly reject the claims\n")  # the responses come last
    return BRIEF.replace("claims:\n", "claims:\n" + extra, 1) + answers


def test_claims_with_a_verdict_and_no_publisher_give_one_warning(check_files,
                                                                valid_files) -> None:
    report = check_files({**valid_files, "site.yaml": "title: Desk\n",
                          "briefs/missiles.yaml": verdicts("refuted", "confirmed", "disputed",
                                                           "unverified")})
    assert report.lines == [NO_PUBLISHER.format(n=3)]
    assert report.hint(report.lines[0]) == NO_PUBLISHER_HINT
    assert report.diagnostics[0].optional and not report.diagnostics[0].pending


def test_one_claim_with_a_verdict_and_no_site_yaml(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/missiles.yaml": verdicts("confirmed")})
    assert report.lines == ["site.yaml:1:1: warning: 1 claim has a verdict, but its page "
                            "carries no ClaimReview: site.yaml names no publisher to give it"]


def test_no_warning_without_verdicts_or_with_a_publisher(check_files, valid_files) -> None:
    assert check_files({**valid_files, "briefs/missiles.yaml": verdicts("unverified")}).lines \
        == []
    report = check_files({**valid_files, "briefs/missiles.yaml": verdicts("refuted"),
                          "site.yaml": "publisher: {name: Desk}\n"})
    assert report.lines == []
