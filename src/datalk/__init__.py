"""datalk — open regional information and data portal of the Liberec Region.

The package is layered (see ``docs/architecture.md``): ``sources`` turns official
publisher files into one tidy long table, ``analysis`` derives indicators,
``topics`` describes the 20 thematic areas, ``charts`` renders them, and
``app``/``reports``/``catalog`` publish them as a Voilà site, Papermill reports
and a DCAT-AP-CZ open-data catalogue.
"""

__version__ = "0.1.0"
