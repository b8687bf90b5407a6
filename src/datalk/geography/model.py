"""The :class:`Geography`: lookups, translations between code lists, name matching, search."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from datalk.errors import TerritoryError
from datalk.text import fold

LEVELS: tuple[str, ...] = ("stat", "kraj", "okres", "orp", "obec")
LEVEL_LABELS_CS = {"stat": "stát", "kraj": "kraj", "okres": "okres", "orp": "ORP", "obec": "obec"}

#: Code lists a publisher may use, mapped to (level, column of the territory table).
CODE_LISTS: dict[str, tuple[str, str]] = {
    "nuts3": ("kraj", "code"),
    "csu_kraj": ("kraj", "csu_code"),  # ČSÚ číselník 100 (VÚSC), e.g. 3077
    "ruian_vusc": ("kraj", "ruian_code"),  # RÚIAN VÚSC, e.g. 78
    "lau1": ("okres", "code"),
    "csu_okres": ("okres", "csu_code"),  # ČSÚ číselník 101, e.g. 40541
    "ruian_okres": ("okres", "ruian_code"),  # RÚIAN okres, e.g. 3505
    "csu_orp": ("orp", "code"),  # ČSÚ číselník 65, e.g. 5105
    "ruian_orp": ("orp", "ruian_code"),  # RÚIAN ORP, e.g. 711
    "obec": ("obec", "code"),
    "stat": ("stat", "code"),
}

#: ČSÚ code-list numbers ("uzemi_cis" / "vuzemi_cis" in open-data CSVs) → our code lists.
CSU_CIS: dict[str, str] = {"97": "stat", "100": "csu_kraj", "101": "csu_okres", "65": "csu_orp", "43": "obec"}

#: Extra names publishers use for a territory (ČSÚ lists Prague's okres under the kraj name).
NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "CZ0100": ("Hlavní město Praha",),
    "1000": ("Hlavní město Praha", "Praha (Hlavní město Praha)"),
}

STAT_NAMES = ("Česko", "Česká republika", "ČR", "Czechia", "Czech Republic")

TERRITORY_COLUMNS = [
    "code", "level", "name", "kraj", "okres", "orp", "csu_code", "ruian_code",
    "pou_code", "pou_name", "lon", "lat",
]


@dataclass(frozen=True)
class Territory:
    """One territory with its parents (canonical codes; empty where not applicable)."""

    code: str
    level: str
    name: str
    kraj: str
    okres: str
    orp: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS_CS[self.level]

    @property
    def label(self) -> str:
        """Name with its level where the name alone is ambiguous ('Liberec (ORP)')."""
        if self.level in ("okres", "orp"):
            return f"{self.name} ({LEVEL_LABELS_CS[self.level]})"
        return self.name


class Geography:
    """All Czech territories from ČR down to obce, with code-list translations."""

    def __init__(self, territories: pd.DataFrame):
        missing = set(TERRITORY_COLUMNS) - set(territories.columns)
        if missing:
            raise ValueError(f"territory table lacks columns {sorted(missing)}")
        table = territories[TERRITORY_COLUMNS].copy()
        for column in TERRITORY_COLUMNS[:10]:
            # plain Python strings: lookups iterate these columns a lot (Arrow strings are slow to iterate)
            table[column] = pd.Series(table[column].fillna("").astype(str).tolist(), index=table.index, dtype=object)
        self.table = table.set_index("code", drop=False)
        if not self.table.index.is_unique:
            dupes = self.table.index[self.table.index.duplicated()].unique().tolist()
            raise ValueError(f"duplicate territory codes: {dupes[:10]}")
        self._codes: dict[tuple[str, str | None], tuple[str, ...]] = {}  # codes(): asked dozens of times per page
        self._obce_counts: dict[str, pd.Series] = {}

    # --- lookups ---------------------------------------------------------------
    def __contains__(self, code: object) -> bool:
        return str(code) in self.table.index

    def get(self, code: str) -> Territory:
        """The territory with this canonical code; an unknown code names close matches."""
        code = str(code).strip()
        if code not in self.table.index:
            code = self._aliases.get(code.upper(), code)
        if code not in self.table.index:
            raise TerritoryError(f"neznámý kód území '{code}'")
        row = self.table.loc[code]
        return Territory(row.code, row.level, row["name"], row.kraj, row.okres, row.orp)

    def name(self, code: str) -> str:
        return self.get(code).name

    def level_of(self, code: str) -> str:
        return self.get(code).level

    def of_level(self, level: str, within: str | None = None) -> pd.DataFrame:
        """Territories of one level, optionally inside another territory, sorted by Czech name."""
        rows = self.table[self.table.level == level]
        if within:
            parent = self.get(within)
            if parent.level != "stat":
                rows = rows[rows[parent.level] == parent.code]
        return rows.sort_values("name", key=lambda s: s.map(fold))

    def codes(self, level: str, within: str | None = None) -> list[str]:
        key = (level, within)
        if key not in self._codes:
            self._codes[key] = tuple(self.of_level(level, within).code)
        return list(self._codes[key])

    def obce_counts(self, level: str) -> pd.Series:
        """Number of obce in each territory of ``level`` (``CZ`` for stat), by code.

        Sums of obce are totals only when every obec is in; every additive indicator asks.
        """
        if level not in self._obce_counts:
            obce = self.table[self.table.level == "obec"]
            self._obce_counts[level] = (pd.Series({"CZ": len(obce)}) if level == "stat"
                                        else obce.groupby(level).size())
        return self._obce_counts[level]

    def parent(self, code: str, level: str) -> str:
        """Canonical code of the enclosing territory at ``level`` (``CZ`` for stat)."""
        territory = self.get(code)
        if level == "stat":
            return "CZ"
        if level == territory.level:
            return territory.code
        parent = getattr(territory, level, "")
        if not parent:
            raise TerritoryError(f"území {code} ({territory.level}) nemá nadřazenou úroveň {level}")
        return parent

    def lineage(self, code: str) -> list[str]:
        """The territory and all its parents, from itself up to ČR."""
        territory = self.get(code)
        chain = [territory.code]
        for level in ("orp", "okres", "kraj"):
            parent = getattr(territory, level)
            if parent and parent != territory.code:
                chain.append(parent)
        if territory.code != "CZ":
            chain.append("CZ")
        return chain

    # --- code lists ------------------------------------------------------------
    def translate(self, values: Iterable[object], code_list: str) -> pd.Series:
        """Map codes of a publisher's code list to canonical codes; unknown codes stay NA."""
        level, column = CODE_LISTS[code_list]
        rows = self.table[self.table.level == level]
        mapping = dict(zip(rows[column], rows.code, strict=False))
        series = pd.Series(list(values), dtype="object").map(_plain_code)
        return series.map(mapping)

    # --- names -----------------------------------------------------------------
    @cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        """Folded names → codes per level: built when first needed (reading a publisher's labels),
        not by every topic page, which only looks territories up by code."""
        return self._name_index()

    @cached_property
    def _aliases(self) -> dict[str, str]:
        return self._alias_index()

    def _name_index(self) -> dict[str, dict[str, str]]:
        index: dict[str, dict[str, str]] = {level: {} for level in LEVELS}
        for row in self.table.itertuples(index=False):
            if row.level == "obec":
                continue  # obec names repeat across Czechia; match obce by code or (name, POU)
            keys = {fold(row.name), *(fold(a) for a in NAME_ALIASES.get(row.code, ()))}
            if row.level == "orp":
                kraj_name = self.table.loc[row.kraj, "name"] if row.kraj in self.table.index else ""
                keys.add(fold(f"{row.name} ({kraj_name})"))
            for key in keys:
                index[row.level].setdefault(key, row.code)
        for alias in STAT_NAMES:
            index["stat"][fold(alias)] = "CZ"
        return index

    def _alias_index(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for row in self.table.itertuples(index=False):
            if row.level in ("kraj", "okres") and row.csu_code:
                aliases.setdefault(row.csu_code, row.code)
        aliases["CZ0"] = "CZ"
        return aliases

    def match_names(self, names: Iterable[object], levels: Sequence[str]) -> pd.DataFrame:
        """Match publisher territory labels to codes, trying ``levels`` in order.

        Returns a frame with columns ``name, geo_code, geo_level``. Raises
        :class:`TerritoryError` naming every label that matched nothing: a label
        table must never silently lose a territory.
        """
        unique = pd.unique(pd.Series(list(names), dtype="object"))
        rows, unmatched = [], []
        for label in unique:
            key = fold(label)
            for level in levels:
                code = self._names[level].get(key)
                if code:
                    rows.append((label, code, level))
                    break
            else:
                unmatched.append(str(label))
        if unmatched:
            shown = ", ".join(repr(u) for u in unmatched[:8])
            more = f" a dalších {len(unmatched) - 8}" if len(unmatched) > 8 else ""
            raise TerritoryError(
                f"nespárovaná území (úrovně {', '.join(levels)}): {shown}{more}"
            )
        return pd.DataFrame(rows, columns=["name", "geo_code", "geo_level"])

    def candidates(self, label: object, levels: Sequence[str]) -> list[tuple[str, str]]:
        """Every (code, level) a label may mean, in the order of ``levels``.

        'Hlavní město Praha' is both a kraj and (in some ČSÚ tables) an okres.
        """
        key = fold(label)
        return [(self._names[lv][key], lv) for lv in levels if key in self._names[lv]]

    def match_obec_by_pou(self, obec_names: Iterable[object], pou_names: Iterable[object]) -> pd.Series:
        """Obec codes for (obec name, POU name) pairs, the only key some registers carry.

        A pair that names two obce (two POUs called Jesenice) maps to nothing rather than
        to a guess; the caller resolves it with more context or reports it.
        """
        obce = self.table[self.table.level == "obec"]
        mapping: dict[tuple[str, str], str | None] = {}
        for n, p, c in zip(obce["name"], obce.pou_name, obce.code, strict=False):
            key = (fold(n), fold(p))
            mapping[key] = None if key in mapping else c
        keys = [(fold(n), fold(p)) for n, p in zip(obec_names, pou_names, strict=False)]
        return pd.Series([mapping.get(k) for k in keys], dtype="object")

    # --- search ----------------------------------------------------------------
    def search(self, query: str, levels: Sequence[str] = LEVELS, within: str | None = None,
               limit: int = 20) -> list[Territory]:
        """Territories whose name contains the query, ignoring case and diacritics.

        Names that start with the query come first, then shorter names, so typing
        'lib' offers Liberec before Liberk.
        """
        needle = fold(query)
        rows = self.table[self.table.level.isin(levels)]
        if within:
            parent = self.get(within)
            if parent.level != "stat":
                inside = (rows[parent.level] == parent.code) | (rows.code == parent.code)
                rows = rows[inside]
        folded = rows["name"].map(fold)
        hits = rows[folded.str.contains(needle, regex=False)] if needle else rows
        order = sorted(
            hits.itertuples(index=False),
            key=lambda r: (not fold(r.name).startswith(needle), LEVELS.index(r.level), len(r.name), fold(r.name)),
        )
        return [Territory(r.code, r.level, r.name, r.kraj, r.okres, r.orp) for r in order[:limit]]


def _plain_code(value: object) -> str | None:
    """'3077', 3077, 3077.0 and ' 3077 ' are the same code; NaN is no code."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None
