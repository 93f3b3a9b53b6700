"""`site-builder serve`: the live preview.

`session` rebuilds on every save with one `Builder`, `watch` turns file events
into changes, `server` serves the output with live reload and the error overlay.
"""
