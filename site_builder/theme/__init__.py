"""Templates: the Jinja environment with the site's own templates over the built-in theme.

`render` turns planned pages into bytes, `files` tells templates from assets,
`filters` are the functions templates call, `codegen` makes Jinja's output
quicker with the same bytes, `loader` reads the site's templates safely,
`templatedeps` tells which pages a template edit touches.
"""
