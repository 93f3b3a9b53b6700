"""Hints that know what the editor meant: values by meaning, fields by where they belong.

A stance written as the word an editor would use (`rejects`, `no comment`, `agrees`) is
matched to the stances that mean it before any spelling is compared: `rejects` is close to
`retracts` in letters and nearly its opposite in meaning. When nothing is close, the hint
lists every allowed value with what it means. A field written in the wrong record (`author`
beside `title`, where it belongs under `source:`) is pointed to its place; a field written
by another name (`speaker` for `by`) is named.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

from ..base.diagnostics import one_of

_ANSWER = ("denies", "disputes")
STANCE_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("reject", "refute", "dismiss", "rebut", "repudiate", "negate",
                     "deny", "contradict"), _ANSWER),
    **dict.fromkeys(("contest", "disagree", "object", "oppose", "counter", "challenge"),
                    ("disputes", "questions")),
    **dict.fromkeys(("doubt", "query", "ask", "wonder", "skeptical", "sceptical", "suspect",
                     "question"), ("questions",)),
    **dict.fromkeys(("no-comment", "comment", "decline-to-comment", "refuse-to-comment",
                     "silent", "silence", "ignore", "unavailable", "noncommittal",
                     "not-comment", "wont-comment", "decline-comment"), ("no-comment",)),
    "decline": ("no-comment", "declines-to-deny"),
    **dict.fromkeys(("not-deny", "decline-to-deny", "refuse-to-deny", "wont-deny",
                     "neither-confirm-nor-deny", "no-denial"), ("declines-to-deny",)),
    "agree": ("supports", "confirms"),
    **dict.fromkeys(("endorse", "back", "approve", "welcome", "defend", "praise", "applaud",
                     "embrace", "support", "side-with"), ("supports",)),
    **dict.fromkeys(("affirm", "verify", "corroborate", "validate", "substantiate", "prove",
                     "certify", "confirm", "reaffirm"), ("confirms",)),
    **dict.fromkeys(("admit", "concede", "accept", "recognise", "recognize", "acknowledge",
                     "own-up"), ("acknowledges",)),
    **dict.fromkeys(("claim", "allege", "state", "say", "maintain", "insist", "repeat",
                     "reiterate", "argue", "assert", "announce", "declare", "report"),
                    ("asserts",)),
    **dict.fromkeys(("caveat", "nuance", "hedge", "partly-agree", "partially-agree",
                     "agree-in-part", "clarify", "qualify", "partial"), ("qualifies",)),
    **dict.fromkeys(("criticise", "criticize", "denounce", "slam", "blast", "attack",
                     "deplore", "decry", "censure", "protest", "lambast", "condemn",
                     "criticism"), ("condemns",)),
    **dict.fromkeys(("blame", "counter-accuse", "accuse", "accusation"), ("accuses",)),
    **dict.fromkeys(("withdraw", "recant", "retract", "take-back", "walk-back", "backtrack",
                     "reverse", "u-turn"), ("retracts",)),
    **dict.fromkeys(("apologise", "apologize", "apology", "sorry", "regret"), ("apologizes",)),
    **dict.fromkeys(("investigate", "look-into", "probe", "inquire", "enquire", "inquiry",
                     "review", "promise-to-investigate", "will-investigate"),
                    ("promises-to-investigate",)),
    **dict.fromkeys(("caution", "alert", "warn", "warning"), ("warns",)),
    **dict.fromkeys(("threaten", "threat", "vow", "retaliate"), ("threatens",)),
}
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("false", "untrue", "debunk", "disprove", "wrong", "fake", "not-true",
                     "incorrect", "bogus", "refute", "disproven", "hoax"),
                    ("refuted",)),
    **dict.fromkeys(("true", "verify", "prove", "proven", "correct", "establish", "accurate",
                     "confirm", "fact", "real"), ("confirmed",)),
    **dict.fromkeys(("contest", "controversial", "doubtful", "unclear", "dispute", "question",
                     "challenge", "disagreement", "contentious", "doubt"), ("disputed",)),
    **dict.fromkeys(("unconfirmed", "unknown", "pending", "open", "unchecked", "alleged",
                     "claim", "not-verified", "to-check", "tbd", "new", "unverifiable",
                     "unproven", "uncertain"), ("unverified",)),
}
KIND_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("individual", "people", "official", "spokesman", "spokeswoman",
                     "spokesperson", "minister", "politician", "human", "man", "woman"),
                    ("person",)),
    **dict.fromkeys(("organisation", "org", "company", "ngo", "party", "group", "institution",
                     "agency", "ministry", "union", "body", "army", "military", "firm",
                     "business", "association", "department"), ("organization",)),
    **dict.fromkeys(("country", "nation", "government", "region", "republic", "kingdom"),
                    ("state",)),
    **dict.fromkeys(("newspaper", "outlet", "press", "broadcaster", "channel", "news", "tv",
                     "radio", "wire", "magazine", "paper", "website"), ("media",)),
}
WORDS_OF = {"stance": STANCE_WORDS, "status": STATUS_WORDS, "kind": KIND_WORDS}

# Fields written under another name, by the record they are written in.
FIELD_WORDS: dict[str, dict[str, str]] = {
    "a brief": {"headline": "title", "name": "title", "published": "date", "day": "date",
                "description": "summary", "abstract": "summary", "lede": "summary",
                "tag": "tags", "keywords": "tags", "topics": "tags", "claim": "claims",
                "response": "responses", "answers": "responses", "reactions": "responses",
                "actor": "actors", "people": "actors", "sources": "source"},
    "a claim": {"speaker": "by", "who": "by", "actor": "by", "author": "by",
                "claimant": "by", "subject": "about", "target": "about", "topic": "about",
                "verdict": "status", "state": "status", "claim": "text",
                "summary": "text", "excerpt": "quote", "citation": "quote", "words": "quote",
                "name": "id", "slug": "id", "when": "date"},
    "a response": {"speaker": "by", "who": "by", "actor": "by", "author": "by",
                   "responder": "by", "position": "stance", "reaction": "stance",
                   "response": "stance", "type": "stance", "answers": "claim",
                   "to": "claim", "claim_id": "claim", "excerpt": "quote",
                   "citation": "quote", "words": "quote", "comment": "note",
                   "remark": "note", "notes": "note", "when": "date"},
    "'source'": {"name": "outlet", "publisher": "outlet", "newspaper": "outlet",
                 "publication": "outlet", "agency": "outlet", "link": "url", "href": "url",
                 "address": "url", "web": "url", "byline": "author", "writer": "author",
                 "journalist": "author", "reporter": "author", "by": "author"},
    "'quote'": {"text": "exact", "words": "exact", "quote": "exact", "before": "prefix",
                "after": "suffix"},
    "an actor": {"type": "kind", "title": "role", "position": "role", "job": "role",
                 "alias": "aliases", "also": "aliases", "parent": "part_of",
                 "member_of": "part_of", "partof": "part_of", "part-of": "part_of",
                 "org": "part_of", "about": "description", "bio": "description",
                 "slug": "id", "label": "name"},
}

# Fields of one record written in another: where they go.
SOURCE_FIELDS = ("outlet", "url", "author")
_CLAIM_OR_RESPONSE = "a field of each claim and response: write it in an item of 'claims:' " \
    "or 'responses:'"
FIELD_PLACES: dict[str, dict[str, str]] = {
    "a brief": {
        **dict.fromkeys(SOURCE_FIELDS, "source"),
        **dict.fromkeys(("by", "quote"), _CLAIM_OR_RESPONSE),
        **dict.fromkeys(("id", "about", "text", "status"),
                        "a field of each claim: write it in an item of 'claims:'"),
        **dict.fromkeys(("claim", "stance", "note"),
                        "a field of each response: write it in an item of 'responses:'"),
        **dict.fromkeys(("name", "kind", "aliases", "role", "part_of"),
                        "a field of each actor: write it in an item of 'actors:'"),
        **dict.fromkeys(("exact", "prefix", "suffix"),
                        "a field of a quote: write it under 'quote:' in a claim or response"),
    },
    "a claim": {
        "stance": "a field of a response, not of a claim: a claim has a 'status', the "
                  "editor's verdict; a response's 'stance' says how an actor answers",
        **dict.fromkeys(("claim", "note"), "a field of a response, not of a claim"),
        **dict.fromkeys(("outlet", "url"), "a field of the brief's 'source:'"),
    },
    "a response": {
        "status": "a field of a claim, not of a response: the editor's verdict is the claim's "
                  "'status'; a response has a 'stance'",
        "id": "not a field of a response: responses have no id; 'claim:' names the claim "
              "answered",
        **dict.fromkeys(("text", "about"), "a field of a claim, not of a response"),
        **dict.fromkeys(("outlet", "url"), "a field of the brief's 'source:'"),
    },
    "'source'": {
        **dict.fromkeys(("title", "date", "summary", "tags", "claims", "responses", "actors"),
                        "a field of the brief: write it without indentation, not under "
                        "'source:'"),
    },
}


def value_hint(key: str, value: str, allowed: Sequence[str],
               meanings: Mapping[str, str] | None = None) -> str:
    """The hint for a `value` of `key` that is not one of `allowed`: the values it may mean,
    then the allowed values (each with its meaning, when nothing is close)."""
    close = by_meaning(value, allowed, WORDS_OF.get(key, {}))
    if close:
        named = " or ".join(_named(c, meanings) for c in close)
        return f"did you mean {named}?\n{one_of(allowed)}"
    if meanings is None:
        return one_of(allowed)
    width = max(map(len, allowed)) + 2
    return "allowed values:\n" + "\n".join(
        f"  {name.ljust(width)}{meanings[name]}" if meanings.get(name) else f"  {name}"
        for name in allowed)


def _named(value: str, meanings: Mapping[str, str] | None) -> str:
    meaning = meanings.get(value) if meanings else None
    return f"'{value}' ({meaning})" if meaning else f"'{value}'"


def by_meaning(value: str, allowed: Sequence[str],
               words: Mapping[str, Sequence[str]]) -> list[str]:
    """The allowed values `value` may mean: itself written otherwise (`No Comment`,
    `denied`), a word of the table `words` (`rejects` -> denies, disputes), else the closest
    in spelling."""
    plain = _plain(value)
    if plain in allowed:
        return [plain]
    stems = _stems(plain)
    for name in allowed:
        if stems & _stems(name):
            return [name]
    parts = [_canon(w, words) for w in plain.split("-") if w not in AUXILIARIES]
    for candidate in ("-".join(parts), *reversed(parts)):
        found = [v for v in words.get(candidate, ()) if v in allowed]
        if found:
            return found
    return difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)


AUXILIARIES = frozenset(("do", "does", "did", "will", "would", "has", "have", "had", "is",
                         "was", "be", "strongly", "flatly", "firmly"))


def _canon(word: str, words: Mapping[str, object]) -> str:
    """The form of `word` the table `words` knows (`rejects` -> reject), else `word`."""
    return min(_stems(word), key=lambda stem: (stem not in words, -len(stem)))


def _plain(value: str) -> str:
    """Lowercase, words joined by hyphens, an apostrophe dropped: `Won't comment` ->
    `wont-comment`."""
    text = value.lower().replace("'", "").replace("’", "")
    return "-".join(re.findall(r"[a-z0-9]+", text))


def _stems(word: str) -> set[str]:
    """`word` and its forms without an English ending: `refutes` -> refute, `dismissed` ->
    dismiss, `denied` -> deni(e)."""
    stems = {word}
    for ending, put in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("d", ""),
                        ("ing", ""), ("ing", "e"), ("ied", "y")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems.add(word[:-len(ending)] + put)
    return stems


def field_hint(what: str, key: str, allowed: Sequence[str],
               value: str | None = None) -> tuple[str, str | None]:
    """The hint for a field `key` (given `value`, when it is text) that the record `what`
    does not have, and the field it stands for (`source.author`, `by`), if any."""
    place = FIELD_PLACES.get(what, {}).get(key)
    if place == "source":
        shown = value if value and "\n" not in value and len(value) <= 60 else "..."
        return (f"'{key}' is a field of 'source': write it under 'source:', indented:\n"
                f"source:\n  {key}: {shown}", f"source.{key}")
    if place is not None:
        return f"'{key}' is {place}", None
    meant = FIELD_WORDS.get(what, {}).get(key.lower())
    if meant is not None and meant in allowed:
        return f"did you mean '{meant}'?", meant
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?", close[0]
    return one_of(allowed), None
