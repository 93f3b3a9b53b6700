"""Building: the `Builder` that runs the pipeline and remembers between builds.

`builder` runs load, validate, anchor, index, render, write, redoing only what
changed; `cache` keeps what a build can reuse in the site's `.cache/`; `kept`
is what it keeps of each brief; `pagebook` which page shows what; `pagewrite`
and `output` write the pages all or nothing; `run` is `site-builder build`.
"""
