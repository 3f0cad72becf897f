"""The errors kg raises to its callers, each with a stable ``code`` that front-ends translate.

``str(error)`` is one line in English for logs and the CLI; a front-end that speaks another
language looks the ``code`` up (never the message text).  Codes are short snake_case words and
never change meaning once published.
"""

from __future__ import annotations


class BudgetKGError(Exception):
    """Base of every error a front-end may see; ``code`` names what went wrong, ``details`` the values a
    translation may name (a malformed query's ``line`` and ``column``)."""

    code = "error"

    def __init__(self, message: str, code: str | None = None, **details: int | str):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.details = details


class QueryError(BudgetKGError, ValueError):
    """A query that is refused, malformed or too slow.

    Codes: ``query_update`` (UPDATE/LOAD… on a read-only store), ``query_service`` (SERVICE),
    ``query_syntax`` (malformed; ``details`` give the ``line`` and ``column`` where parsing stopped, in the
    query as the user wrote it), ``query_timeout`` (stopped after its time), ``query_failed``
    (the engine failed), ``query_input`` (an argument that cannot enter a query, e.g. an empty 文号
    or a malformed IRI)."""

    code = "query_failed"


class StoreError(BudgetKGError):
    """The store cannot be opened or written.  Codes: ``store_open`` (locked or unreadable),
    ``store_write``, ``document_not_found``."""

    code = "store_open"


class DocumentNotFound(StoreError, KeyError):
    """No document of that id in the store."""

    code = "document_not_found"

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class EntityNotFound(BudgetKGError, ValueError):
    """Nothing in the store is about the IRI asked for."""

    code = "entity_not_found"


class ModelError(BudgetKGError, RuntimeError):
    """The embedding model cannot be found, converted or loaded (``model``), or does not match the
    vectors of an index (``model_mismatch``)."""

    code = "model"


class PageImageError(BudgetKGError):
    """A page of a stored PDF cannot be drawn (``page_image``)."""

    code = "page_image"


ERROR_CODES = (
    "error", "query_update", "query_service", "query_syntax", "query_timeout", "query_failed", "query_input",
    "store_open", "store_write", "document_not_found", "entity_not_found", "model", "model_mismatch", "page_image",
)
