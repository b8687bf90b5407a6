"""volby.cz okres codes (pre-2008 kraj digits + decimal position) and voters abroad."""

from __future__ import annotations

from datalk.sources.readers import volby
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import SourceSpec
from tests.unit.sources import minigeo

HEADER = "TYP_FORM;OPRAVA;CHYBA;OKRES;OBEC;OKRSEK;KC_1;KOLO;VOL_SEZNAM;VYD_OBALKY;ODEVZ_OBAL;PL_HL_CELK\n"
ROWS = [
    "1;0;0;5103;556904;1;0;1;1000;700;700;690",  # Liberec, part Liberec (MOMC)
    "1;0;0;5103;556891;2;0;1;200;100;100;99",  # Liberec, part Vratislavice (MOMC)
    "1;0;0;1100;500054;1;0;1;300;240;240;238",  # a Praha district: okres only
    "1;0;0;2110;539325;1;0;1;100;60;60;60",  # Jesenice, okres Praha-západ (CZ020A)
    "1;0;0;9999;999997;1;0;1;50;20;20;20",  # voters abroad: ČR only
]


def ctx() -> ReadContext:
    spec = SourceSpec.model_validate(dict(
        id="volby_test", title="t", description="d", publisher="ČSÚ", landing_page="https://volby.cz",
        licence={"name": "x", "attribution": "ČSÚ"}, origin={"kind": "none"}, format="volby_csv",
        read={"delimiter": ";"}, geo={"code_map": {"556904": "563889", "556891": "563889"}},
    ))
    return ReadContext(spec=spec, options=spec.read, geography=minigeo.geography)


def test_volby_okres_codes_map_to_lau1():
    mapping = volby._volby_okres_map(minigeo.geography())
    assert mapping["5103"] == "CZ0513"
    assert mapping["5101"] == "CZ0511"
    assert mapping["1100"] == "CZ0100"
    assert mapping["2110"] == "CZ020A"  # hexadecimal LAU1 digit, old kraj digits 21
    assert mapping["2112"] == "CZ020C"


def test_parts_of_cities_are_summed_and_voters_abroad_count_in_cr_only():
    out = volby.read((HEADER + "\n".join(ROWS) + "\n").encode(), ctx())
    voters = out[out.indicator == "Voliči v seznamu"].set_index("geo_code").value
    assert voters["563889"] == 1200
    assert voters["CZ0513"] == 1200 and voters["CZ051"] == 1200
    assert voters["CZ0100"] == 300 and "500054" not in voters
    assert voters["CZ020A"] == 100
    assert voters["CZ"] == 1650
    assert out.attrs["unmatched_obec_codes"] == ["500054", "999997"]
