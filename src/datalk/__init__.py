"""datalk — open regional information and data portal of the Liberec Region.

The package is layered (see ``docs/architecture.md``): ``sources`` turns official
publisher files into one tidy long table, ``analysis`` derives indicators,
``topics`` describes the 20 thematic areas, ``charts`` renders them, and
``app``/``reports``/``catalog`` publish them as a Voilà site, Papermill reports
and a DCAT-AP-CZ open-data catalogue.
"""

import os

# Arrow's default memory pool (jemalloc) keeps the pages of freed Parquet read buffers: a live
# kernel held ~70 MB more than its tables (bench/memory.py). The system allocator returns them.
# Read by pyarrow when it first allocates, so it is set before anything reads a table.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

__version__ = "0.1.0"
