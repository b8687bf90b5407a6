"""volby.cz open-data results per polling district (okrsek), aggregated to territories.

One row is one okrsek in one round (KOLO). We sum registered voters
(VOL_SEZNAM), issued envelopes (VYD_OBALKY) and valid votes (PL_HL_CELK) per obec,
okres, kraj and ČR, and derive turnout. Statutory cities are coded by their parts
(MOMC) in this file; the source YAML maps them to the obec (``geo.code_map``).
"""

from __future__ import annotations

import pandas as pd

from datalk.errors import ReadError
from datalk.sources.readers.base import ReadContext, read_delimited, require_columns
from datalk.sources.tidy import to_number

COUNTS = {
    "VOL_SEZNAM": "Voliči v seznamu",
    "VYD_OBALKY": "Vydané obálky",
    "PL_HL_CELK": "Platné hlasy",
}
TURNOUT = "Volební účast (%)"
ABROAD = "9999"  # voters registered at embassies and consulates: counted in ČR only

#: volby.cz okres codes keep the pre-2008 NUTS 3 digits ('11' Praha, '21' Středočeský,
#: '61' Vysočina, '62' Jihomoravský, '81' Moravskoslezský); the others equal today's digits.
VOLBY_KRAJ = {"CZ010": "11", "CZ020": "21", "CZ063": "61", "CZ064": "62", "CZ080": "81"}


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    options = ctx.options.model_copy(update={"delimiter": ctx.options.delimiter or ";"})
    frame = read_delimited(raw, options, ctx.source_id)
    require_columns(frame, ["OKRES", "OBEC", "OKRSEK", "KOLO", *COUNTS], ctx.source_id)
    geography = ctx.geography()
    code_map = ctx.spec.geo.code_map if ctx.spec.geo else {}
    obec = frame["OBEC"].str.strip().replace(code_map)
    for column in COUNTS:
        frame[column] = to_number(frame[column])
    frame["obec"] = obec.where(obec.isin(geography.table.index))
    okres_of = geography.table["okres"]
    frame["okres"] = frame["obec"].map(okres_of)
    unmatched = frame.loc[frame["obec"].isna(), "OBEC"].unique()
    # Parts of statutory cities outside the YAML's map stay out of the obec level but are
    # still counted in their okres, kraj and ČR through the volby okres code.
    frame["okres"] = frame["okres"].fillna(frame["OKRES"].str.strip().map(_volby_okres_map(geography)))
    abroad = frame["OKRES"].str.strip() == ABROAD
    if (frame["okres"].isna() & ~abroad).any():
        bad = frame.loc[frame["okres"].isna() & ~abroad, "OKRES"].unique()[:5]
        raise ReadError(ctx.source_id, f"neznámé kódy okresů volby.cz: {list(bad)}")
    frame["kraj"] = frame["okres"].map(geography.table["kraj"])
    frame["stat"] = "CZ"
    period = ctx.spec.period or ""  # volby.cz files carry no date: the YAML names the election year
    parts = [_aggregate(frame, level, period) for level in ("stat", "kraj", "okres", "obec")]
    tidy = pd.concat(parts, ignore_index=True)
    tidy.attrs["unmatched_obec_codes"] = [str(u) for u in unmatched]
    return tidy


def _aggregate(frame: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    rows = frame.dropna(subset=[level])
    sums = rows.groupby([level, "KOLO"], as_index=False)[list(COUNTS)].sum()
    sums[TURNOUT] = sums["VYD_OBALKY"] / sums["VOL_SEZNAM"] * 100
    long = sums.melt(id_vars=[level, "KOLO"], value_vars=[*COUNTS, TURNOUT],
                     var_name="indicator", value_name="value")
    long["indicator"] = long["indicator"].replace(COUNTS)
    return pd.DataFrame({
        "geo_code": long[level], "geo_level": level, "period": period, "indicator": long["indicator"],
        "value": long["value"], "kolo": long["KOLO"].astype(str),
    })


def _volby_okres_map(geography) -> dict[str, str]:
    """volby.cz okres code → LAU1: '5103' → 'CZ0513', '2110' → 'CZ020A', '6203' → 'CZ0643'.

    The code is the (pre-2008) kraj digits and the okres's position in the kraj as two
    decimal digits, where LAU1 uses one hexadecimal digit; Praha is '1100'.
    """
    mapping = {}
    for code in geography.codes("okres"):
        kraj, position = code[:5], int(code[5:], 16)  # 'CZ020A' → 'CZ020', 10
        mapping[f"{VOLBY_KRAJ.get(kraj, kraj[3:])}{position:02d}"] = code
    return mapping
