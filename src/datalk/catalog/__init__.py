"""Open-data catalogue: downloadable distributions and DCAT-AP-CZ records for the national catalogue.

``build()`` writes ``data/<id>.csv|.csv-metadata.json|.geojson|.xlsx``, ``datove-sady/<id>.jsonld``
(one DCAT-AP-CZ record per dataset), ``katalog.jsonld`` and the open-data page ``index.html``;
``validate_output()`` checks the catalogue and records against the official OFN JSON Schemas.
"""

from datalk.catalog.build import BuildResult, build, default_site, select_sources
from datalk.catalog.validate import Problem, find_specs_dir, validate_output

__all__ = ["BuildResult", "Problem", "build", "default_site", "find_specs_dir", "select_sources",
           "validate_output"]
