"""An actor's or a claim's timeline as TimelineJS data: `actors/<id>/timeline.json`,
`claims/<id>/timeline.json`.

The format is TimelineJS's JSON (timeline.knightlab.com, "JSON format"): a `title` slide and
`events`, each with a `start_date` (year, month, day), a `text` (a plain headline and an HTML
text) and a `group`, TimelineJS's row: the stance of a response, what the actor did otherwise
("Claimed", "Subject of a claim", "Mentioned"). Each event's `unique_id` is the entry's id on
the site's pages, and its text links to the entry: in full with the site's `base_url`, else
relative to the file. Events are in the timeline's order, oldest first: the n-th event is on
page n // 100 + 1 of the actor's timeline, which is how the timeline's pages find an entry
that moved (docs/embeds.md). docs/embeds.md describes every field; tests/timelinejs.schema.json
checks them.

An actor in thousands of briefs has thousands of events, and a save in `serve` changes a few:
`TimelineEvents` keeps each event's bytes between builds and makes again only those of the
events that are new or moved to another page, then joins the bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from markupsafe import escape

from ..site import timelines, urls
from ..site.views import ActorView, Event, SiteIndex, Thread
from ..source.model import Brief

KINDS = {"claim": "Claimed", "subject": "Subject of a claim", "mention": "Mentioned"}
Slide = dict[str, Any]
Encode = Callable[[Any], bytes]  # a JSON value as the data file writes it


class KeptEvent(NamedTuple):
    """An event of an actor's timeline as written last: the same record on the same page
    writes the same bytes."""

    event: Event  # held, so that its id is no other event's while it is kept
    entry: str  # its entry id
    page: int  # the page of the actor's timeline it is on
    data: bytes


class TimelineEvents:
    """Writes the TimelineJS data files. Once `keep` is set (`serve`, after its first
    build), each actor's events are kept as bytes, by event: an index updated after a change
    keeps the `Event` records of the briefs it did not touch (the same objects), so an event
    whose record is the same and whose page is the same writes the same bytes. Anything else
    an event shows (the actor's name, the site's address and links) is the actor's and the
    settings', checked for each file."""

    def __init__(self) -> None:
        self.keep = False
        self._kept: dict[str, tuple[tuple[Any, ...], dict[int, KeptEvent]]] = {}  # by path

    def render(self, context: dict[str, Any], encode: Encode) -> bytes:
        """The bytes of the TimelineJS data of the page planned with this context, its JSON
        values written by `encode`: the title slide's and each event's, joined."""
        config, path, index = context["site"], context["page_path"], context["index"]
        url = urls.RootLinker(path, base_path=config.base_url) if config.base_url \
            else urls.Linker(path, files=config.file_links)
        if "view" not in context:
            document = claim_timeline(index, context["thread"], url)
            return _joined(document["title"], [encode(e) for e in document["events"]], encode)
        view: ActorView = context["view"]
        actor = view.actor
        title = _slide(None, actor.name, escape(actor.role or ""))
        basis = (actor.name, config.base_url, config.file_links)
        kept = self._kept.get(path)
        before = kept[1] if kept is not None and kept[0] == basis else {}
        events = _events(view, timelines.EntryLinks(index, url), url, before, encode)
        if self.keep:
            self._kept[path] = (basis, {id(e.event): e for e in events})
        return _joined(title, [e.data for e in events], encode)


def _events(view: ActorView, entries: timelines.EntryLinks, url: urls.Linker,
            before: dict[int, KeptEvent], encode: Encode) -> list[KeptEvent]:
    """The actor's events, in order: as kept in `before` when the same record is on the
    same page, else made again."""
    found = []
    for event in view.timeline:
        kept = before.get(id(event))
        if kept is not None and kept.event is event and \
                (timelines.entry_page(view, kept.entry) or 1) == kept.page:
            found.append(kept)
            continue
        entry = event.entry_id
        data = encode(_event(view, event, entries.event(view, event), url))
        found.append(KeptEvent(event, entry, timelines.entry_page(view, entry) or 1, data))
    return found


def _joined(title: Slide, events: list[bytes], encode: Encode) -> bytes:
    """`{"title":...,"events":[...]}`: the document's bytes, from its title's and its events'."""
    head = encode({"title": title, "events": []})  # ends with `[]}`
    return b"".join((head[:-2], b",".join(events), head[-2:]))


def _event(view: ActorView, event: Event, address: str, url: urls.Linker) -> Slide:
    brief, claim = event.brief, event.claim
    if event.kind == "response" and event.response is not None:
        group, quote = event.response.stance, event.response.quote
    else:
        group, quote = KINDS[event.kind], claim.quote if claim else None
    text = f"<p>{escape(view.actor.name)}: {escape(group)}</p>"
    if quote:
        text += f"<blockquote>{escape(quote.exact)}</blockquote>"
    text += _sources(address, brief, url.brief(brief.slug, event.target))
    slide = _slide(event.date, claim.text if claim else brief.title, text, group)
    slide["unique_id"] = event.entry_id
    return slide


def claim_timeline(index: SiteIndex, thread: Thread, url: urls.Linker) -> dict[str, Any]:
    claim, name = thread.claim, _names(index)
    names = ", ".join(name(ref.id) for ref in claim.by)
    first = _slide(claim.date, claim.text,
                   f"<p>Claimed by {escape(names)}</p>"
                   + _sources(url.claim(claim.id), thread.brief,
                              url.brief(thread.brief.slug, thread.target)), "claim")
    first["unique_id"] = f"{thread.brief.slug}--{thread.target.removeprefix('note-')}"
    events = [first]
    for entry in thread.responses:
        response = entry.response
        text = f"<blockquote>{escape(response.quote.exact)}</blockquote>" \
            if response.quote else ""
        text += _sources(url.claim(claim.id, entry.entry_id), entry.brief,
                         url.brief(entry.brief.slug, entry.target))
        slide = _slide(response.date, f"{name(response.by.id)}: {response.stance}", text,
                       response.stance)
        slide["unique_id"] = entry.entry_id
        events.append(slide)
    return {"title": _slide(None, claim.text, f"<p>Claimed by {escape(names)}</p>"),
            "events": events}


def _names(index: SiteIndex) -> Callable[[str], str]:
    actors = index.site.actor_by_id
    return lambda actor_id: actors[actor_id].name if actor_id in actors else actor_id


def _sources(address: str, brief: Brief, in_brief: str) -> str:
    """The links of an event's text: to the entry, and to its place in the brief."""
    return (f'<p><a href="{escape(address)}">The entry</a> &middot; '
            f'<a href="{escape(in_brief)}">{escape(brief.title)}</a>, '
            f"{escape(brief.source.outlet)}</p>")


def _slide(date: dt.date | None, headline: str, text: str, group: str | None = None) -> Slide:
    slide: Slide = {}
    if date is not None:
        slide["start_date"] = {"year": date.year, "month": date.month, "day": date.day}
    slide["text"] = {"headline": str(escape(headline)), "text": str(text)}
    if group is not None:
        slide["group"] = group
    return slide
