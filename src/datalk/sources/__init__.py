"""The data layer: official publishers → cache → one tidy long table.

Public API::

    from datalk import sources
    sources.load("csu_mzdy_kraje")       # tidy DataFrame (fetched on first use)
    sources.fetch(["csu_mzdy_kraje"])    # explicit (re)fetch, returns results
    sources.status()                     # what is cached, how old, how big
    sources.geography()                  # territories and code lists
"""

from datalk.sources.api import fetch, geography, inspect_file, load, status
from datalk.sources.registry import all_sources, get_source

__all__ = ["all_sources", "fetch", "geography", "get_source", "inspect_file", "load", "status"]
