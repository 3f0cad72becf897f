"""Errors and warnings that name the file and the place."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be ingested; ``str()`` is one line naming the file and the reason."""

    def __init__(self, path: Path | str, reason: str, where: str | None = None):
        self.path = Path(path)
        self.reason = reason
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        loc = f" ({self.where})" if self.where else ""
        return f"{self.path.name}{loc}: {self.reason}"
