"""What the app says in Chinese beyond kg's errors (those are translated by code: :func:`kg.types.error_message`)."""

from __future__ import annotations

INGEST_INTERNAL = "处理文件时出错，文件未写入知识库"  # an ingest failure that is no IngestError (its detail is English)
