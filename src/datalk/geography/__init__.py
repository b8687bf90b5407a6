"""Territories and their hierarchy: obec → ORP → okres → kraj → ČR.

Pure logic over a territory table; the table itself is built from official code
lists by :mod:`datalk.sources.territories` (this module never fetches anything).

Canonical codes (the ``geo_code`` of every tidy table):

=========  =================================  ===========
level      canonical code                     example
=========  =================================  ===========
stat       ``CZ``                             CZ
kraj       NUTS 3                             CZ051
okres      LAU 1 (NUTS 4)                     CZ0513
orp        ČSÚ code list 65 (CISORP)          5105
obec       ČSÚ/RÚIAN obec code (LAU 2)        563889
=========  =================================  ===========
"""

from datalk.geography.model import LEVELS, Geography, Territory

__all__ = ["LEVELS", "Geography", "Territory"]
