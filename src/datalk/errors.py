"""Errors that name what is wrong, so a user can act on them without a traceback."""

from __future__ import annotations


class DatalkError(Exception):
    """Base class: every expected failure of the portal derives from it."""


class ConfigError(DatalkError):
    """A YAML file (data source or topic) is invalid; names the file and the field."""


class SourceError(DatalkError):
    """A data source could not be fetched or read; the message names the source."""

    def __init__(self, source_id: str, problem: str):
        self.source_id = source_id
        self.problem = problem
        super().__init__(f"zdroj '{source_id}': {problem}")


class FetchError(SourceError):
    """Download (network or mirror) failed."""


class ReadError(SourceError):
    """The bytes arrived but are not what the publisher's format promises."""


class GuardrailError(SourceError):
    """The table parsed but fails the source's guardrails (rows, columns, periods)."""


class TerritoryError(DatalkError):
    """An unknown territory code or an unmatched territory name."""


class ParameterError(DatalkError):
    """A wrong notebook or URL parameter (territory, period, language, mode)."""
