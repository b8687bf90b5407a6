from datalk.text import NBSP, fold, format_change, format_number


def test_czech_number_formatting_uses_spaces_and_decimal_comma():
    assert format_number(1234.5, 1) == f"1{NBSP}234,5"
    assert format_number(449494) == f"449{NBSP}494"
    assert format_number(-3.25, 2, "%") == f"−3,25{NBSP}%"
    assert format_number(float("nan")) == "–"


def test_change_has_explicit_sign():
    assert format_change(1.25, 1, "%") == f"+1,2{NBSP}%" or format_change(1.25, 1, "%") == f"+1,3{NBSP}%"
    assert format_change(-0.4, 1).startswith("−")


def test_fold_ignores_case_diacritics_and_spacing():
    assert fold("  Česká   Lípa ") == "ceska lipa"
    assert fold("ŽELEZNÝ BROD") == "zelezny brod"
