"""A brief's place in the story: what other briefs said of its claims, and its neighbours.

A brief's page shows, for each claim it makes or answers, the responses that other briefs
gave to it, earlier and later, newest first; and the briefs just before and after it in
date order. `story` gathers both from the index; the planner makes the page depend on
exactly what they show (`pages.brief_deps`): the claims the brief shares with other briefs,
whose threads every such response changes, and its two neighbours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .views import BriefView, SiteIndex, Thread, ThreadEntry

STORY_SHOWN = 10  # responses from other briefs shown per claim; its page shows them all


@dataclass(frozen=True, slots=True)
class Followup:
    """One claim of a brief, and the responses other briefs gave to it, newest first: those
    that came after the brief, those before it, and how many more its page lists."""

    thread: Thread
    later: tuple[ThreadEntry, ...]
    earlier: tuple[ThreadEntry, ...]
    more: int


@dataclass(frozen=True, slots=True)
class Story:
    """What a brief's page shows of the rest of the story."""

    followups: tuple[Followup, ...]
    older: BriefView | None  # the brief just before it in date order
    newer: BriefView | None  # the brief just after it

    @property
    def has_later(self) -> bool:
        return any(f.later for f in self.followups)


def story(view: BriefView, index: SiteIndex) -> Story:
    """The story around the brief of `view`."""
    claims = dict.fromkeys(a.claim.id for a in view.annotations)
    found = (followup(view, index.threads[c]) for c in claims if c in index.threads)
    older, newer = index.neighbours(view.brief.slug)
    return Story(tuple(f for f in found if f.later or f.earlier), older, newer)


def followup(view: BriefView, thread: Thread) -> Followup:
    """The responses to `thread`'s claim from briefs other than `view`'s: the newest
    `STORY_SHOWN`, split at the brief's own place in time."""
    brief = view.brief
    others = [e for e in reversed(thread.responses) if e.brief.slug != brief.slug]
    shown = others[:STORY_SHOWN]
    here = _when(brief.date, brief.date, brief.slug)
    after = [_when(e.response.date, e.brief.date, e.brief.slug) > here for e in shown]
    later = tuple(e for e, is_after in zip(shown, after, strict=True) if is_after)
    earlier = tuple(e for e, is_after in zip(shown, after, strict=True) if not is_after)
    return Followup(thread, later, earlier, len(others) - len(shown))


def _when(day: dt.date, published: dt.date, slug: str) -> tuple[dt.date, dt.date, str]:
    """Where a response stands in time: its date, then its brief's date and slug (one day's
    responses in the order of their briefs)."""
    return (day, published, slug)
