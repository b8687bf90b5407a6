"""Open-data catalogue: downloadable distributions and DCAT-AP-CZ records for the national catalogue."""
