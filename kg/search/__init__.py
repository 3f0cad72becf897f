"""Hybrid search (DESIGN §7): structured filters first (SPARQL), then dense + lexical ranks fused.

Modules: ``passages`` (what is indexed, read from each document's graph), ``dense`` (FAISS vectors and
their SQLite sidecar), ``lexical`` (jieba + BM25), ``index`` (:class:`SearchIndex`, both indexes kept in
step with the store), ``table`` (:class:`PassageTable`: every passage as numpy columns, for filter
masks), ``hits`` (what a search returns), ``fusion`` (:func:`search` and reciprocal rank fusion),
``evaluation`` (recall@5, MRR, nDCG@10 over judged queries).
"""

from .evaluation import SearchEval, evaluate, read_queries
from .fusion import MODES, RRF_K, first_per_subject, rrf, search
from .hits import DocumentRef, Hit, Subject, SubjectFacts
from .index import SearchIndex, allowed_passages, allowed_rows
from .passages import dictionary_names, document_passages
from .table import PassageTable

__all__ = ["MODES", "RRF_K", "DocumentRef", "Hit", "PassageTable", "SearchEval", "SearchIndex", "Subject", "SubjectFacts",
           "allowed_passages", "allowed_rows", "dictionary_names", "document_passages", "evaluate",
           "first_per_subject", "read_queries", "rrf", "search"]
