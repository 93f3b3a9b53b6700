"""Publishing: `site-builder init` (a new site with its Pages workflow) and `deploy`."""
