"""The bottom layer: what every stage uses and that knows nothing of briefs.

Diagnostics (`file:line:col` messages), file times that can be trusted, reading a
site's files safely, scratch folders and all-or-nothing moves, fast pickling of
frozen records, and running one function on every core.
"""
