"""validate: what crosses files — unique ids, references that resolve, loops, unused things."""

from __future__ import annotations

from conftest import ARTICLE, BRIEF, REGISTRY, actor_entry, dedent


def test_unknown_actor_and_claim_suggest_the_close_id(check_files, valid_files) -> None:
    brief = BRIEF.replace("by: iran", "by: irna").replace(
        "claim: iran-sent-missiles", "claim: iran-sent-missile")
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == [
        "briefs/missiles.yaml:6:5: warning: the claim 'iran-sent-missiles' has no response in "
        "any brief",
        "briefs/missiles.yaml:12:12: error: unknown claim 'iran-sent-missile'",
        "briefs/missiles.yaml:13:9: error: unknown actor 'irna'",
    ]
    assert report.hint(report.lines[1]) == "did you mean 'iran-sent-missiles'?"
    assert report.hint(report.lines[2]) == "did you mean 'iran'?"


def test_unknown_actor_without_a_close_id(check_files, valid_files) -> None:
    brief = BRIEF.replace("by: eu", "by: [eu, kremlin]")
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == ["briefs/missiles.yaml:7:14: error: unknown actor 'kremlin'"]
    assert report.hint(report.lines[0]) == "declare it, or use one of the known actor ids"


def test_unknown_actor_in_about(check_files, valid_files) -> None:
    brief = BRIEF.replace("    by: eu\n", "    by: eu\n    about: [iran, rusia]\n")
    report = check_files({**valid_files,
                          "briefs/_actors.yaml": REGISTRY + actor_entry("russia", "Russia"),
                          "briefs/missiles.yaml": brief})
    assert report.errors == ["briefs/missiles.yaml:8:19: error: unknown actor 'rusia'"]
    assert report.hint(report.errors[0]) == "did you mean 'russia'?"


def test_a_response_may_answer_a_claim_of_another_brief(check_files, valid_files) -> None:
    other = dedent("""
        title: Iran answers again
        date: 2024-09-12
        source: {outlet: Reuters}
        responses:
          - claim: iran-sent-missiles
            by: iran
            stance: condemns
        """)
    report = check_files({**valid_files, "briefs/again.md": "Iran condemned it.\n",
                          "briefs/again.yaml": other})
    assert report.lines == []
    assert [b.slug for b in report.checked.site.briefs] == ["missiles", "again"]


def test_actor_in_registry_and_inline_names_both_places(check_files, valid_files) -> None:
    brief = BRIEF + dedent("""
        actors:
          - id: iran
            name: Islamic Republic of Iran
            kind: state
        """)
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == [
        "briefs/missiles.yaml:17:5: error: the actor id 'iran' is declared twice "
        "(first at briefs/_actors.yaml:2:5)"]
    assert report.hint(report.lines[0]) == "give each actor one declaration and one id"


def test_actor_declared_twice_in_the_registry(check_files, valid_files) -> None:
    registry = REGISTRY + actor_entry("eu", "EU", "organization")
    report = check_files({**valid_files, "briefs/_actors.yaml": registry})
    assert report.lines == [
        "briefs/_actors.yaml:8:5: error: the actor id 'eu' is declared twice "
        "(first at briefs/_actors.yaml:5:5)"]


def test_inline_actor_is_usable(check_files, valid_files) -> None:
    brief = BRIEF.replace("by: iran", "by: kanani") + dedent("""
        actors:
          - id: kanani
            name: Nasser Kanani
            kind: person
            part_of: iran
        """)
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == []
    assert report.checked.site.actor_by_id["kanani"].declared_in == "missiles"


def test_claim_ids_in_two_briefs_name_both_places(check_files, valid_files) -> None:
    other = BRIEF.replace("date: 2024-09-09", "date: 2024-09-10")
    report = check_files({**valid_files, "briefs/again.md": ARTICLE,
                          "briefs/again.yaml": other})
    assert report.lines == [
        "briefs/again.yaml:6:5: error: the claim id 'iran-sent-missiles' is used twice "
        "(first at briefs/missiles.yaml:6:5)"]
    assert report.hint(report.lines[0]) == "claim ids are unique across the whole site"


def test_claim_id_twice_in_one_brief(check_files, valid_files) -> None:
    brief = BRIEF.replace("responses:\n", dedent("""
          - id: iran-sent-missiles
            by: eu
            text: Again.
            status: disputed
        responses:
        """))
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == [
        "briefs/missiles.yaml:11:5: error: the claim id 'iran-sent-missiles' is used twice "
        "(first at briefs/missiles.yaml:6:5)"]


def part_of_registry(*edges: tuple[str, str]) -> str:
    return REGISTRY + "".join(actor_entry(child, child.title(), "person", part_of=parent)
                              for child, parent in edges)


def test_part_of_loop_between_two_actors(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": part_of_registry(
        ("stano", "borrell"), ("borrell", "stano"))})
    assert report.errors == [
        "briefs/_actors.yaml:11:14: error: 'part_of' makes a loop: stano -> borrell -> stano",
        "briefs/_actors.yaml:15:14: error: 'part_of' makes a loop: borrell -> stano -> borrell",
    ]
    assert report.hint(report.errors[0]) == (
        "an actor cannot be part of itself; remove one 'part_of'")


def test_actor_part_of_itself(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": part_of_registry(
        ("stano", "stano"))})
    assert report.errors == [
        "briefs/_actors.yaml:11:14: error: 'part_of' makes a loop: stano -> stano"]


def test_actor_leading_into_a_loop_is_not_itself_blamed(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": part_of_registry(
        ("spokesman", "a"), ("a", "b"), ("b", "a"))})
    assert report.errors == [
        "briefs/_actors.yaml:15:14: error: 'part_of' makes a loop: a -> b -> a",
        "briefs/_actors.yaml:19:14: error: 'part_of' makes a loop: b -> a -> b",
    ]


def test_part_of_unknown_actor(check_files, valid_files) -> None:
    report = check_files({**valid_files, "briefs/_actors.yaml": part_of_registry(
        ("stano", "eu-comission"), ("eu-commission", "eu"))})
    assert report.errors == [
        "briefs/_actors.yaml:11:14: error: unknown actor 'eu-comission'"]
    assert report.hint(report.errors[0]) == "did you mean 'eu-commission'?"


def test_warnings_for_an_unmentioned_actor_and_an_unanswered_claim(check_files,
                                                                    valid_files) -> None:
    registry = REGISTRY + actor_entry("china", "China")
    brief = BRIEF.split("responses:")[0]
    report = check_files({**valid_files, "briefs/_actors.yaml": registry,
                          "briefs/missiles.yaml": brief})
    assert report.lines == [
        "briefs/_actors.yaml:8:5: warning: no brief mentions the actor 'china'",
        "briefs/missiles.yaml:6:5: warning: the claim 'iran-sent-missiles' has no response in "
        "any brief",
    ]
    assert [report.hint(line) for line in report.lines] == [
        "use it in a claim or response, name it in an article, or remove it",
        "record who answered it: a response with 'claim: iran-sent-missiles'",
    ]


def test_an_actor_named_in_an_article_is_mentioned(check_files, valid_files) -> None:
    registry = (REGISTRY + actor_entry("russia", "Russian Federation",
                                       aliases="[Russia, Moscow]")
                + actor_entry("china", "China"))
    article = ARTICLE + "\nChinaware was not mentioned.\n"
    report = check_files({**valid_files, "briefs/_actors.yaml": registry,
                          "briefs/missiles.md": article})
    assert report.lines == ["briefs/_actors.yaml:12:5: warning: no brief mentions the actor "
                            "'china'"]


def test_a_name_split_by_markup_is_a_mention_as_on_the_actors_page(check_files,
                                                                  valid_files) -> None:
    """One rule for "mentions": what the reader sees, which the actors' pages list."""
    registry = REGISTRY + actor_entry("maria-lindqvist", "Maria Lindqvist", "person")
    article = ARTICLE + "\n**Maria** Lindqvist declined to comment.\n"
    report = check_files({**valid_files, "briefs/_actors.yaml": registry,
                          "briefs/missiles.md": article})
    assert report.lines == []
    assert "maria-lindqvist" in report.checked.articles["missiles"].named


def test_a_name_only_in_a_links_title_is_no_mention(check_files, valid_files) -> None:
    registry = REGISTRY + actor_entry("china", "China")
    article = ARTICLE + '\nThe [statement](https://example.org/s "China") was brief.\n'
    report = check_files({**valid_files, "briefs/_actors.yaml": registry,
                          "briefs/missiles.md": article})
    assert report.lines == ["briefs/_actors.yaml:8:5: warning: no brief mentions the actor "
                            "'china'"]
    assert "china" not in report.checked.articles["missiles"].named


def test_a_parent_of_a_used_actor_is_used(check_files, valid_files) -> None:
    registry = part_of_registry(("kanani", "iran-mfa"), ("iran-mfa", "iran"))
    brief = BRIEF.replace("by: iran", "by: kanani")
    report = check_files({**valid_files, "briefs/_actors.yaml": registry,
                          "briefs/missiles.yaml": brief})
    assert report.lines == []


def test_response_dated_before_its_claim(check_files, valid_files) -> None:
    brief = BRIEF.replace("    stance: denies\n", "    stance: denies\n    date: 2024-09-01\n")
    report = check_files({**valid_files, "briefs/missiles.yaml": brief})
    assert report.lines == [
        "briefs/missiles.yaml:12:5: warning: this response (2024-09-01) is dated before the "
        "claim it answers (2024-09-09)"]
