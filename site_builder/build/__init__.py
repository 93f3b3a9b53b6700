"""Building: the `Builder` that runs the pipeline and remembers between builds.

`builder` runs load, validate, anchor, index, render, write, redoing only what
changed, through its collaborators: `reading` keeps each brief's results,
`plan` which pages a change touches (with `pagebook`, which page shows what),
`renderer` the templates, `writer` the output folder (with `pagewrite` and
`output`, which write the pages all or nothing) and `saving` the build cache.
`store` is the cache's SQLite file in the site's `.cache/`, which `cache` reads
and `storewrite` saves, a transaction a build (`cachefolder` keeps the folder
safe), `kept` is what it holds, `fingerprints` tells what changed;
`templatecode` keeps compiled templates there. `workers` spreads the
work over the cores; `run` is `site-builder build`.
"""
