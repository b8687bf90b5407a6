"""``python -m datalk.cli`` runs the CLI (used by tests and cron entries)."""

from datalk.cli import run

run()
