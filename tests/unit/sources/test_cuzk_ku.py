"""ČÚZK statistics per katastrální území: KÚ → obec via the KÚ list, then up to ČR."""

from __future__ import annotations

import pandas as pd
import pytest

from datalk.errors import ReadError, SourceError
from datalk.sources.readers import READERS, cuzk_ku
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import SourceSpec
from tests.unit.sources import minigeo

KU_LIST = pd.DataFrame({
    "KRAJ_KOD": ["78", "78", "78", "78"],
    "OBEC_KOD": ["563889", "563889", "564028", "561380"],
    "KU_KOD": ["682039", "682047", "648329", "620475"],
})

# cp1250, ';', trailing ';' and an empty last row as ČÚZK exports them
UHDP = (
    "KU_KOD;KU_NAZEV;CELKOVA_VYMERA;Lesní pozemek(10)-výměra;\n"
    "682039;Liberec;1000;100;\n"
    "682047;Ruprechtice;500;300;\n"
    "648329;Frýdlant;2000;1500;\n"
    "620475;Česká Lípa;4000;;\n"
    "990019;Baština;7000;7000;\n"
    ";;;;\n"
).encode("cp1250")


def ctx(exclude=(), ku_list=KU_LIST) -> ReadContext:
    spec = SourceSpec.model_validate(dict(
        id="cuzk_test", title="t", description="d", publisher="ČÚZK", landing_page="https://cuzk.gov.cz",
        licence={"name": "CC BY 4.0", "attribution": "ČÚZK"}, origin={"kind": "none"}, format="cuzk_ku",
        read={"file_type": "csv", "encoding": "cp1250", "delimiter": ";"},
        tidy={"geo": {"column": "KU_KOD", "exclude": list(exclude)}, "period": {"value": "2014-01-01"},
              "drop_empty": ["KU_KOD"],
              "melt": {"CELKOVA_VYMERA": {"indicator": "Výměra", "druh": ""},
                       "Lesní pozemek(10)-výměra": {"indicator": "Výměra", "druh": "lesní pozemek"}}},
    ))

    def load_source(source_id: str) -> pd.DataFrame:
        assert source_id == cuzk_ku.KU_LIST_SOURCE
        if ku_list is None:
            raise SourceError(source_id, "nestaženo")
        return ku_list

    return ReadContext(spec=spec, options=spec.read, geography=minigeo.geography, load_source=load_source)


def values(frame: pd.DataFrame, druh: str = "") -> dict:
    return frame[frame.druh == druh].set_index("geo_code").value.to_dict()


def test_registered_under_its_format_name():
    assert READERS["cuzk_ku"] is cuzk_ku.read


def test_cadastral_areas_are_summed_to_obce_and_up():
    out = cuzk_ku.read(UHDP, ctx(exclude=["990019"]))
    total = values(out)
    assert total["563889"] == 1500  # Liberec = two KÚ
    assert total["564028"] == 2000
    assert total["5105"] == 3500 and total["CZ0513"] == 3500
    assert total["CZ051"] == 7500
    assert total["CZ"] == 14500  # the excluded KÚ still counts in ČR
    assert set(out.geo_level) == {"obec", "orp", "okres", "kraj", "stat"}
    assert set(out.period) == {"2014-01-01"}


def test_missing_values_stay_missing_not_zero():
    forest = values(cuzk_ku.read(UHDP, ctx(exclude=["990019"])), "lesní pozemek")
    assert pd.isna(forest["561380"])
    assert forest["563889"] == 400


def test_unknown_cadastral_area_is_an_error():
    with pytest.raises(ReadError, match="990019"):
        cuzk_ku.read(UHDP, ctx())


def test_missing_ku_list_is_named():
    with pytest.raises(ReadError, match="seznam katastrálních území"):
        cuzk_ku.read(UHDP, ctx(exclude=["990019"], ku_list=None))
