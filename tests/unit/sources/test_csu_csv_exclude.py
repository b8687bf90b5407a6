"""geo.exclude in the ČSÚ open-data CSV reader: drops named territories, nothing else."""
import pytest

from datalk import sources
from datalk.errors import ReadError
from datalk.sources.readers import csu_csv
from datalk.sources.readers.base import ReadContext
from datalk.sources.spec import SourceSpec

pytestmark = pytest.mark.usefixtures("isolated")

CSV = (
    '"idhod","hodnota","stapro_kod","rok","uzemi_cis","uzemi_kod","uzemi_txt","DRUHZVIRE_kod","DRUHZVIRE_txt"\n'
    '"1","49389","5560","2019","100","3077","Liberecký kraj","1","Skot"\n'
    '"2","1343686","5560","2019","97","19","Česká republika","1","Skot"\n'
    '"3","146094","5560","2019","93","1","Hlavní město Praha + Středočeský kraj","1","Skot"\n'
).encode()

BASE = dict(id="x", title="t", description="d", publisher="p", landing_page="https://example.org",
            licence={"name": "CC BY 4.0", "attribution": "a"}, origin={"kind": "none"}, format="csu_csv")


def ctx(**extra):
    spec = SourceSpec.model_validate({**BASE, **extra})
    return ReadContext(spec=spec, options=spec.read, geography=sources.geography)


def test_excluded_label_is_dropped():
    out = csu_csv.read(CSV, ctx(geo={"exclude": ["Hlavní město Praha + Středočeský kraj"]}))
    assert sorted(out.geo_code) == ["CZ", "CZ051"]
    assert out.set_index("geo_code").loc["CZ051", "value"] == 49389


def test_without_exclude_unknown_code_list_still_fails():
    with pytest.raises(ReadError, match="93"):
        csu_csv.read(CSV, ctx())


def test_exclude_needs_label_column():
    raw = CSV.decode().replace(',"uzemi_txt"', "").replace(',"Liberecký kraj"', "")
    raw = raw.replace(',"Česká republika"', "").replace(',"Hlavní město Praha + Středočeský kraj"', "")
    with pytest.raises(ReadError, match="uzemi_txt"):
        csu_csv.read(raw.encode(), ctx(geo={"exclude": ["Hlavní město Praha + Středočeský kraj"]}))
