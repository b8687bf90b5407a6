"""Renderers of topic views: ``static`` (SVG figures, reports) and ``widgets``
(bqplot/ipyleaflet, the Voilà app). Both draw the same :mod:`datalk.topics.views`."""
