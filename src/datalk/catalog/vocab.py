"""Fixed vocabulary of the catalogue: the region's identity, EU code lists, terms of use.

Everything here is an IRI from an official code list (EU Publications Office authority tables,
IANA media types, RÚIAN, the Czech public-authority register, data.gov.cz terms of use) or a
Czech label shown on the open-data page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from datalk.sources.spec import Licence
from datalk.text import fold

#: OFN "DCAT-AP-CZ: Rozhraní katalogů otevřených dat", version 2024-05-28.
CONTEXT = ("https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/"
           "kontexty/rozhraní-katalogů-otevřených-dat.jsonld")
SCHEMA_BASE = "https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/schémata/"

#: The republisher: Liberecký kraj in the register of public authorities (IČO 70891508).
PUBLISHER_ICO = "70891508"
PUBLISHER_IRI = f"https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/{PUBLISHER_ICO}"
PUBLISHER_NAME = {"cs": "Liberecký kraj", "en": "Liberec Region"}
#: The region's official electronic filing address, used as open-data contact until the region
#: names a dedicated one (override with ``--contact-email`` / DATALK_OPENDATA_EMAIL).
DEFAULT_CONTACT_EMAIL = "podatelna@kraj-lbc.cz"
CONTACT_NAME = {"cs": "Liberecký kraj – otevřená data", "en": "Liberec Region – open data"}

RUIAN = "https://linked.cuzk.cz/resource/ruian/"
RUIAN_STAT = RUIAN + "stat/1"
RUIAN_VUSC_LIBERECKY = 78  # fallback when the geography table lacks the RÚIAN code
NUTS = "http://data.europa.eu/nuts/code/"
COUNTRY_CZE = "http://publications.europa.eu/resource/authority/country/CZE"

THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPE = "http://www.iana.org/assignments/media-types/"

THEME_LABELS_CS = {
    "AGRI": "Zemědělství, rybolov, lesnictví a potraviny",
    "ECON": "Hospodářství a finance",
    "EDUC": "Vzdělávání, kultura a sport",
    "ENER": "Energie",
    "ENVI": "Životní prostředí",
    "GOVE": "Vláda a veřejný sektor",
    "HEAL": "Zdraví",
    "INTR": "Mezinárodní otázky",
    "JUST": "Spravedlnost, právní systém a veřejná bezpečnost",
    "OP_DATPRO": "Prozatímní údaje",
    "REGI": "Regiony a města",
    "SOCI": "Populace a společnost",
    "TECH": "Věda a technika",
    "TRAN": "Doprava",
}

FREQUENCY_LABELS_CS = {
    "ANNUAL": "každoročně", "ANNUAL_2": "pololetně", "ANNUAL_3": "třikrát ročně",
    "BIENNIAL": "jednou za dva roky", "TRIENNIAL": "jednou za tři roky",
    "QUINQUENNIAL": "jednou za pět let", "DECENNIAL": "jednou za deset let",
    "MONTHLY": "měsíčně", "QUARTERLY": "čtvrtletně", "WEEKLY": "týdně", "DAILY": "denně",
    "IRREG": "nepravidelně", "NEVER": "neaktualizuje se (uzavřená data)", "UNKNOWN": "neznámá",
    "OTHER": "jiná",
}

#: EU data themes guessed from a source's keywords and title when no topic uses it
#: (regular expressions over diacritics-free lower-case text).
KEYWORD_THEMES: tuple[tuple[str, str], ...] = (
    (r"zdrav|nemocn|pohotov|umrtn|nadeje doziti|lekar|novotvar|ambulan|lekarn", "HEAL"),
    (r"skol|vzdela|kultur|sport|pamat|muze|galeri", "EDUC"),
    (r"vyzkum|\bved[ay]\b|inovac", "TECH"),
    (r"doprav|vozid|dojizd|vyjizd|silnic", "TRAN"),
    (r"zemedel|plodin|zvirat|\bles|mysliv|\bzver|sklizen|\blov\b", "AGRI"),
    (r"zivotni prostredi|prirod|chranen|odpad|ovzdusi|\bvod|kanaliz", "ENVI"),
    (r"energ|vytapen", "ENER"),
    (r"krimin|trestn|policie|bezpecnost|hasic|pozar", "JUST"),
    (r"volb|volebn|rozpoc|verejne finance|\bdan|zastupitel|\brud\b|fond", "GOVE"),
    (r"mzd|nezamestnan|zamestnan|trh prace|podnik|firm|\bhdp\b|ekonomi|\bcen[ay]|investic|cestovni ruch|ubytov",
     "ECON"),
    (r"obyvatel|demograf|socialn|duchod|senior|bydlen|\bbyt|migrac|stehovan|rodin|davk", "SOCI"),
    (r"hranice|uzemi|\bobc|katastr|mapa|sidel|staveb|vystavb|pozemk", "REGI"),
)


def themes_from_keywords(*texts: str) -> list[str]:
    """EU theme codes whose patterns match any of the texts, in the order of KEYWORD_THEMES."""
    plain = " | ".join(fold(t) for t in texts if t)
    return [code for pattern, code in KEYWORD_THEMES if re.search(pattern, plain)]


@dataclass(frozen=True)
class FileFormat:
    """One distribution format: extension, EU file type, IANA media type, Czech label."""

    key: str
    extension: str
    file_type: str
    media_type: str
    label: str

    @property
    def file_type_iri(self) -> str:
        return FILE_TYPE + self.file_type

    @property
    def media_type_iri(self) -> str:
        return MEDIA_TYPE + self.media_type


CSV = FileFormat("csv", "csv", "CSV", "text/csv", "CSV")
GEOJSON = FileFormat("geojson", "geojson", "GEOJSON", "application/geo+json", "GeoJSON")
XLSX = FileFormat("xlsx", "xlsx", "XLSX",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX (Excel)")

# --- terms of use (podmínky užití, https://data.gov.cz/podmínky-užití/) -------------------------
PU = "https://data.gov.cz/podmínky-užití/"
NO_COPYRIGHT_WORK = PU + "neobsahuje-autorská-díla/"
NOT_COPYRIGHT_DATABASE = PU + "není-autorskoprávně-chráněnou-databází/"
NO_SUI_GENERIS = PU + "není-chráněna-zvláštním-právem-pořizovatele-databáze/"
NO_PERSONAL_DATA = PU + "neobsahuje-osobní-údaje/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


@dataclass(frozen=True)
class Terms:
    """The four terms-of-use fields of a distribution, and how they were decided.

    ``url`` is where a reader learns what the terms mean (the licence text, or the national
    catalogue's explanation of the terms); the original licence is shown separately.
    """

    copyright_work: str
    database_work: str
    sui_generis: str
    personal_data: str
    author: str | None  # the original publisher, credited where the licence asks for attribution
    label: str  # short Czech label for the open-data page
    url: str  # where a reader learns more (licence text or the original terms)
    basis: str  # one Czech sentence: why these terms

    def as_record(self) -> dict:
        record = {
            "typ": "Specifikace podmínek užití",
            "autorské_dílo": self.copyright_work,
            "databáze_jako_autorské_dílo": self.database_work,
            "databáze_chráněná_zvláštními_právy": self.sui_generis,
            "osobní_údaje": self.personal_data,
        }
        if self.author:
            record["autor"] = {"cs": self.author}
            record["autor_databáze"] = {"cs": self.author}
        return record


def terms_for(licence: Licence, publisher: str) -> Terms:
    """Terms of use of a republished distribution, derived from the source's declared licence.

    * CC BY 4.0 stays CC BY 4.0 for the work and both database rights, with the original
      publisher as author (attribution travels with the data);
    * CC0 stays CC0;
    * anything else that the source YAML marks republishable (publishers' own open-data terms,
      ČSÚ/MF/MD terms for statistical tables) is declared as data without copyright works and
      without database protection — the way the national open-data catalogue records such
      tables — and the description names the original terms so readers can check them.
    """
    url = (licence.url or "").strip()
    text = fold(f"{licence.name} {url}")
    if "creativecommons.org/licenses/by/4.0" in url or re.search(r"\bcc by 4\.0\b", text):
        return Terms(CC_BY_4, CC_BY_4, CC_BY_4, NO_PERSONAL_DATA, publisher, "CC BY 4.0", CC_BY_4,
                     "Původní poskytovatel data zveřejňuje pod licencí CC BY 4.0; licence i uvedení "
                     "autora zůstávají zachovány.")
    if "publicdomain/zero/1.0" in url or re.search(r"\bcc0\b", text):
        return Terms(CC0, CC0, CC0, NO_PERSONAL_DATA, None, "CC0 1.0", CC0,
                     "Původní poskytovatel data uvolnil jako volné dílo (CC0).")
    return Terms(NO_COPYRIGHT_WORK, NOT_COPYRIGHT_DATABASE, NO_SUI_GENERIS, NO_PERSONAL_DATA, None,
                 "bez autorských děl a ochrany databáze", NO_COPYRIGHT_WORK,
                 f"Statistická a evidenční data orgánu veřejné moci bez autorských děl; původní podmínky: "
                 f"{licence.name}.")
