"""Attributions: who a sentence says is speaking ("EU spokesman Peter Stano said").

`lead_in` reads the words before a quotation ("Kanani said during a press
conference: "), `tail` the words after it ("," Stano added."). Both give the
speaker phrase as written, parsed by `speaker` into a name ("Peter Stano") and
the role the article gives ("EU spokesman"), or a pronoun ("he").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

VERBS = (
    "said", "says", "added", "adds", "told", "tells", "stated", "declared", "warned", "warns",
    "insisted", "insists", "explained", "noted", "wrote", "writes", "asked", "replied",
    "continued", "stressed", "argued", "argues", "claimed", "announced", "commented",
    "remarked", "urged", "admitted", "acknowledged", "cautioned", "vowed", "pledged",
    "complained", "conceded", "maintained", "observed", "responded", "posted", "tweeted",
    "recalled", "predicted", "suggested", "concluded", "emphasised", "emphasized",
    "underlined", "reiterated", "alleged", "charged", "told", "shouted", "quipped",
    # verbs that quote someone's words about something: 'called the plans "a kick in the teeth"'
    "called", "described", "branded", "dubbed", "labelled", "labeled", "termed",
)
VERB = r"(?:" + "|".join(sorted(set(VERBS), key=len, reverse=True)) + r")"
ADVERBS = r"(?:(?:also|later|then|further|previously|earlier|separately|again|has|had|have|" \
          r"once|would|had earlier)\s+)*"
LEAD_VERB = re.compile(r"(?<![\w'’-])" + ADVERBS + r"(" + VERB + r")(?![\w'’-])")
TAIL_NORMAL = re.compile(r"^(?P<who>[^.;:!?\"“”]{1,120}?)\s+" + ADVERBS + r"(?P<verb>" + VERB
                         + r")(?![\w'’-])")
TAIL_INVERTED = re.compile(r"^(?P<verb>" + VERB + r"|according to)\s+(?P<who>[^;:!?\"“”]{1,160})")
SUBJECT_NAME = re.compile(r"^((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*)\s+[a-z]")
SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St))[.!?](?=\s|$)")
WHO_CUT = re.compile(r"\s+(?:in|on|at|during|after|before|while|when|as|to|from|via|"
                     r"told|adding|speaking|referring|who|which|that)\s.*$|\s+(?:on|in)\s+\w+$")
PRONOUNS = {"he": "person", "she": "person", "they": "any", "it": "organization",
            "He": "person", "She": "person", "They": "any", "It": "organization"}
ARTICLES = ("the ", "a ", "an ", "The ", "A ", "An ")
PARTICLES = frozenset({"de", "van", "von", "der", "da", "del", "la", "le", "bin", "ibn",
                       "ben", "al", "el", "di", "du", "of", "dos", "das"})
TITLES = frozenset({
    "President", "Vice", "Prime", "Minister", "Secretary", "Chancellor", "Chief", "General",
    "Commander", "Senator", "Sen.", "Rep.", "Governor", "Mayor", "Ambassador", "Spokesman",
    "Spokeswoman", "Spokesperson", "Director", "Chairman", "Chairwoman", "Chair", "King",
    "Queen", "Prince", "Princess", "Pope", "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr",
    "Dr.", "Prof.", "Professor", "Gen.", "Lt.", "Col.", "Capt.", "Judge", "Justice", "Envoy",
    "Deputy", "Representative", "Commissioner", "Leader", "Premier", "Sheikh", "Speaker",
    "Admiral", "Colonel", "Captain", "Lieutenant", "Sergeant", "Mufti", "Ayatollah", "Emir",
    "Brig.", "Brig", "Maj.", "Major", "Gov.", "Sgt.", "Adm.", "Insp.", "Rev.", "Sir", "Lord",
    "Dame", "Lady", "Foreign", "Defence", "Defense", "Interior", "Finance", "Health",
})
ROLE_NOUNS = frozenset({
    "goalkeeper", "striker", "captain", "manager", "coach", "player", "tenant", "resident",
    "teacher", "student", "nurse", "doctor", "farmer", "driver", "worker", "owner", "landlord",
    "lawyer", "barrister", "solicitor", "prosecutor", "judge", "economist", "analyst",
    "researcher", "professor", "scientist", "engineer", "officer", "constable", "inspector",
    "detective", "councillor", "chair", "chairman", "chairwoman", "spokesman", "spokeswoman",
    "spokesperson", "leader", "secretary", "director", "executive", "founder", "negotiator",
    "envoy", "governor", "mayor", "minister", "senator", "president", "head", "principal",
    "pastor", "priest", "bishop", "activist", "campaigner", "organiser", "organizer", "volunteer",
    "witness", "survivor", "victim", "defendant", "retired", "former",
    "veteran", "chief", "deputy", "superintendent", "sergeant"
})
_ORGANISATIONS = """
ministry department office council commission union agency army forces government party
parliament committee organisation organization bank fund court police service services
group company embassy authority administration house assembly nations federation alliance
kremlin pentagon cabinet presidency mission secretariat institute foundation corporation
university command navy guard guards coalition movement front board senate congress league
association
"""
ORG_WORDS = frozenset(_ORGANISATIONS.split())
HONORIFICS = frozenset({"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr."})
PREPOSITIONS = frozenset({"in", "at", "from", "for", "on", "near", "with", "to", "by", "of",
                          "about", "against", "across", "inside", "outside", "into"})
DETERMINERS = frozenset({"the", "a", "an", "one", "another", "two", "three", "several", "some",
                         "many", "other", "its", "his", "her", "their"})
LEADING_WORDS = frozenset({"but", "and", "yet", "so", "however", "still", "then", "later",
                           "also", "meanwhile", "instead", "now"})
NOT_IN_ROLES = frozenset({"and", "but", "or", "that", "which", "who", "whom", "whose", "said",
                          "says", "was", "were", "is", "are", "has", "had", "would", "will",
                          "it", "he", "she", "they", "this", "these", "those", "not"})


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker as the article names them: the phrase, and what it says."""

    phrase: str  # the words of the attribution, e.g. "EU spokesman Peter Stano"
    name: str | None = None  # a proper name, e.g. "Peter Stano", "Kremlin"
    role: str | None = None  # the article's description, e.g. "EU spokesman"
    pronoun: str | None = None  # "he", "she", "they", "it"

    @property
    def surname(self) -> str | None:
        return self.name.split()[-1] if self.name else None


def sentence_tail(text: str) -> str:
    """`text` up to the end of its first sentence."""
    end = SENTENCE_END.search(text)
    return text[:end.start()] if end else text


def sentence_head(text: str) -> str:
    """The last sentence begun in `text` (the words since the last sentence end)."""
    start = 0
    for match in SENTENCE_END.finditer(text):
        start = match.end()
    return text[start:].lstrip()


def tail(text: str) -> Speaker | None:
    """The speaker named right after a quotation: `, Stano said.` / `, said Peter Stano.`"""
    text = sentence_tail(text.lstrip(" ,—–-"))
    inverted = TAIL_INVERTED.match(text)
    if inverted:
        return named_after_verb(inverted.group("who"))
    normal = TAIL_NORMAL.match(text)
    if normal:
        return speaker(normal.group("who"))
    return None


def lead_in(text: str) -> tuple[Speaker, str] | None:
    """The speaker of a sentence's start, and the words after the verb, or None.

    "Kanani said during a weekly press conference: " gives Nasser Kanani's
    phrase and " during a weekly press conference: ".
    """
    verbs = list(LEAD_VERB.finditer(text))
    for verb in verbs:
        who = text[:verb.start()].strip().rstrip(",")
        found = speaker_of_clause(who)
        if found is not None:
            return found, text[verb.end():]
    subject = SUBJECT_NAME.match(text)
    if verbs and subject and not subject.group(1).split()[0].lower().endswith(("ed", "ing")) \
            and (named := speaker(subject.group(1))) and named.name:
        return named, text[verbs[0].end():]  # "Borrell described it ... and said ..."
    return None


def speaker_of_clause(who: str) -> Speaker | None:
    """The subject of an attribution, past an introductory clause ("Asked about it, Peskov")."""
    if not who:
        return None
    parts = [p.strip() for p in who.split(",") if p.strip()]
    for i in range(len(parts) - 1, -1, -1):
        found = speaker(parts[i])
        definite = found is not None and found.role is not None \
            and parts[i].lower().startswith(("the ", "this "))
        if found is None or (found.name is None and found.pronoun is None and i > 0
                             and not definite):
            continue
        appositive = [p for p in parts[i + 1:] if _role_like(p)]
        phrase = ", ".join([parts[i], *appositive[:1]])
        if appositive and found.role is None:
            return Speaker(phrase, found.name, _bare(appositive[0]), found.pronoun)
        return Speaker(phrase, found.name, found.role, found.pronoun)
    return None


def speaker(phrase: str) -> Speaker | None:
    """Parse one noun phrase: 'EU spokesman Peter Stano', 'he', 'the Kremlin', 'officials'."""
    phrase = phrase.strip().strip(",")
    words = phrase.split()
    while words and words[0].lower().strip(",") in LEADING_WORDS:
        words = words[1:]  # "But he", "And the minister"
    phrase = " ".join(words)
    if not words or len(words) > 12:
        return None
    if len(words) == 1 and words[0] in PRONOUNS:
        return Speaker(phrase, pronoun=words[0].lower())
    if any(c in phrase for c in '"“”«»'):
        return None
    start = _name_start(words)
    if 0 < start < len(words) and _after_preposition(words, start):
        start = len(words)  # "officials in Kyiv": a place, not a name
    name_words = words[start:]
    role_words = words[:start]
    split = _title_split(name_words)
    role_words += [w for w in name_words[:split] if w not in HONORIFICS]
    name_words = [w for w in name_words[split:] if w not in HONORIFICS]
    while name_words and name_words[0] in ("The", "A", "An"):
        name_words = name_words[1:]
    if role_words and role_words[0].lower() in ("the", "a", "an"):
        role_words = role_words[1:]
    name = " ".join(name_words) or None
    role = " ".join(role_words) or None
    if name is None and not _noun_phrase(words):
        return None
    return Speaker(phrase, name, role)


def _after_preposition(words: list[str], start: int) -> bool:
    before = words[start - 1].lower()
    if before == "the" and start >= 2:
        before = words[start - 2].lower()
    return before in PREPOSITIONS


def _noun_phrase(words: list[str]) -> bool:
    """Words that can describe an unnamed speaker: 'the ministry', 'Western diplomats'."""
    lowered = [w.lower().strip(",") for w in words]
    if any(w in NOT_IN_ROLES for w in lowered) or not words[0][0].isalpha():
        return False
    return lowered[0] in DETERMINERS or len(words) <= 3


def _name_start(words: list[str]) -> int:
    """Index where the trailing run of capitalised words (a name) starts."""
    start = len(words)
    while start > 0:
        word = words[start - 1]
        name_word = _capitalised(word) and not word.endswith(("'s", "’s"))
        particle = word in PARTICLES and start < len(words) and start - 1 > 0 \
            and _capitalised(words[start - 2])
        if not (name_word or particle):
            break
        start -= 1
    return start


def _capitalised(word: str) -> bool:
    word = word.strip("(),")
    if re.match(r"^(al|el|bin|ibn)-[A-Z]", word):
        return True
    return bool(word) and word[0].isupper()


def _title_split(words: list[str]) -> int:
    """How many leading words of a capitalised run are titles ('Foreign Minister ...')."""
    split = 0
    for i, word in enumerate(words[:-1]):
        of_title = word == "of" and i > 0 and words[i - 1] in TITLES
        after_of = i > 1 and words[i - 1] == "of" and words[i - 2] in TITLES
        if word in TITLES or word.lower() in ROLE_NOUNS or of_title or after_of:
            split = i + 1
    return split


def named_after_verb(text: str) -> Speaker | None:
    """`Peter Stano, the EU's spokesman` after an inverted verb (`said ...`)."""
    main, _, rest = text.partition(",")
    main = WHO_CUT.sub("", main.strip())
    person, of, place = main.partition(" of ")
    named = speaker(person) if of else None
    if named is not None and named.name and " " in named.name and named.role is None \
            and (place[:1].isupper() or place.startswith("the ")):
        return Speaker(main, named.name, _bare(place.strip()))  # "Marta Silva of the Retail ..."
    found = speaker(main)
    if found is None:
        return None
    appositive = rest.split(",")[0].strip()
    if found.role is None and appositive and _role_like(appositive):
        return Speaker(f"{main}, {appositive}", found.name, _bare(appositive), found.pronoun)
    return found


def _role_like(text: str) -> bool:
    """An appositive describing someone: 'the EU's spokesman', 'a spokesman for the EU'."""
    words = text.split()
    return 0 < len(words) <= 10 and (text.startswith(ARTICLES) or words[0][0].islower()
                                     or (_capitalised(words[0]) and words[-1][0].islower()))


def _bare(role: str) -> str:
    for article in ARTICLES:
        if role.startswith(article):
            return role[len(article):]
    return role
