"""Where to download a source today.

ČSÚ open-data files carry a release UUID or date in their URL that changes with
every edition, so we keep the stable dataset record of ČSÚ's local catalogue
(LKOD, DCAT-AP-CZ JSON-LD, ``https://vdb.czso.cz/pll/eweb/lkod_ld.datova_sada?id=…``)
and read the current download URL from its distributions.
"""

from __future__ import annotations

import json

from datalk.errors import FetchError
from datalk.sources import http
from datalk.sources.spec import SourceSpec

CSV_MARKERS = ("file-type/CSV", "text/csv")


def download_url(spec: SourceSpec, client=None) -> str:
    """The URL to GET for this source (after resolving a catalogue record if needed)."""
    origin = spec.origin
    if origin.kind == "none":
        raise FetchError(spec.id, "zdroj nemá veřejnou adresu ke stažení; data jsou jen v zrcadle (DATALK_MIRROR)")
    if origin.kind == "url":
        return origin.url
    record = http.get(spec.id, origin.url, http=client)
    return distribution_from_lkod(spec.id, record.content, origin.media_type)


def distribution_from_lkod(source_id: str, content: bytes, media_type: str | None = None) -> str:
    """Pick the download URL of the CSV (or the asked media type) from an LKOD record."""
    try:
        record = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(source_id, f"záznam katalogu ČSÚ není platný JSON-LD ({exc})") from exc
    distributions = record.get("distribuce") or record.get("distribution") or []
    if isinstance(distributions, dict):
        distributions = [distributions]
    markers = (media_type,) if media_type else CSV_MARKERS
    for dist in distributions:
        described = " ".join(str(dist.get(k, "")) for k in ("formát", "typ_média", "format", "mediaType"))
        url = dist.get("soubor_ke_stažení") or dist.get("downloadURL")
        if url and any(m in described for m in markers):
            return url
    raise FetchError(
        source_id,
        f"záznam katalogu ČSÚ neobsahuje distribuci {' ani '.join(markers)} "
        f"({len(distributions)} distribucí)",
    )
