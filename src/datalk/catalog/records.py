"""DCAT-AP-CZ (OFN 2024-05-28) JSON-LD records: one per dataset, and the catalogue.

The shape follows the official examples (``příklady/datová-sada.jsonld``): Czech keys from the
context, IRIs for every code-list value, terms of use on each distribution. A dataset IRI is the
URL of its record file, as the national catalogue (NKOD) expects from a static local catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datalk.catalog import vocab
from datalk.catalog.coverage import Spatial, Temporal
from datalk.catalog.files import WrittenFile

CATALOG_FILE = "katalog.jsonld"
RECORDS_DIR = "datove-sady"


@dataclass
class Site:
    """Where the catalogue lives and who runs it."""

    base_url: str  # ends with '/', e.g. https://data.example.cz/opendata/
    portal_url: str  # the portal's root, for topic pages (no trailing slash)
    contact_email: str

    def url(self, relative: str) -> str:
        return self.base_url + relative.lstrip("/")

    def record_path(self, dataset_id: str) -> str:
        return f"{RECORDS_DIR}/{dataset_id}.jsonld"

    def record_iri(self, dataset_id: str) -> str:
        return self.url(self.record_path(dataset_id))

    def page_path(self, dataset_id: str) -> str:
        return f"{RECORDS_DIR}/{dataset_id}.html"

    def topic_url(self, topic_id: str) -> str:
        return f"{self.portal_url}/tema/{topic_id}"

    @property
    def catalog_iri(self) -> str:
        return self.url(CATALOG_FILE)

    def contact_point(self) -> dict:
        return {"typ": "Organizace", "jméno": dict(vocab.CONTACT_NAME), "e-mail": f"mailto:{self.contact_email}"}


@dataclass
class DatasetRecordInput:
    """Everything a dataset record says, already decided."""

    id: str
    title: str
    description: str
    themes: list[str]  # EU theme codes
    frequency: str  # EU frequency code
    keywords: list[str]
    spatial: Spatial
    temporal: Temporal | None
    documentation: str
    terms: vocab.Terms
    files: list[WrittenFile]
    schema: str | None  # relative path of the CSVW metadata
    title_en: str | None = None
    description_en: str | None = None
    keywords_en: list[str] = field(default_factory=list)


DISTRIBUTION_TITLES = {
    "csv": ("Data ve formátu CSV (UTF-8)", "Data in CSV (UTF-8)"),
    "geojson": ("Prostorová data ve formátu GeoJSON (WGS 84)", "Spatial data in GeoJSON (WGS 84)"),
    "xlsx": ("Data ve formátu XLSX", "Data in XLSX"),
}


def dataset_record(site: Site, data: DatasetRecordInput) -> dict:
    """One dataset record (``datová-sada.json``)."""
    iri = site.record_iri(data.id)
    title = {"cs": data.title} | ({"en": data.title_en} if data.title_en else {})
    description = {"cs": data.description} | ({"en": data.description_en} if data.description_en else {})
    keywords: dict = {"cs": data.keywords}
    if data.keywords_en:
        keywords["en"] = data.keywords_en
    record: dict = {
        "@context": vocab.CONTEXT,
        "iri": iri,
        "typ": "Datová sada",
        "název": title,
        "popis": description,
        "poskytovatel": vocab.PUBLISHER_IRI,
        "téma": [vocab.THEME + code for code in data.themes],
        "periodicita_aktualizace": vocab.FREQUENCY + data.frequency,
        "klíčové_slovo": keywords,
        "geografické_území": data.spatial.areas,
        "prvek_rúian": data.spatial.ruian,
    }
    if data.temporal:
        record["časové_pokrytí"] = data.temporal.as_record()
    record["kontaktní_bod"] = site.contact_point()
    record["dokumentace"] = data.documentation
    if data.temporal and data.temporal.resolution:
        record["časové_rozlišení"] = data.temporal.resolution
    record["distribuce"] = [distribution(site, data, written) for written in data.files]
    return record


def distribution(site: Site, data: DatasetRecordInput, written: WrittenFile) -> dict:
    url = site.url(written.path.as_posix())
    cs, en = DISTRIBUTION_TITLES[written.format.key]
    item = {
        "iri": f"{site.record_iri(data.id)}#distribuce-{written.format.key}",
        "typ": "Distribuce",
        "název": {"cs": cs, "en": en},
        "podmínky_užití": data.terms.as_record(),
        "přístupové_url": url,
        "soubor_ke_stažení": url,
        "formát": written.format.file_type_iri,
        "typ_média": written.format.media_type_iri,
    }
    if written.format.key == "csv" and data.schema:
        item["schéma"] = site.url(data.schema)
    return item


def catalog_record(site: Site, dataset_ids: list[str]) -> dict:
    """The catalogue (``katalog.json``) listing every dataset record."""
    return {
        "@context": vocab.CONTEXT,
        "iri": site.catalog_iri,
        "typ": "Katalog",
        "název": {
            "cs": "Otevřená data Libereckého kraje – datový portál datalk",
            "en": "Open data of the Liberec Region – datalk data portal",
        },
        "popis": {
            "cs": "Lokální katalog otevřených dat Libereckého kraje: data, která portál datalk zobrazuje v "
                  "tematických oblastech, ve strojově čitelné podobě (CSV, GeoJSON, XLSX) s popisem "
                  "struktury. Převzatá data uvádějí původního poskytovatele a jeho podmínky užití.",
            "en": "Local open data catalogue of the Liberec Region: the data shown by the datalk portal's "
                  "thematic pages in machine-readable form (CSV, GeoJSON, XLSX) with schema descriptions. "
                  "Republished data credit the original publisher and keep its terms of use.",
        },
        "poskytovatel": vocab.PUBLISHER_IRI,
        "kontaktní_bod": site.contact_point(),
        "domovská_stránka": site.base_url,
        "datová_sada": [site.record_iri(dataset_id) for dataset_id in dataset_ids],
    }
