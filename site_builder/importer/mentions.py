"""The people a sentence names, speaking or not: what "he", "she" and "the minister" can mean.

A sentence such as `Residents' Association chair Priya Raman welcomed the inquiry.`
has no speech verb, but it names the person a following `she told reporters`
refers to. `persons_in` finds such names: runs of capitalised words that are
not an organisation, a place after a preposition, a title or the word that
starts the sentence, with the role the article gives them (before the name,
or between commas after it) and what the words around them say of their gender.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .attribution import ORG_WORDS, PARTICLES, ROLE_NOUNS, TITLES, Speaker

WORD = re.compile(r"[\w'’.-]+|[,;:()\"“”«»„]")
# what a title or role before a name says of the person's gender (never the name itself)
FEMALE = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess",
                    "spokeswoman", "chairwoman", "businesswoman", "congresswoman"})
MALE = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "spokesman", "chairman",
                  "businessman", "congressman"})
NOT_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "our", "their", "his", "her", "but", "and", "or", "so", "yet", "however", "still",
    "then", "later", "also", "meanwhile", "instead", "now", "asked", "speaking", "sentencing",
    "outside", "inside", "after", "before", "during", "while", "when", "as", "if", "in", "on",
    "at", "by", "for", "from", "with", "without", "under", "over", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december"
})
PLACE_WORDS = frozenset({
    "lane", "street", "road", "avenue", "square", "park", "harbour", "port", "bay", "river",
    "island", "islands", "city", "county", "province", "region", "state", "district", "valley",
    "mountain", "hill", "bridge", "station", "airport", "hall", "court", "north", "south", "east",
    "west", "northern", "southern", "eastern", "western"
})
MORE_ORG_WORDS = frozenset({
    "airlines", "airways", "press", "times", "news", "markets", "town", "rovers", "united",
    "club", "line", "terminals", "ltd", "inc", "plc", "group", "gazette", "tribune", "herald",
    "echo", "examiner", "courier", "post", "journal", "radio", "tv", "television", "programme",
    "program", "convention", "treaty", "agency"
})
PREPOSITIONS = frozenset({"in", "at", "from", "near", "to", "into", "across", "outside",
                          "inside", "beating", "against", "via", "toward", "towards", "for",
                          "of"})
BEFORE_WORDS = 4  # lowercase words before a name read as its role ("retired teacher")
DETERMINERS = frozenset({"the", "a", "an", "another", "one", "its", "their"})
SUBJECT_VERBS = frozenset({
    "said", "says", "added", "disagreed", "agreed", "replied", "countered", "insisted", "argued",
    "warned", "told", "declined", "refused", "rejected", "denied", "dismissed", "welcomed",
    "praised", "criticised", "criticized", "objected", "responded", "acknowledged", "conceded",
    "admitted", "noted", "explained", "wrote", "asked", "answered"
})


@dataclass(frozen=True, slots=True)
class Mention:
    """A person named in a sentence."""

    who: Speaker
    possessive: bool = False  # "Malone's barrister": named, but not the one speaking
    gender: str | None = None  # "f" or "m" when the words around say so
    unsure: bool = False  # "the minister", "Jones disagreed": maybe a person, never certain
    speaks: bool = False  # the speaker of a quotation in this sentence


Lookup = Callable[[str], "Speaker | None"]


def persons_in(sentence: str, known: Lookup = lambda word: None) -> list[Mention]:
    """The people `sentence` names, in the order it names them; `known` gives the person a
    single name means ('Reyes'), if one was named in full before."""
    words = WORD.findall(sentence)
    out: list[Mention] = []
    i = 0
    while i < len(words):
        if not _name_word(words[i]):
            if (unnamed := _unnamed(words, i)) is not None:
                out.append(unnamed)
            i += 1
            continue
        end = i
        while end + 1 < len(words) and (_name_word(words[end + 1]) or (
                words[end + 1] in PARTICLES and end + 2 < len(words)
                and _name_word(words[end + 2]))):
            end += 1
        mention = _mention(words, i, end + 1, known)
        if mention is not None:
            out.append(mention)
        i = end + 1
    return out


def _name_word(word: str) -> bool:
    return (word[:1].isupper() and word.lower().strip(".") not in NOT_NAMES) \
        or bool(re.match(r"^(al|el)-[A-Z]", word))


def _mention(words: list[str], start: int, end: int, known: Lookup) -> Mention | None:
    run = words[start:end]
    titled = [i for i, w in enumerate(run[:-1]) if w in TITLES or w.lower() in ROLE_NOUNS]
    split = titled[-1] + 1 if titled else 0  # "Transport Minister Helena Costa"
    role, run = run[:split], run[split:]
    possessive = bool(run) and run[-1].endswith(("'s", "’s"))
    if possessive:
        run[-1] = run[-1][:-2]
    if run and len(run[-1]) > 2:
        run[-1] = run[-1].rstrip(".")  # "Wang Yi." ends its sentence
    if len(run) == 1 and (who := known(run[0].strip("."))) is not None:
        return Mention(who, possessive)
    verb = words[end].lower().strip(".,;:") if end < len(words) else ""
    if len(run) == 1 and not role and verb in SUBJECT_VERBS:
        return Mention(Speaker(run[0], run[0]), unsure=True)  # "Jones disagreed."
    if any(len(w) > 1 and w.isupper() for w in run):
        return None  # "NFU Cymru": an acronym names an organisation
    if len(run) < 2 or len(run) > 4 or any(w.endswith(("'s", "’s")) for w in run[:-1]):
        return None
    lowered = {w.lower().strip(".") for w in run}
    if lowered & (ORG_WORDS | MORE_ORG_WORDS | PLACE_WORDS):
        return None
    before = _before(words, start)
    if before and before[-1].lower() in PREPOSITIONS:
        return None  # "in Port Ellis", "beating Brackley Town": a place or a team
    role_words = [w for w in before if w.lower() not in ("the", "a", "an")] + role
    described = " ".join(role_words) or _appositive(words, end, start)
    gender = _gender([w.lower() for w in (*before, *role)])
    return Mention(Speaker(" ".join(role_words + run), " ".join(run), described or None),
                   possessive, gender)


def _unnamed(words: list[str], i: int) -> Mention | None:
    """`the minister`, `a spokeswoman for the ministry`: a person the sentence does not name."""
    word = words[i].lower()
    if word not in ROLE_NOUNS or (i + 1 < len(words) and words[i + 1].lower() in ROLE_NOUNS):
        return None
    after = words[i + 1:i + 3]
    if after and (_name_word(after[0]) or (after[0] == "," and len(after) > 1
                                            and _name_word(after[1]))):
        return None  # "chair Priya Raman", "the landlord, Victor Kell"
    before = [w.lower() for w in words[max(0, i - 3):i]]
    if not any(w in DETERMINERS for w in before):
        return None
    gender = "f" if word in FEMALE else "m" if word in MALE else None
    return Mention(Speaker(f"the {word}", None, word), gender=gender, unsure=True)


def _before(words: list[str], start: int) -> list[str]:
    """The role words right before a name: 'council leader', 'Residents' Association chair'."""
    out: list[str] = []
    i = start - 1
    while i >= 0 and len(out) < BEFORE_WORDS:
        word = words[i]
        lowered = word.lower()
        if not re.match(r"^[\w'’.-]+$", word) or lowered in PREPOSITIONS:
            if lowered in PREPOSITIONS:
                out.insert(0, word)
            break
        if lowered in NOT_NAMES and lowered not in ("the", "a", "an"):
            break
        out.insert(0, word)
        if lowered in ("the", "a", "an"):
            break
        i -= 1
    return out if not out or out[-1].lower() in ROLE_NOUNS or out[-1] in TITLES \
        or out[-1].lower() in PREPOSITIONS else []


def _appositive(words: list[str], end: int, start: int) -> str | None:
    """`The union's general secretary, Tomas Reyes,` or `Lena Hart, a spokeswoman for X`."""
    if start >= 2 and words[start - 1] == ",":
        i = start - 2
        phrase: list[str] = []
        while i >= 0 and words[i] not in ",;:()\"“”«»„" and len(phrase) < 6:
            phrase.insert(0, words[i])
            i -= 1
        if i < 0 and phrase and phrase[0].lower() in ("the", "a", "an", "its", "their"):
            return " ".join(phrase[1:] if phrase[0].lower() in ("the", "a", "an") else phrase)
    if end + 1 < len(words) and words[end] == "," and words[end + 1].lower() in ("the", "a", "an"):
        phrase = []
        for word in words[end + 2:end + 10]:
            if word in ",;:()\"“”«»„":
                break
            phrase.append(word)
        return " ".join(phrase) or None
    return None


def _gender(around: list[str]) -> str | None:
    female = any(w in FEMALE for w in around)
    male = any(w in MALE for w in around)
    return "f" if female and not male else "m" if male and not female else None
