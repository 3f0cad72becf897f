"""The entity page as data: what one IRI is, what the store says about it, and where each fact was read.

:func:`entity_view` gathers an IRI's label, type, facts, outgoing and incoming links (grouped by
property, with Chinese labels from :mod:`kg.labels`), the source locations behind them and the
edges of its neighbourhood.  Plain dataclasses, no front-end code: the Streamlit page only renders.

Modules: ``views`` (the dataclasses), ``reads`` (the SPARQL reads), ``kinds`` and ``display`` (what a
node is and how it reads), ``placement`` (where each property goes), ``builder`` (the steps of
:func:`entity_view`), ``graph`` (the DOT picture), ``lookup`` (finding entities by name).
"""

from .builder import entity_view
from .graph import Edge, neighbourhood_dot
from .lookup import Match, landmarks, lookup
from .reads import DocContext, documents
from .views import EntityView, Fact, Item, LinkGroup, Source, Value

__all__ = ["DocContext", "Edge", "EntityView", "Fact", "Item", "LinkGroup", "Match", "Source", "Value",
           "documents", "entity_view", "landmarks", "lookup", "neighbourhood_dot"]
