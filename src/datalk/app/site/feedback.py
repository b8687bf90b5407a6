"""Feedback from visitors, appended to a JSONL file under the cache directory.

No database and no mail server: the editors read ``feedback/feedback.jsonl``. The form
is public, so input is bounded (length, rate per address, a honeypot field for bots) and
stored as data, never interpreted.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from datalk.settings import get_settings

MAX_MESSAGE = 5000
MAX_FIELD = 200
RATE_WINDOW = 600  # seconds
RATE_LIMIT = 5  # messages per address and window


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str | None = None  # i18n key of the problem


def feedback_path() -> Path:
    """``$DATALK_FEEDBACK_DIR/feedback.jsonl``, default ``<cache>/feedback/feedback.jsonl``."""
    directory = os.environ.get("DATALK_FEEDBACK_DIR")
    return (
        Path(directory) if directory else get_settings().cache_dir / "feedback"
    ) / "feedback.jsonl"


class FeedbackStore:
    """Validates and appends messages; one lock serialises writers in this process."""

    def __init__(self, path: Path | None = None):
        self._path = path
        self._lock = threading.Lock()
        self._recent: dict[str, list[float]] = {}

    @property
    def path(self) -> Path:
        return self._path or feedback_path()

    def submit(self, fields: dict[str, str], address: str, page: str = "") -> Outcome:
        if fields.get("web", "").strip():  # honeypot: hidden from people, filled by bots
            return Outcome(True)
        message = fields.get("message", "").strip()
        if not message:
            return Outcome(False, "fb_empty")
        if len(message) > MAX_MESSAGE:
            return Outcome(False, "fb_too_long")
        if not self._allow(address):
            return Outcome(False, "fb_rate")
        record = {
            "received": datetime.now(UTC).isoformat(timespec="seconds"),
            "message": message,
            "email": fields.get("email", "").strip()[:MAX_FIELD],
            "topic": fields.get("topic", "").strip()[:MAX_FIELD],
            "page": page[:MAX_FIELD],
        }
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return Outcome(True)

    def _allow(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._recent.get(address, []) if now - t < RATE_WINDOW]
            if len(recent) >= RATE_LIMIT:
                self._recent[address] = recent
                return False
            self._recent[address] = [*recent, now]
            return True
