"""config: site.yaml, its settings and the site's own stances."""

from __future__ import annotations

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
