"""Where a budgetkg process works: its store directory, embedding model and IRI base, resolved once.

Each value comes from the front-end's option, else its environment variable (``BUDGETKG_STORE``,
``BUDGETKG_MODEL``, ``BUDGETKG_BASE``), else the default.  Front-ends call :func:`resolve` once and pass
the :class:`Settings` on as arguments; nothing below this module reads these variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .namespaces import DEFAULT_BASE

DEFAULT_STORE = "./budgetkg-data"
ENV_STORE, ENV_MODEL, ENV_BASE = "BUDGETKG_STORE", "BUDGETKG_MODEL", "BUDGETKG_BASE"


@dataclass(frozen=True)
class Settings:
    """The store directory, the embedding model (None: the default model) and the IRI base."""

    store_dir: Path
    model: str | None
    base: str


def resolve(store: Path | str | None = None, model: str | None = None, base: str | None = None,
            environ: Mapping[str, str] = os.environ) -> Settings:
    """Option, else environment, else default, for each setting (an empty value counts as unset)."""
    return Settings(store_dir=Path(store or environ.get(ENV_STORE) or DEFAULT_STORE),
                    model=model or environ.get(ENV_MODEL) or None,
                    base=base or environ.get(ENV_BASE) or DEFAULT_BASE)
