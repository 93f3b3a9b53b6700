"""The words of the benchmark corpus (`corpus.py`): names, prose and quotations.

Every choice is made by `Draw`, from `Random.random()` alone: for the same integer seed
Python promises that one sequence on every version and machine, where `choice`, `sample`
or `shuffle` may change how they use it. So a seed writes the same articles anywhere.

The places, states, companies and people are made up; the prose is wire copy about
contracts, tariffs and reforms, in which every quotation is one actor's words. The two
writers every part of the corpus uses are here too: `q` for YAML values, `save` for files.

The text keeps to Latin-1 (é, ü, ç, but no typographic dash or quotation mark): Python keeps
a string holding any other character at two bytes a character, and one en dash in each article
of 10,000 raised the peak memory of a build by a quarter. The figures of docs/performance.md
were measured on text without them.
"""

from __future__ import annotations

import bisect
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

T = TypeVar("T")


class Draw:
    """The corpus's random choices, all made from one seeded `Random.random()`."""

    def __init__(self, seed: int) -> None:
        self._next = random.Random(seed).random

    def below(self, n: int) -> int:
        """A whole number from 0 to n - 1."""
        return int(self._next() * n)

    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + self.below(high - low + 1)

    def chance(self, probability: float) -> bool:
        return self._next() < probability

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, running: Sequence[int]) -> int:
        """An index, as likely as its weight; `running` holds the running sums of the
        (whole-number) weights."""
        return bisect.bisect_right(running, self.below(running[-1]))

    def shuffled(self, items: Sequence[T]) -> list[T]:
        mixed = list(items)
        for i in range(len(mixed) - 1, 0, -1):
            j = self.below(i + 1)
            mixed[i], mixed[j] = mixed[j], mixed[i]
        return mixed


# --- names --------------------------------------------------------------------------------------

GIVEN = (
    "Ada", "Bruno", "Carmen", "Dario", "Edith", "Felix", "Greta", "Hamid", "Iris", "Jonas",
    "Kalinda", "Lorenzo", "Mirela", "Nils", "Odile", "Pavel", "Quentin", "Rosa", "Sanjay", "Tamsin",
    "Ulrich", "Vera", "Wendell", "Ximena", "Yara", "Zoltan", "Agnes", "Bashir", "Cosima", "Dmitar",
    "Elif", "Florin", "Gisela", "Hugo", "Ilse", "Jasper", "Keiko", "Lionel", "Marta", "Nadim",
    "Orla", "Piet", "Rukmini", "Stellan", "Thea", "Umberto", "Valka", "Wim", "Yusra", "Zora", "Zoë",
    "Renée", "José", "Inês", "Françoise", "Müge", "Anselm", "Brigid", "Cyrus", "Delphine", "Emrys",
    "Fenna", "Gideon", "Halima", "Ivo", "Juno",
)

FAMILY = (
    "Abernethy", "Baptiste", "Castellan", "Drummond", "Eklund", "Falk", "Gallardo", "Hoekstra",
    "Ibarra", "Jovanovic", "Kessler", "Lindgren", "Mbatha", "Navarro", "Oyelaran", "Pettersen",
    "Quiroga", "Reinholt", "Szabo", "Trevisan", "Uribe", "Valdes", "Whitlock", "Yamada",
    "Zielinski", "Achterberg", "Bellamy", "Cordero", "Dunmore", "Esposito", "Fairbairn",
    "Grünewald", "Halvorsen", "Iwasaki", "Jaramillo", "Kowalczyk", "Lachance", "Morrow",
    "Nakashima", "Okonjo", "Pellegrini", "Rasmussen", "Sandoval", "Thorvaldsen", "Ulloa", "Vasquez",
    "Wainwright", "Xu", "Yildirim", "Zamora", "Müller", "Çelik", "Aydemir", "Boateng", "Carvalho",
    "Delacroix", "Eastwood", "Ferreira",
)

STATE_HEAD = (
    "Ost", "Vel", "Karr", "Sund", "Bel", "Tar", "Mor", "Eld", "Vasc", "Lun", "Dor", "Ist", "Kal",
    "Brev",
)
STATE_TAIL = ("avia", "mark", "ora", "essa", "land", "onia", "istan", "ovia")

MINISTRY = (
    "Finance", "Energy", "Health", "Transport", "Labour", "Interior", "Foreign Affairs", "Justice",
    "Trade", "Fisheries", "Housing", "Water",
)

BRAND = (
    "Sable", "Tidemark", "Cinder", "Halcyon", "Northwind", "Quarry", "Lantern", "Ironbark",
    "Solace", "Meridia", "Bramble", "Keel", "Vireo", "Arkwright", "Copperline", "Foxglove",
    "Granary", "Harrowgate",
)
SECTOR = (
    "Energy", "Shipping", "Mining", "Telecom", "Holdings", "Logistics", "Foods", "Pharma",
    "Construction",
)

GROUP_WHO = (
    "Dockworkers", "Teachers", "Nurses", "Farmers", "Fishers", "Miners", "Drivers", "Tenants",
    "Retailers", "Engineers", "Pensioners", "Students",
)
GROUP_WHAT = ("Union", "Federation", "Association", "Alliance", "Council")

PAPER_HEAD = ("Morning", "Evening", "Daily", "Weekly", "Coastal", "Northern", "Capital")
PAPER_TAIL = ("Ledger", "Courier", "Sentinel", "Gazette", "Tribune", "Dispatch", "Observer")

# --- the prose ----------------------------------------------------------------------------------

CITY = (
    "Port Avel", "Kessling", "Marrowby", "Sundvik", "Teloria", "Brackwater", "Ostrava Nova",
    "Calder Bay", "Riven", "Hollin", "Saltmere", "Varnholm", "Quell", "Ambergate", "Lisk", "Tornby",
    "Wyrlen", "Estrade", "Gallowmere", "Pennick",
)

SUBJECT = (
    "port contract", "water tariff", "rail tender", "fishing quota", "grid upgrade", "housing levy",
    "mine licence", "bridge repair", "bond sale", "vaccine order", "pension reform",
    "border crossing", "fuel subsidy", "dam project", "ferry route", "wage deal", "grain deal",
    "toll road", "budget review", "tax rebate", "landfill site", "refinery expansion", "sea wall",
    "metro line", "hospital wing", "election law", "steel tariff", "airport runway",
    "spectrum auction", "school merger",
)

ADJECTIVE = (
    "delayed", "disputed", "revised", "emergency", "interim", "secret", "costly", "overdue",
    "provisional", "regional", "draft", "cross-border", "rushed", "stalled", "contested",
    "confidential",
)

DONE = (
    "approved", "signed", "blocked", "delayed", "cancelled", "extended", "suspended",
    "renegotiated", "audited", "leaked", "rewritten", "shelved",
)

TOPIC_TAGS = (
    "infrastructure", "labour", "energy", "budget", "courts", "health", "trade", "housing",
    "transport", "environment", "elections", "fisheries",
)

UNITS = ("jobs", "homes", "farms", "households", "workers", "berths", "hectares", "contracts")
AMOUNT = (
    "40 million", "1.3 billion", "a quarter", "40 percent", "12 percent", "300 million", "a third",
    "18 percent", "7 million", "half a billion",
)
COUNT = ("200", "900", "1,500", "3,000", "4,200", "12,000", "650", "80")
WHEN = (
    "March", "April", "the end of June", "the autumn", "next spring", "the election",
    "the summer recess", "the new year",
)
DAY = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend")
SPEAKS = ("said", "told reporters", "said in a statement", "told parliament", "wrote")

NAMING = (  # sentences that name an actor
    "{actor} {done} the {adj} {subject} {day}, according to two people briefed on the talks.",
    "{actor} did not reply to a request for comment on the {subject}.",
    "Figures published by {actor} showed {count} {units} affected across {city}.",
    "It was unclear whether {actor} would attend the next round of talks {day}.",
    "{actor} has faced questions over the {subject} since it was first announced.",
    "Asked about the {subject} {day}, {actor} pointed to a statement issued in {city}.",
)
OTHER = (
    "The {subject} was expected to cost about {amount}, roughly double last year's estimate.",
    "Talks on the {subject} in {city} broke down in the spring and resumed only after a {adj} "
    "compromise.",
    "Officials in {city} said the {subject} would go to an independent panel before {when}.",
    "The quarrel over the {subject} has run for months, and no settlement is in sight.",
    "Residents of {city} have protested against the {adj} {subject} since {when}.",
    "Under the {adj} plan, the {subject} would pass to a new operator by {when}.",
    "A court in {city} is due to rule on the {subject} before {when}.",
    "Observers expect the {subject} to come up again when parliament sits {day}.",
    "The opposition has called the {subject} {adj} and asked for the papers to be published.",
)
BACKGROUND = ("Background", "What comes next", "The numbers", "Reactions")

# Quotations: what an actor claims (with the editor's summary of it), and how others answer.
CLAIM_WORDS = (
    ("The {subject} will cost {amount} more than anyone has admitted",
     "The {subject} will cost {amount} more than admitted."),
    ("We have papers showing the {subject} in {city} was {done} without a vote",
     "The {subject} in {city} was {done} without a vote."),
    ("{count} {units} will be lost if the {adj} {subject} goes ahead",
     "The {adj} {subject} would cost {count} {units}."),
    ("The {subject} was settled months before anyone in {city} was told",
     "The {subject} was settled in secret, months before {city} was told."),
    ("There is no money left for the {subject} after {when}",
     "The {subject} runs out of money after {when}."),
    ("The {adj} {subject} will be finished by {when} and within budget",
     "The {subject} will be finished on time and on budget."),
)
ANSWERS = {
    "denies": ("There is no truth in what has been said about the {subject} in {city}",
               "The {subject} was never {done}, and the records show it"),
    "disputes": ("The figures quoted for the {subject} are simply wrong",
                 "Nobody in {city} was kept in the dark about the {adj} {subject}"),
    "confirms": ("We can confirm that the {subject} was {done} before {when}",
                 "What was said about the {adj} {subject} is accurate"),
    "supports": ("We stand behind every word said about the {subject} in {city}",),
    "questions": ("We have yet to see a single document about the {adj} {subject}",
                  "Where is the evidence that the {subject} was {done}"),
    "no-comment": ("We will not comment on the {subject} while the review in {city} goes on",),
    "warns": ("If the {subject} goes ahead as planned, {city} will pay for it until {when}",),
    "condemns": ("Using the {adj} {subject} to score points in {city} is irresponsible",),
    "hedges": ("It is too early to say what the {subject} will mean for {city}",),
}
NOTES = (
    "The answer does not address the figure of {amount}.",
    "Made before the audit of the {subject} was published.",
    "Repeated the next day in {city}, in the same words.",
)


@dataclass(frozen=True, slots=True)
class Scene:
    """What one article is about: the words its sentences share."""

    city: str
    subject: str
    adjective: str

    def fill(self, draw: Draw, template: str, actor: str = "", strict: bool = False) -> str:
        """The template with its blanks filled, each drawn as it comes: the scene's subject
        (always if `strict`), city and adjective most of the time."""
        text = template.format_map(_Blanks(self, draw, actor, strict))
        return text[0].upper() + text[1:]


class _Blanks(dict[str, str]):
    """The words of a template's blanks, drawn when the template asks for them (and only
    then: drawing every blank for every sentence made the corpus twice as slow)."""

    def __init__(self, where: Scene, draw: Draw, actor: str, strict: bool) -> None:
        super().__init__(actor=actor)
        self.where, self.draw, self.strict = where, draw, strict

    def __missing__(self, blank: str) -> str:
        draw, where = self.draw, self.where
        if blank == "subject":
            word = where.subject if self.strict or draw.chance(0.7) else draw.pick(SUBJECT)
        elif blank == "city":
            word = where.city if draw.chance(0.6) else draw.pick(CITY)
        elif blank == "adj":
            word = where.adjective if draw.chance(0.5) else draw.pick(ADJECTIVE)
        else:
            word = draw.pick(WORDS[blank])
        self[blank] = word
        return word


WORDS = {"done": DONE, "amount": AMOUNT, "count": COUNT, "units": UNITS, "when": WHEN,
         "day": DAY}


def scene(draw: Draw) -> Scene:
    return Scene(draw.pick(CITY), draw.pick(SUBJECT), draw.pick(ADJECTIVE))


def claim_words(draw: Draw, where: Scene) -> tuple[str, str]:
    """A claim's quotation, and the editor's summary of it."""
    words, summary = draw.pick(CLAIM_WORDS)
    filled = where.fill(draw, words + "\0" + summary, strict=True)  # the same words in both
    quoted, text = filled.split("\0")
    return quoted, text[0].upper() + text[1:]


def answer_words(draw: Draw, where: Scene, stance: str) -> str:
    return where.fill(draw, draw.pick(ANSWERS[stance]), strict=True)


def note(draw: Draw, where: Scene) -> str:
    return where.fill(draw, draw.pick(NOTES))


class Named(Protocol):
    """An actor as articles name it (`corpus_actors.Actor`)."""

    @property
    def called(self) -> str: ...
    @property
    def called_short(self) -> str: ...
    @property
    def phrase(self) -> str | None: ...


def article(draw: Draw, where: Scene, slug: str, cast: Sequence[Named],
            said: Sequence[tuple[Named, str]]) -> str:
    """The article in Markdown: paragraphs of prose naming every actor of `cast`, and one
    paragraph for each quotation of `said` (who, the words), in their order."""
    unnamed = [a for a in cast if all(a is not speaker for speaker, _ in said)]
    length, count = draw.between(250, 650), 0
    prose: list[str] = []
    while count < length or unnamed:
        paragraph = " ".join(_sentence(draw, where, cast, unnamed)
                             for _ in range(draw.between(2, 4)))
        prose.append(paragraph)
        count += len(paragraph.split())
    quotes = [" ".join([speech(draw, words, speaker), *(_sentence(draw, where, cast, [])
                                                        for _ in range(draw.below(3)))])
              for speaker, words in said]
    blocks = _interleave(prose, quotes)
    blocks[0] = f"**{where.city.upper()}** - {blocks[0]}"
    return "\n\n".join(_dressed(draw, where, slug, blocks)) + "\n"


def _sentence(draw: Draw, where: Scene, cast: Sequence[Named], unnamed: list[Named]) -> str:
    """A sentence of prose: naming the next of `unnamed` if any is left."""
    if unnamed:
        return where.fill(draw, draw.pick(NAMING), unnamed.pop(0).called)
    if draw.chance(0.4):
        actor = draw.pick(cast)
        called = actor.called_short if actor.called_short and draw.chance(0.5) else actor.called
        return where.fill(draw, draw.pick(NAMING), called)
    return where.fill(draw, draw.pick(OTHER))


def speech(draw: Draw, words: str, speaker: Named) -> str:
    """The sentence that quotes `words`, said by `speaker`."""
    said = draw.pick(SPEAKS)
    form = draw.below(3)
    if form == 0 or speaker.phrase is None:
        return f'"{words}," {speaker.called} {said}.'
    if form == 1:
        return f'"{words}," said {speaker.called}, {speaker.phrase}.'
    return f'{speaker.called}, {speaker.phrase}, {said}: "{words}."'


def _interleave(prose: Sequence[str], quotes: Sequence[str]) -> list[str]:
    """The paragraphs of prose with the quotations spread among them, from the second on."""
    blocks, due = [], 0
    for i, paragraph in enumerate(prose):
        blocks.append(paragraph)
        while due < len(quotes) and due * len(prose) <= i * len(quotes):
            blocks.append(quotes[due])
            due += 1
    return blocks + list(quotes[due:])


def _dressed(draw: Draw, where: Scene, slug: str, blocks: list[str]) -> list[str]:
    """Some of what articles hold besides paragraphs: a heading, a list, a block quote,
    a link, a line in italics."""
    if draw.chance(0.5):
        blocks[-1] += (f" The full text is [published online]"
                       f"(https://example.org/documents/{slug}).")
    if draw.chance(0.25):
        items = [where.fill(draw, "- {count} {units} in {city}") for _ in range(3)]
        blocks.insert(len(blocks) - 1, "Key figures:\n\n" + "\n".join(items))
    if draw.chance(0.15):
        blocks.insert(len(blocks) // 2, "> " + where.fill(draw, draw.pick(OTHER)))
    if draw.chance(0.4) and len(blocks) > 3:
        blocks.insert(len(blocks) * 2 // 3, f"## {draw.pick(BACKGROUND)}")
    if draw.chance(0.2):
        blocks.append("_This story has been updated._")
    return blocks


def q(text: str) -> str:
    """`text` as a YAML double-quoted value (JSON's escapes are YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def save(path: Path, text: str) -> None:
    """Write `text` in UTF-8, its lines ending in a line feed on every system."""
    path.write_bytes(text.encode("utf-8"))
