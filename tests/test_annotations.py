"""annotations: one brief's YAML (or the actor registry) read into records, shape checked."""

from __future__ import annotations

import datetime as dt

from conftest import ARTICLE, BRIEF, REGISTRY, dedent

from site_builder.source.model import BUILTIN_STANCES

STANCES = ("asserts, confirms, supports, acknowledges, qualifies, questions, no-comment, "
           "declines-to-deny, warns, threatens, disputes, denies, condemns, accuses, retracts, "
           "apologizes, promises-to-investigate")


def site(brief: str, **more: str) -> dict[str, str | bytes]:
    return {"briefs/_actors.yaml": REGISTRY, "briefs/missiles.md": ARTICLE,
            "briefs/missiles.yaml": dedent(brief), **more}


def test_a_valid_brief_is_read_in_full(check_files, valid_files) -> None:
    report = check_files(valid_files)
    assert report.lines == []
    (brief,) = report.checked.site.briefs
    assert (brief.slug, brief.title, brief.date, brief.source.outlet) == (
        "missiles", "EU says Iran sent missiles to Russia", dt.date(2024, 9, 9),
        "Agence France-Presse")
    (claim,) = brief.claims
    assert (claim.id, [r.id for r in claim.by], claim.status, claim.date, str(claim.span)) == (
        "iran-sent-missiles", ["eu"], "unverified", dt.date(2024, 9, 9),
        "briefs/missiles.yaml:6:5")
    (response,) = brief.responses
    assert (response.key, response.claim.id, response.by.id, response.stance) == (
        "response-1", "iran-sent-missiles", "iran", "denies")


def test_missing_title_date_and_source(check_files) -> None:
    report = check_files(site("""
        summary: An article about missiles.
        """))
    assert report.errors == [
        "briefs/missiles.yaml:1:1: error: a brief is missing the required field 'title'",
        "briefs/missiles.yaml:1:1: error: a brief is missing the required field 'date'",
        "briefs/missiles.yaml:1:1: error: a brief is missing the required field 'source'",
    ]
    assert report.hint(report.errors[1]) == "dates are written YYYY-MM-DD, e.g. 2024-09-09"
    assert report.hint(report.errors[2]) == "source:\n  outlet: Agence France-Presse"


def test_empty_required_field_points_at_its_key(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date:
        source:
          outlet:
        """))
    assert report.errors == [
        "briefs/missiles.yaml:2:1: error: a brief is missing the required field 'date'",
        "briefs/missiles.yaml:4:3: error: 'source' is missing the required field 'outlet'",
    ]


def test_missing_outlet(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source:
          author: Jane Doe
          url: example.org/article
        """))
    assert report.errors == [
        "briefs/missiles.yaml:4:3: error: 'source' is missing the required field 'outlet'",
        "briefs/missiles.yaml:5:8: error: 'example.org/article' is not a web address",
    ]
    assert report.hint(report.errors[1]) == "write it in full, starting with https://"


def test_missing_claim_fields(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: {outlet: AFP}
        claims:
          - quote: ballistic missiles
        """))
    assert report.errors == [
        "briefs/missiles.yaml:5:5: error: a claim is missing the required field 'id'",
        "briefs/missiles.yaml:5:5: error: a claim is missing the required field 'by'",
        "briefs/missiles.yaml:5:5: error: a claim is missing the required field 'text'",
        "briefs/missiles.yaml:5:5: error: a claim is missing the required field 'status'",
    ]
    assert [report.hint(e) for e in report.errors] == [
        None,
        "by: the id of the actor making the claim",
        "text: the claim, in the editor's words",
        "allowed values: unverified, disputed, confirmed, refuted",
    ]


def test_missing_response_fields(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: {outlet: AFP}
        responses:
          - note: Iran said nothing.
        """))
    assert report.errors == [
        "briefs/missiles.yaml:5:5: error: a response is missing the required field 'claim'",
        "briefs/missiles.yaml:5:5: error: a response is missing the required field 'by'",
        "briefs/missiles.yaml:5:5: error: a response is missing the required field 'stance'",
    ]
    assert report.hint(report.errors[2]) == "allowed values: " + STANCES


def test_mapping_where_the_claims_list_belongs(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: {outlet: AFP}
        claims: {id: x}
        """))
    assert report.errors == [
        "briefs/missiles.yaml:4:9: error: 'claims' in a brief must be a list, not a mapping"]
    assert report.hint(report.errors[0]) == "write each claim on its own line starting with '- '"


def test_wrong_shapes_everywhere_are_all_reported(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: AFP
        claims:
          - just a sentence
        responses: [[eu]]
        tags: {iran: yes}
        actors: iran
        """))
    assert report.errors == [
        "briefs/missiles.yaml:3:9: error: 'source' must be a mapping of fields, not text",
        "briefs/missiles.yaml:5:5: error: a claim must be a mapping of fields, not text",
        "briefs/missiles.yaml:6:13: error: a response must be a mapping of fields, not a list",
        "briefs/missiles.yaml:7:7: error: 'tags' in a brief must be text, not a mapping",
        "briefs/missiles.yaml:8:9: error: 'actors' in a brief must be a list, not text",
    ]


def test_list_where_text_belongs(check_files) -> None:
    report = check_files(site("""
        title:
          - EU says
          - Iran denies
        date: 2024-09-09
        source: {outlet: AFP}
        claims:
          - id: iran-sent-missiles
            by: eu
            text: [Iran, sent, missiles]
            status: unverified
        """))
    assert report.errors == [
        "briefs/missiles.yaml:2:3: error: 'title' in a brief must be text, not a list",
        "briefs/missiles.yaml:9:11: error: 'text' in a claim must be text, not a list",
    ]


def test_tags_and_inline_actors_of_the_wrong_shape(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: {outlet: AFP}
        tags: {iran: yes}
        actors: iran
        """))
    assert report.errors == [
        "briefs/missiles.yaml:4:7: error: 'tags' in a brief must be text, not a mapping",
        "briefs/missiles.yaml:5:9: error: 'actors' in a brief must be a list, not text",
    ]


def test_unknown_stance_lists_the_known_ones(check_files) -> None:
    report = check_files(site(BRIEF.replace("stance: denies", "stance: mocks")))
    assert report.errors == [
        "briefs/missiles.yaml:14:13: error: 'mocks' is not a valid 'stance' for a response"]
    width = max(len(s.name) for s in BUILTIN_STANCES) + 2  # promises-to-investigate
    assert report.hint(report.errors[0]) == "allowed values:\n" + "\n".join(
        f"  {s.name.ljust(width)}{s.meaning}" for s in BUILTIN_STANCES)


def test_misspelt_stance_suggests_the_close_one(check_files) -> None:
    report = check_files(site(BRIEF.replace("stance: denies", "stance: denys")))
    assert report.errors == [
        "briefs/missiles.yaml:14:13: error: 'denys' is not a valid 'stance' for a response"]
    assert report.hint(report.errors[0]) == (
        "did you mean 'denies' (says the claim is false)?\nallowed values: " + STANCES)


def test_unknown_status(check_files) -> None:
    report = check_files(site(BRIEF.replace("status: unverified", "status: false")))
    # The claim is kept (its error reported), so its response still finds it.
    assert report.lines == [
        "briefs/missiles.yaml:10:13: error: 'false' is not a valid 'status' for a claim"]
    assert report.hint(report.errors[0]) == (
        "did you mean 'refuted' (established as false)?\n"
        "allowed values: unverified, disputed, confirmed, refuted")


def test_unknown_fields_with_did_you_mean(check_files) -> None:
    report = check_files(site(BRIEF.replace("    quote: intelligence", "    qoute: intelligence")
                              .replace("  outlet:", "  outlett:")))
    # The field suggested is not then reported missing: one mistake, one message.
    assert report.errors == [
        "briefs/missiles.yaml:4:3: error: unknown field 'outlett' in 'source'",
        "briefs/missiles.yaml:9:5: error: unknown field 'qoute' in a claim",
    ]
    assert [report.hint(e) for e in report.errors] == [
        "did you mean 'outlet'?", "did you mean 'quote'?"]


def test_impossible_dates_in_a_brief(check_files) -> None:
    text = BRIEF.replace("    status: unverified\n",
                         "    status: unverified\n    date: 2024-02-30\n")
    text = text.replace("date: 2024-09-09", "date: 2024-13-45")
    report = check_files(site(text))
    assert report.errors == [
        "briefs/missiles.yaml:2:7: error: '2024-13-45' is not a real date for 'date': "
        "month must be in 1..12",
        "briefs/missiles.yaml:11:11: error: '2024-02-30' is not a real date for 'date': "
        "day is out of range for month",
    ]


def test_malformed_ids_in_a_brief(check_files) -> None:
    report = check_files(site(BRIEF.replace("id: iran-sent-missiles", "id: Peter Stano")
                              .replace("by: eu", "by: EU").replace("by: iran", "by: a--b")))
    assert report.errors == [
        "briefs/missiles.yaml:6:9: error: 'Peter Stano' is not a valid id for 'id' in a claim",
        "briefs/missiles.yaml:7:9: error: 'EU' is not a valid id for 'by' in a claim",
        "briefs/missiles.yaml:13:9: error: 'a--b' is not a valid id for 'by' in a response",
    ]
    assert [report.hint(e).split(";")[0] for e in report.errors] == [
        "try 'peter-stano'", "try 'eu'", "try 'a-b'"]


def test_quote_shapes(check_files) -> None:
    report = check_files(site("""
        title: Missiles
        date: 2024-09-09
        source: {outlet: AFP}
        claims:
          - id: one
            by: eu
            text: One.
            status: unverified
            quote: {prefix: the, sufix: end}
          - id: two
            by: eu
            text: Two.
            status: unverified
            quote: [ballistic, missiles]
        """))
    assert report.errors == [
        "briefs/missiles.yaml:9:12: error: 'quote' is missing the required field 'exact'",
        "briefs/missiles.yaml:9:26: error: unknown field 'sufix' in 'quote'",
        "briefs/missiles.yaml:14:12: error: 'quote' must be a mapping of fields, not a list",
    ]
    assert report.hint(report.errors[1]) == "did you mean 'suffix'?"


def test_empty_yaml_and_empty_article(check_files) -> None:
    report = check_files(site("", **{"briefs/missiles.md": ""}))
    assert report.errors == [
        "briefs/missiles.md:1:1: error: the article is empty",
        "briefs/missiles.yaml:1:1: error: the file is empty",
    ]
    assert [report.hint(e) for e in report.errors] == [
        "paste the article's text into the .md file",
        "a brief's annotations start with 'title:'",
    ]


def test_whitespace_only_article_is_empty(check_files) -> None:
    report = check_files(site(BRIEF, **{"briefs/missiles.md": "\n   \n"}))
    assert report.errors[0] == "briefs/missiles.md:1:1: error: the article is empty"


def test_a_brief_that_is_a_list(check_files) -> None:
    report = check_files(site("- title: Missiles\n"))
    assert report.errors == [
        "briefs/missiles.yaml:1:1: error: a brief must be a mapping of fields, not a list"]


def test_dates_default_to_the_briefs_date(check_files) -> None:
    text = BRIEF.replace("    stance: denies\n", "    stance: denies\n    date: 2024-09-10\n")
    report = check_files(site(text))
    assert report.lines == []
    (brief,) = report.checked.site.briefs
    assert brief.claims[0].date == dt.date(2024, 9, 9)
    assert brief.responses[0].date == dt.date(2024, 9, 10)


def test_quote_as_a_selector_mapping(check_files) -> None:
    text = BRIEF.replace("    quote: We strongly reject the claims\n",
                         "    quote:\n"
                         "      exact: reject the claims\n"
                         "      prefix: We strongly\n"
                         "      suffix: .\n")
    report = check_files(site(text))
    assert report.lines == []
    quote = report.checked.site.briefs[0].responses[0].quote
    assert (quote.exact, quote.prefix, quote.suffix, str(quote.span)) == (
        "reject the claims", "We strongly", ".", "briefs/missiles.yaml:16:14")


# --- the actor registry -----------------------------------------------------------------------

def test_registry_actor_shapes(check_files, valid_files) -> None:
    registry = dedent("""
        actors:
          - id: iran
            name: Iran
            kind: country
            aliases: Tehran
          - id: eu
            kind: organization
          - European Union
          - id: eu-commission
            name: European Commission
            kind: organization
            part_of: EU
        """)
    report = check_files({**valid_files, "briefs/_actors.yaml": registry})
    assert report.errors == [
        "briefs/_actors.yaml:4:11: error: 'country' is not a valid 'kind' for an actor",
        "briefs/_actors.yaml:6:5: error: an actor is missing the required field 'name'",
        "briefs/_actors.yaml:8:5: error: an actor must be a mapping of fields, not text",
        "briefs/_actors.yaml:12:14: error: 'EU' is not a valid id for 'part_of' in an actor",
    ]
    assert report.hint(report.errors[0]) == (
        "did you mean 'state' (a country or its government)?\n"
        "allowed values: person, organization, state, media, other")
    assert report.hint(report.errors[3]) == (
        "try 'eu'; ids use lowercase letters, digits and single hyphens, e.g. 'peter-stano'")


def test_registry_that_is_not_a_list_of_actors(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": "actors:\n  iran: Iran\n"})
    assert report.errors[0] == (
        "briefs/_actors.yaml:2:3: error: 'actors' in the actor registry must be a list, "
        "not a mapping")


def test_aliases_role_and_description_are_read(check_files, valid_files) -> None:
    registry = REGISTRY.replace("    kind: state\n",
                                "    kind: state\n"
                                "    aliases: [Tehran, Islamic Republic]\n"
                                "    role: A state\n"
                                "    description: The *Islamic Republic* of Iran.\n")
    report = check_files({**valid_files, "briefs/_actors.yaml": registry})
    assert report.lines == []
    iran = report.checked.site.actor_by_id["iran"]
    assert (iran.aliases, iran.role, iran.description, iran.declared_in) == (
        ("Tehran", "Islamic Republic"), "A state", "The *Islamic Republic* of Iran.", None)


def test_empty_registry_declares_no_actors(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": "# no actors yet\n"})
    assert report.lines == [
        "briefs/missiles.yaml:7:9: error: unknown actor 'eu'",
        "briefs/missiles.yaml:13:9: error: unknown actor 'iran'",
    ]


def test_duplicate_key_in_a_claim(check_files) -> None:
    report = check_files(site(BRIEF.replace("    status: unverified\n",
                                            "    status: unverified\n    status: disputed\n")))
    assert report.lines == [
        "briefs/missiles.yaml:11:5: error: duplicate key 'status' in a claim "
        "(first given on line 10)"]
    assert report.hint(report.lines[0]) == "keep only one of them"
    assert report.checked.site.briefs[0].claims[0].status == "unverified"
