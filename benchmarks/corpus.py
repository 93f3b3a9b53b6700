#!/usr/bin/env python3
"""A large made-up site for benchmarks and tests: the same bytes for the same seed.

    python benchmarks/corpus.py OUT [--briefs 10000] [--actors 500] [--seed 18]

Writes the same articles twice:

- OUT/ours/: a site in our format, which `site-builder check` passes with no error and no
  warning: site.yaml, briefs/_actors.yaml (states, ministries, companies, unions, outlets
  and the people who speak for them), and per brief `brief-00001.md`, the article, and
  `brief-00001.yaml`, its annotations: claims anchored to quotations of the article, each
  answered in its own brief, and responses to the claims of earlier briefs. Dates are spread
  over ten years; each brief names three to eight actors, drawn so that a few of them recur
  in a large part of the briefs (their timelines run to many pages).
- OUT/hugo/: the same articles as a Hugo site (hugo.toml, layouts/, content/): a page per
  brief, the list of briefs, and the actors as a taxonomy, one timeline page per actor.
- OUT/corpus.json: what was made (counts), also printed by the command.

OUT may exist only empty or holding an earlier corpus, which is replaced. Only the standard
library is used; `generate` is the same from Python.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_actors
import corpus_hugo
import corpus_text as words
from corpus_actors import Actor
from corpus_text import Draw, Scene, q, save

DEFAULT_SEED = 18
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 3653  # ten years
STANCES = ("denies", "disputes", "confirms", "supports", "questions", "no-comment", "warns",
           "condemns", "hedges")
STATUS = ("unverified",) * 10 + ("disputed",) * 5 + ("confirmed",) * 3 + ("refuted",) * 2
WIRES = ("Benchmark Wire", "Regional News Service", "Harbour Press Agency")
RECENT = 400  # a response answers one of the last RECENT claims made before its brief
MARK = "corpus.json"
TRIES = 100


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    by: Actor
    about: tuple[str, ...]
    words: str
    text: str
    status: str
    date: dt.date | None  # when it was said, if before its brief's date


@dataclass(frozen=True, slots=True)
class Response:
    claim: str
    by: Actor
    stance: str
    words: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Brief:
    slug: str
    date: dt.date
    title: str
    summary: str
    source: tuple[tuple[str, str], ...]  # outlet, and url and author when given
    tags: tuple[str, ...]
    cast: tuple[Actor, ...]
    article: str
    claims: tuple[Claim, ...]
    responses: tuple[Response, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """What `generate` made."""

    seed: int
    briefs: int
    actors: int
    claims: int
    responses: int
    responses_to_earlier_briefs: int
    article_words: int
    busiest_actor: str
    busiest_actor_briefs: int


def generate(out: Path, briefs: int, actors: int, seed: int = DEFAULT_SEED) -> Summary:
    """Write the corpus of `briefs` briefs and `actors` actors into `out` (see the top)."""
    if briefs < 1 or actors < 1:
        raise ValueError("a corpus needs at least one brief and one actor")
    draw = Draw(seed)
    registry = corpus_actors.make(draw, actors)
    ours, hugo = out / "ours", out / "hugo"
    _clear(out)
    _start_ours(ours, registry)
    corpus_hugo.start(hugo, registry)
    written = (_written(ours, hugo, brief) for brief in _briefs(draw, briefs, registry))
    summary = _summary(seed, len(registry), written)
    save(out / MARK, json.dumps(dataclasses.asdict(summary), indent=2) + "\n")
    return summary


def _briefs(draw: Draw, count: int, registry: Sequence[Actor]) -> Iterator[Brief]:
    """The briefs, made in the order of their dates, so that a response answers only claims
    made before it; each is written as soon as it is made."""
    width = max(5, len(str(count)))
    dates = [FIRST_DAY + dt.timedelta(days=draw.below(DAYS)) for _ in range(count)]
    popular = corpus_actors.Popularity(draw, registry)
    claims: list[str] = []
    for i in sorted(range(count), key=lambda i: (dates[i], i)):
        cast = popular.cast(draw, registry[i::count])
        brief = _brief(draw, f"brief-{i + 1:0{width}d}", i + 1, dates[i], cast, claims)
        claims += (c.id for c in brief.claims)
        yield brief


def _brief(draw: Draw, slug: str, number: int, date: dt.date, cast: Sequence[Actor],
           earlier: Sequence[str]) -> Brief:
    where = words.scene(draw)
    for _ in range(TRIES):  # until every quotation is found once in the article (at once, nearly)
        claims = _claims(draw, where, number, date, cast)
        responses = _responses(draw, where, claims, cast, earlier)
        said = [(c.by, c.words) for c in claims] + [(r.by, r.words) for r in responses]
        article = words.article(draw, where, slug, cast, said)
        # No quotation holds markup, nor could markup split one: counted in the Markdown.
        if all(article.count(quoted) == 1 for _, quoted in said):
            break
    else:
        raise RuntimeError(f"{slug}: no article quoting each quotation once in {TRIES} tries")
    first = claims[0]
    title = f"{first.by.name} {draw.pick(TITLE_VERBS)} {where.adjective} {where.subject}"
    claimant = first.by.called
    summary = (f"{claimant[0].upper()}{claimant[1:]} says {first.text[0].lower()}"
               f"{first.text[1:-1]}; {responses[0].by.called} {ANSWERED[responses[0].stance]}.")
    return Brief(slug, date, title, summary, _source(draw, slug, date),
                 tuple(dict.fromkeys((draw.pick(words.TOPIC_TAGS), where.subject.split()[-1]))),
                 tuple(cast), article, tuple(claims), tuple(responses))


TITLE_VERBS = ("warns over", "questions", "defends", "speaks out on", "criticises", "backs")
ANSWERED = {"denies": "denies it", "disputes": "disputes it", "confirms": "confirms it",
            "supports": "backs it", "questions": "asks for evidence",
            "no-comment": "declines to comment", "warns": "warns of the cost",
            "condemns": "condemns it", "hedges": "will not take a side"}


def _claims(draw: Draw, where: Scene, number: int, date: dt.date,
            cast: Sequence[Actor]) -> list[Claim]:
    claims = []
    for k in range(1, 2 + draw.chance(0.1)):
        by = draw.pick(cast)
        others = [a.id for a in draw.shuffled(cast) if a is not by]
        quoted, text = words.claim_words(draw, where)
        earlier = date - dt.timedelta(days=draw.between(1, 6)) if draw.chance(0.1) else None
        claims.append(Claim(f"{where.subject.replace(' ', '-')}-{number}-{k}", by,
                            tuple(others[:draw.between(0, 2)]), quoted, text,
                            draw.pick(STATUS), earlier))
    return claims


def _responses(draw: Draw, where: Scene, claims: Sequence[Claim], cast: Sequence[Actor],
               earlier: Sequence[str]) -> list[Response]:
    """An answer to each claim from another actor named in the brief (often one the claim is
    about), then, in half of the briefs or so, one or two answers to claims of earlier
    briefs."""
    targets = [c.id for c in claims]
    if earlier:
        targets += [earlier[-1 - draw.below(min(RECENT, len(earlier)))]
                    for _ in range(draw.chance(0.55) + draw.chance(0.1))]
    responses = []
    for claim in targets:
        own = next((c for c in claims if c.id == claim), None)
        accused = [a for a in cast if own and a.id in own.about]
        others = [a for a in cast if own is None or a is not own.by] or list(cast)
        by = draw.pick(accused) if accused and draw.chance(0.5) else draw.pick(others)
        stance = draw.pick(STANCES)
        note = words.note(draw, where) if draw.chance(0.3) else None
        responses.append(Response(claim, by, stance, words.answer_words(draw, where, stance),
                                  note))
    return responses


def _source(draw: Draw, slug: str, date: dt.date) -> tuple[tuple[str, str], ...]:
    fields = [("outlet", draw.pick(WIRES))]
    if draw.chance(0.6):
        fields.append(("url", f"https://example.org/{date.year}/{slug}"))
    if draw.chance(0.3):
        fields.append(("author", f"{draw.pick(words.GIVEN)} {draw.pick(words.FAMILY)}"))
    return tuple(fields)


def _summary(seed: int, actors: int, briefs: Iterable[Brief]) -> Summary:
    counts: Counter[str] = Counter()
    appearances: Counter[str] = Counter()
    for brief in briefs:
        own = {c.id for c in brief.claims}
        counts.update(briefs=1, claims=len(own), responses=len(brief.responses),
                      earlier=sum(r.claim not in own for r in brief.responses),
                      words=len(brief.article.split()))
        appearances.update(a.id for a in brief.cast)
    busiest, times = min(appearances.items(), key=lambda kv: (-kv[1], kv[0]))
    return Summary(seed, counts["briefs"], actors, counts["claims"], counts["responses"],
                   counts["earlier"], counts["words"], busiest, times)


# --- writing ------------------------------------------------------------------------------------

SITE_YAML = """\
title: Annotated briefs (benchmark corpus)
description: Made-up news briefs, generated by benchmarks/corpus.py.
language: en
base_url: https://example.org/
publisher:
  name: Annotated briefs (benchmark corpus)
stances:
  hedges: {polarity: neither, meaning: answers without taking a side}
"""


def _clear(out: Path) -> None:
    """Make `out` ready: created, or emptied of an earlier corpus; nothing else is deleted."""
    if out.is_dir():
        found = {p.name for p in out.iterdir()}
        if found and (MARK not in found or found - {MARK, "ours", "hugo"}):
            raise FileExistsError(f"{out} holds files that are not a corpus: "
                                  "choose an empty or new folder")
        for name in found - {MARK}:
            shutil.rmtree(out / name)
    elif out.exists():
        raise FileExistsError(f"{out} is a file: choose an empty or new folder")
    else:
        out.mkdir(parents=True)
    save(out / MARK, "{}\n")  # a corpus, if an unfinished one: the next run may replace it


def _start_ours(site: Path, registry: Sequence[Actor]) -> None:
    (site / "briefs").mkdir(parents=True)
    save(site / "site.yaml", SITE_YAML)
    save(site / "briefs" / "_actors.yaml", corpus_actors.registry_yaml(registry))


def _written(ours: Path, hugo: Path, brief: Brief) -> Brief:
    save(ours / "briefs" / f"{brief.slug}.md", brief.article)
    save(ours / "briefs" / f"{brief.slug}.yaml", annotations_yaml(brief))
    corpus_hugo.write_brief(hugo, brief)
    return brief


def annotations_yaml(brief: Brief) -> str:
    lines = [f"# The annotations of {brief.slug}.md (made up by benchmarks/corpus.py).",
             f"title: {q(brief.title)}", f"date: {brief.date}", "source:"]
    lines += [f"  {key}: {q(value)}" for key, value in brief.source]
    lines += [f"summary: {q(brief.summary)}", f"tags: [{', '.join(brief.tags)}]", "", "claims:"]
    for c in brief.claims:
        lines += [f"  - id: {c.id}", f"    by: {c.by.id}"]
        lines += [f"    about: [{', '.join(c.about)}]"] if c.about else []
        lines += [f"    text: {q(c.text)}", f"    quote: {q(c.words)}", f"    status: {c.status}"]
        lines += [f"    date: {c.date}"] if c.date else []
    lines += ["", "responses:"]
    for r in brief.responses:
        lines += [f"  - claim: {r.claim}", f"    by: {r.by.id}", f"    stance: {r.stance}",
                  f"    quote: {q(r.words)}"]
        lines += [f"    note: {q(r.note)}"] if r.note else []
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (empty, new, or a corpus)")
    parser.add_argument("--briefs", type=int, default=10000)
    parser.add_argument("--actors", type=int, default=500)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        summary = generate(args.out, args.briefs, args.actors, args.seed)
    except (ValueError, FileExistsError) as error:
        parser.error(str(error))
    print(json.dumps(dataclasses.asdict(summary)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
