"""MŠMT school register XML flattened to one row per school and place of teaching."""

from __future__ import annotations

import pytest

from datalk.errors import ReadError
from datalk.sources.readers import READERS, msmt_xml
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import SourceSpec
from tests.unit.sources import minigeo

XML = """<?xml version="1.0" encoding="utf-8"?>
<ExportDat xmlns="urn:example:rejstrik">
  <PravniSubjekt>
    <RedIzo>600001</RedIzo>
    <ICO>70000001</ICO>
    <Reditelstvi>
      <RedPlnyNazev>Základní škola Liberec, Husova 1</RedPlnyNazev>
      <Okres>CZ0513</Okres>
      <Reditel><ReditelJmeno>Jana Nováková</ReditelJmeno></Reditel>
    </Reditelstvi>
    <SkolyZarizeni>
      <SkolaZarizeni>
        <IZO>100000001</IZO>
        <SkolaPlnyNazev>Základní škola</SkolaPlnyNazev>
        <SkolaDruhTyp>B00</SkolaDruhTyp>
        <SkolaKapacita>540</SkolaKapacita>
        <SkolaMistaVykonuCinnosti>
          <SkolaMistoVykonuCinnosti>
            <IDMista>1</IDMista><MistoAdresa1>Husova 1</MistoAdresa1><MistoRUAINKod>111</MistoRUAINKod>
          </SkolaMistoVykonuCinnosti>
          <SkolaMistoVykonuCinnosti>
            <IDMista>2</IDMista><MistoAdresa1>Žitná 5</MistoAdresa1><MistoRUAINKod>222</MistoRUAINKod>
          </SkolaMistoVykonuCinnosti>
        </SkolaMistaVykonuCinnosti>
      </SkolaZarizeni>
      <SkolaZarizeni>
        <IZO>100000002</IZO>
        <SkolaPlnyNazev>Školní jídelna</SkolaPlnyNazev>
        <SkolaDruhTyp>L13</SkolaDruhTyp>
      </SkolaZarizeni>
    </SkolyZarizeni>
  </PravniSubjekt>
</ExportDat>
""".encode()


def ctx(**schema) -> ReadContext:
    spec = SourceSpec.model_validate(dict(
        id="msmt_test", title="t", description="d", publisher="MŠMT", landing_page="https://rejstriky.msmt.cz",
        licence={"name": "x", "attribution": "MŠMT"}, origin={"kind": "none"}, format="msmt_xml",
        output="table", schema=schema,
    ))
    return ReadContext(spec=spec, options=spec.read, geography=minigeo.geography)


def test_registered_under_its_format_name():
    assert READERS["msmt_xml"] is msmt_xml.read


def test_one_row_per_school_and_place_with_subject_fields():
    out = msmt_xml.read(XML, ctx(columns=[{"name": "IZO"}], renames={"IZO": "izo", "RedIzo": "red_izo"}))
    assert len(out) == 3
    assert out.izo.tolist() == ["100000001", "100000001", "100000002"]
    assert out.red_izo.unique().tolist() == ["600001"]
    assert out.RedPlnyNazev.iloc[0] == "Základní škola Liberec, Husova 1"
    assert out.MistoAdresa1.tolist()[:2] == ["Husova 1", "Žitná 5"]
    assert out.MistoAdresa1.isna().iloc[2]  # a facility without places keeps one row
    assert "ReditelJmeno" not in out.columns  # only direct text children of each level


def test_missing_required_column_is_named():
    with pytest.raises(ReadError, match="SkolaNeexistuje"):
        msmt_xml.read(XML, ctx(columns=[{"name": "SkolaNeexistuje"}]))


@pytest.mark.parametrize(("raw", "message"), [
    (XML[: len(XML) // 2], "neplatné XML"),
    (b"<html><body>Service unavailable</body></html>", "HTML"),
    (b"<?xml version='1.0'?><ExportDat></ExportDat>", "PravniSubjekt"),
])
def test_broken_or_foreign_files_are_read_errors(raw, message):
    with pytest.raises(ReadError, match=message):
        msmt_xml.read(raw, ctx())
