"""Readers for the publishers' real formats, dispatched by the ``format`` name."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from datalk.sources.readers import csu_csv, cuzk_ku, datastat, geo, msmt_xml, rds, table, volby
from datalk.sources.readers.base import ReadContext

READERS: dict[str, Callable[[bytes, ReadContext], pd.DataFrame]] = {
    "csu_csv": csu_csv.read,
    "datastat_jsonstat": datastat.read_jsonstat,
    "datastat_csv": datastat.read_csv,
    "table": table.read,
    "volby_csv": volby.read,
    "geojson": geo.read_geojson,
    "topojson": geo.read_topojson,
    "shp_zip": geo.read_shp_zip,
    "cuzk_ku": cuzk_ku.read,
    "msmt_xml": msmt_xml.read,
    "rds": rds.read,
}

__all__ = ["READERS", "ReadContext"]
