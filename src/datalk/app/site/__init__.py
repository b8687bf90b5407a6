"""The portal's own pages around the Voilà topic pages.

Landing page with topic tiles, search, open-data directory, "about the data",
accessibility statement, feedback and the signpost to the region's other portals.
They are plain Jinja pages rendered by tornado handlers in the Voilà process, and
they share the header and footer macros of the Voilà template (``chrome.html.j2``),
so the site reads as one website, not a set of notebooks.
"""
