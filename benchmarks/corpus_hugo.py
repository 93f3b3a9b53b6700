"""The benchmark corpus as a Hugo site (`corpus.py`'s OUT/hugo/), to time Hugo on it.

The same articles, one page each, with what our brief pages show at their top (title, date,
outlet, summary, the actors named); the list of briefs, 50 to a page; and the actors as a
taxonomy: an index of them all, and per actor a timeline of its briefs, oldest first, 100 to
a page. The claims have no pages of their own: Hugo is timed on the site it has always been
timed on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_text import q, save

if TYPE_CHECKING:
    from corpus import Brief
    from corpus_actors import Actor

CONFIG = """\
baseURL = "https://example.org/"
title = "Annotated briefs (benchmark corpus)"
disableKinds = ["rss"]  # our builder writes no feeds

[pagination]
  pagerSize = 50

[taxonomies]
  actor = "actors"
"""

DATE = '<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>'
ITEM = f'<li>{DATE} <a href="{{{{ .RelPermalink }}}}">{{{{ .Title }}}}</a> {{{{ .Summary }}}}</li>'
PAGER = """{{ with $pager }}<nav class="pages">{{ with .Prev }}<a href="{{ .URL }}">Previous</a> \
{{ end }}page {{ .PageNumber }} of {{ .TotalPages }}{{ with .Next }} <a href="{{ .URL }}">Next</a>\
{{ end }}</nav>{{ end }}"""

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "briefs/" | relURL }}">Briefs</a>
<a href="{{ "actors/" | relURL }}">Actors</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "home.html": f"""\
{{{{ define "main" }}}}<h1>Latest briefs</h1>
{{{{ $briefs := where site.RegularPages "Section" "briefs" }}}}
<ol class="briefs">{{{{ range first 20 $briefs.ByDate.Reverse }}}}
{ITEM}{{{{ end }}}}</ol>{{{{ end }}}}
""",
    "section.html": f"""\
{{{{ define "main" }}}}<h1>{{{{ .Title }}}}</h1>{{{{ $pager := .Paginate .Pages.ByDate.Reverse }}}}
<ol class="briefs">{{{{ range $pager.Pages }}}}
{ITEM}{{{{ end }}}}</ol>
{PAGER}{{{{ end }}}}
""",
    "page.html": f"""\
{{{{ define "main" }}}}<article><h1>{{{{ .Title }}}}</h1>
<p class="meta">{DATE} · {{{{ .Params.outlet }}}}</p>
<p class="summary">{{{{ .Summary }}}}</p>
<ul class="actors">{{{{ range .GetTerms "actors" }}}}\
<li><a href="{{{{ .RelPermalink }}}}">{{{{ .LinkTitle }}}}</a></li>{{{{ end }}}}</ul>
{{{{ .Content }}}}</article>{{{{ end }}}}
""",
    "taxonomy.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul class="actors">{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>\
{{ end }}
""",
    "term.html": f"""\
{{{{ define "main" }}}}<h1>{{{{ .Title }}}}</h1>{{{{ $pager := .Paginate .Pages.ByDate 100 }}}}
<ol class="timeline">{{{{ range $pager.Pages }}}}
{ITEM}{{{{ end }}}}</ol>
{PAGER}{{{{ end }}}}
""",
}

STYLE = "body{font:1rem/1.5 sans-serif;max-width:42rem;margin:auto}time{color:#555}\n"


def start(site: Path, registry: Sequence[Actor]) -> None:
    """Everything but the briefs' pages."""
    for folder in ("layouts", "static", "content/briefs", "content/actors"):
        (site / folder).mkdir(parents=True)
    save(site / "hugo.toml", CONFIG)
    for name, text in LAYOUTS.items():
        save(site / "layouts" / name, text)
    save(site / "static" / "style.css", STYLE)
    content = site / "content"
    save(content / "briefs" / "_index.md", "---\ntitle: Briefs\n---\n")
    save(content / "actors" / "_index.md", "---\ntitle: Actors\n---\n")
    for actor in registry:  # a term page's title: the actor's name, not its id
        (content / "actors" / actor.id).mkdir()
        save(content / "actors" / actor.id / "_index.md", f"---\ntitle: {q(actor.name)}\n---\n")


def write_brief(site: Path, brief: Brief) -> None:
    save(site / "content" / "briefs" / f"{brief.slug}.md", _front(brief) + brief.article)


def _front(brief: Brief) -> str:
    outlet = dict(brief.source)["outlet"]
    return (f"---\ntitle: {q(brief.title)}\ndate: {brief.date}\nsummary: {q(brief.summary)}\n"
            f"outlet: {q(outlet)}\nactors: [{', '.join(a.id for a in brief.cast)}]\n---\n\n")
