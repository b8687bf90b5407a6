"""MŠMT register of schools and school facilities (rejstřík škol a školských zařízení), XML.

The open-data export (``https://rejstriky.msmt.cz/opendata/``, one file per kraj, e.g.
``vrejcz051.xml``) nests ``ExportDat → PravniSubjekt`` (legal entity: RedIzo, IČO,
``Reditelstvi`` with name, okres, ORP, type of founder) ``→ SkolyZarizeni → SkolaZarizeni``
(school or facility: IZO, name, type code ``SkolaDruhTyp``, capacity)
``→ SkolaMistaVykonuCinnosti → SkolaMistoVykonuCinnosti`` (place of teaching: address lines,
RÚIAN address code).

The reader flattens it to one row per school and place (a school without places keeps one
row), with the text children of each level as columns named by their tags. Only
``output: table`` makes sense: the register names no obec code (the RÚIAN code is an address
point), so ``schema.renames`` turns the tags into the portal's column names.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pandas as pd

from datalk.errors import ReadError
from datalk.sources.readers.base import (
    ReadContext,
    check_not_empty,
    check_not_html,
    require_columns,
)


def read(raw: bytes, ctx: ReadContext) -> pd.DataFrame:
    check_not_empty(raw, ctx.source_id)
    check_not_html(raw, ctx.source_id)
    rows: list[dict[str, str]] = []
    try:
        for _event, element in ET.iterparse(io.BytesIO(raw), events=("end",)):
            if _local(element.tag) == "PravniSubjekt":
                rows.extend(_subject_rows(element))
                element.clear()
    except ET.ParseError as exc:
        raise ReadError(ctx.source_id, f"neplatné XML (useknutý soubor?): {exc}") from exc
    if not rows:
        raise ReadError(ctx.source_id, "XML neobsahuje žádný PravniSubjekt/SkolaZarizeni (změnil se formát?)")
    frame = pd.DataFrame(rows).astype("string")
    require_columns(frame, [c.name for c in ctx.spec.schema_.columns], ctx.source_id)
    return frame.rename(columns=ctx.spec.schema_.renames)


def _subject_rows(subject: ET.Element) -> list[dict[str, str]]:
    base = _texts(subject)
    for child in subject:
        if _local(child.tag) == "Reditelstvi":
            base.update(_texts(child))
    rows = []
    for school in _descendants(subject, "SkolaZarizeni"):
        fields = {**base, **_texts(school)}
        places = list(_descendants(school, "SkolaMistoVykonuCinnosti"))
        if places:
            rows.extend({**fields, **_texts(place)} for place in places)
        else:
            rows.append(fields)
    return rows


def _texts(element: ET.Element) -> dict[str, str]:
    """Direct children that hold text (leaves), by tag name."""
    return {
        _local(child.tag): (child.text or "").strip()
        for child in element
        if len(child) == 0
    }


def _descendants(element: ET.Element, name: str):
    return (e for e in element.iter() if _local(e.tag) == name)


def _local(tag: str) -> str:
    """Tag without an XML namespace ('{urn:…}IZO' → 'IZO')."""
    return tag.rsplit("}", 1)[-1]
