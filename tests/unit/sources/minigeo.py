"""A tiny hand-made Geography for reader unit tests (no mirror, no cache).

Liberecký kraj with two okresy, two ORP and a few obce, plus the two obce named Jesenice
whose POU is also called Jesenice (okres Praha-západ and okres Rakovník), Praha and two
Středočeský okresy with hexadecimal LAU1 digits.
"""

from __future__ import annotations

import pandas as pd

from datalk.geography import Geography

ROWS = [
    # code, level, name, kraj, okres, orp, csu_code, pou_code, pou_name
    ("CZ", "stat", "Česko", "", "", "", "CZ", "", ""),
    ("CZ010", "kraj", "Hlavní město Praha", "CZ010", "", "", "3018", "", ""),
    ("CZ020", "kraj", "Středočeský kraj", "CZ020", "", "", "3026", "", ""),
    ("CZ051", "kraj", "Liberecký kraj", "CZ051", "", "", "3077", "", ""),
    ("CZ0100", "okres", "Hlavní město Praha", "CZ010", "CZ0100", "", "40924", "", ""),
    ("CZ020A", "okres", "Praha-západ", "CZ020", "CZ020A", "", "40258", "", ""),
    ("CZ020C", "okres", "Rakovník", "CZ020", "CZ020C", "", "40274", "", ""),
    ("CZ0511", "okres", "Česká Lípa", "CZ051", "CZ0511", "", "40525", "", ""),
    ("CZ0513", "okres", "Liberec", "CZ051", "CZ0513", "", "40541", "", ""),
    ("1000", "orp", "Praha", "CZ010", "CZ0100", "1000", "1000", "", ""),
    ("2105", "orp", "Černošice", "CZ020", "CZ020A", "2105", "2105", "", ""),
    ("2121", "orp", "Rakovník", "CZ020", "CZ020C", "2121", "2121", "", ""),
    ("5101", "orp", "Česká Lípa", "CZ051", "CZ0511", "5101", "5101", "", ""),
    ("5105", "orp", "Liberec", "CZ051", "CZ0513", "5105", "5105", "", ""),
    ("554782", "obec", "Praha", "CZ010", "CZ0100", "1000", "554782", "10000", "Praha"),
    ("539325", "obec", "Jesenice", "CZ020", "CZ020A", "2105", "539325", "21053", "Jesenice"),
    ("541834", "obec", "Jesenice", "CZ020", "CZ020C", "2121", "541834", "21211", "Jesenice"),
    ("561380", "obec", "Česká Lípa", "CZ051", "CZ0511", "5101", "561380", "51011", "Česká Lípa"),
    ("561860", "obec", "Nový Bor", "CZ051", "CZ0511", "5101", "561860", "51012", "Nový Bor"),
    ("563889", "obec", "Liberec", "CZ051", "CZ0513", "5105", "563889", "51051", "Liberec"),
    ("564028", "obec", "Frýdlant", "CZ051", "CZ0513", "5105", "564028", "51052", "Frýdlant"),
]


def geography() -> Geography:
    table = pd.DataFrame(ROWS, columns=["code", "level", "name", "kraj", "okres", "orp", "csu_code",
                                        "pou_code", "pou_name"])
    table["ruian_code"] = ""
    table["lon"] = float("nan")
    table["lat"] = float("nan")
    return Geography(table)
