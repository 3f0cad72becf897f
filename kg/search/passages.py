"""Search passages read from a document's graph (DESIGN §7), and the budget terms for the lexical dictionary.

Passages come from the graph, one document at a time (:func:`document_passages`):
- every narrative ``bgt:Chunk`` except indicator rows, as it is (its IRI, its subject);
- a project's or a department's indicator rows, de-duplicated and packed into passages of about
  ``PACK_CHARS`` characters (the IRI of the first row names the passage);
- a project's activity rows (项目测算: what, economic class, amount, basis), packed the same way;
- one card per project: its name, other names, unit, functional class and amount, named
  ``{document graph}/project/{key}`` (:func:`card_iri`): a project's IRI is the same in its 预算 and its 决算 of
  one year, and in its department's 部门预算 and its unit's 单位预算, but each document's card is its own passage.

A passage's IRI identifies it in both indexes, so it is unique across the store; :data:`PASSAGES_FORMAT`
stamps how passages are named and made, and an index of another stamp is read again from the graphs.
The subject's name is put before the text that is embedded and tokenised, so a passage is found
by its subject as well (``伤残军人医疗经费：报销准确率…``); hits show the text without it.
"""

from __future__ import annotations

import re

from ingest.normalise import shorten

from .. import sparql_terms as terms
from .dense import PassageRow

PACK_CHARS = 300
PASSAGES_FORMAT = "2"  # 2: project cards named per document (1: by the project's IRI, shared between documents)
LABEL_CHARS = 100  # a subject name put before its passages is cut past this (a sentence read as a name)
SUBJECT_TYPES = {"Project": "project", "Department": "department", "BudgetUnit": "unit", "Office": "office",
                 "Budget": "budget"}


def _num(iri: str) -> tuple:
    """Sort key: the IRI with its trailing numbers as numbers (chunk/2 before chunk/10)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", iri))


def _pack(items: list[tuple[str, str, dict]], limit: int = PACK_CHARS) -> list[tuple[str, str, dict]]:
    """Join consecutive ``(iri, text, where)`` items into passages of at most ``limit`` characters."""
    out, cur = [], None
    for iri, text, where in items:
        if cur is not None and len(cur[1]) + 1 + len(text) <= limit:
            cur = (cur[0], cur[1] + "；" + text, cur[2])
        else:
            if cur is not None:
                out.append(cur)
            cur = (iri, text, where)
    if cur is not None:
        out.append(cur)
    return out


def _where(row: dict) -> dict:
    return {"page": row.get("page"), "line": row.get("line")}


def document_passages(store, doc_id: str) -> list[PassageRow]:
    """The search passages of one stored document, read from its named graph."""
    g = terms.iri(store.doc_graph(doc_id))
    doc = store.select(f"""SELECT ?file ?dept WHERE {{ GRAPH {g} {{ OPTIONAL {{ {g} bgt:sourceFile ?file }}
        OPTIONAL {{ ?b bgt:disclosedIn {g} ; bgt:department ?dept }} }} }} LIMIT 1""")
    source = doc[0]["file"] if doc else None
    dept = doc[0]["dept"] if doc else None
    subjects = {r["s"]: (SUBJECT_TYPES.get(r["t"].rsplit("#", 1)[-1], "entity"), r["label"]) for r in store.select(
        f"""SELECT ?s (SAMPLE(?type) AS ?t) (MIN(?l) AS ?label) WHERE {{ GRAPH {g} {{
              VALUES ?type {{ bgt:Project bgt:Department bgt:BudgetUnit bgt:Office }}
              ?s a ?type ; rdfs:label ?l }} }} GROUP BY ?s""")}

    def row(iri: str, subject: str | None, text: str, kind: str, where: dict) -> PassageRow | None:
        subject = subject if subject in subjects else dept
        stype, label = subjects.get(subject, ("department", None))
        text = text.strip()
        if not text:
            return None
        head = label and shorten(label, LABEL_CHARS)
        embedded = text if kind == "project" or not head else f"{head}：{text}"
        meta = {"subject": subject, "type": stype, "label": label, "kind": kind, "display": text,
                "source": source, **where}
        return PassageRow(iri, doc_id, embedded, meta)

    loc = """OPTIONAL { ?x prov:qualifiedDerivation ?loc . OPTIONAL { ?loc bgt:page ?page }
             OPTIONAL { ?loc bgt:line ?line } }"""
    out: list[PassageRow | None] = []
    for r in sorted(store.select(f"""SELECT ?x ?text ?kind ?subject (MIN(?page) AS ?page) (MIN(?line) AS ?line)
            WHERE {{ GRAPH {g} {{ ?x a bgt:Chunk ; bgt:text ?text . OPTIONAL {{ ?x bgt:chunkKind ?kind }}
            OPTIONAL {{ ?x bgt:subject ?subject }} {loc} FILTER(!BOUND(?kind) || ?kind != "indicator") }} }}
            GROUP BY ?x ?text ?kind ?subject"""), key=lambda r: _num(r["x"])):
        out.append(row(r["x"], r["subject"], r["text"], r["kind"] or "chunk", _where(r)))

    grouped: dict[tuple[str, str], list] = {}
    for r in sorted(store.select(f"""SELECT ?owner ?x ?l1 ?l2 ?l3 ?v ?amount ?econ ?desc ?basis ?name ?kind
            (MIN(?page) AS ?page) (MIN(?line) AS ?line) WHERE {{ GRAPH {g} {{
            {{ ?owner bgt:indicator ?x . BIND("indicator" AS ?kind)
               OPTIONAL {{ ?x bgt:level1 ?l1 }} OPTIONAL {{ ?x bgt:level2 ?l2 }} OPTIONAL {{ ?x bgt:level3 ?l3 }}
               OPTIONAL {{ ?x bgt:valueRaw ?v }} }}
            UNION
            {{ ?owner bgt:activity ?x . BIND("activity" AS ?kind) OPTIONAL {{ ?x rdfs:label ?name }}
               OPTIONAL {{ ?x bgt:description ?desc }} OPTIONAL {{ ?x bgt:economicClassName ?econ }}
               OPTIONAL {{ ?x bgt:amount ?amount }} OPTIONAL {{ ?x bgt:basis ?basis }} }}
            {loc} }} }} GROUP BY ?owner ?x ?l1 ?l2 ?l3 ?v ?amount ?econ ?desc ?basis ?name ?kind"""),
            key=lambda r: (r["line"] or 0, _num(r["x"]))):
        if r["kind"] == "indicator":
            text = "/".join(x for x in (r["l1"], r["l2"], r["l3"]) if x) + (f"：{r['v']}" if r["v"] else "")
        else:
            money = f"{r['amount']}万元" if r["amount"] is not None else None
            extra = "，".join(str(x) for x in (r["econ"], money) if x)
            text = "：".join(dict.fromkeys(x for x in (r["name"], r["desc"]) if x)) + (f"（{extra}）" if extra else "")
            text += f" {r['basis']}" if r["basis"] else ""
        items = grouped.setdefault((r["owner"], r["kind"]), [])
        if text and all(text != t for _, t, _ in items):
            items.append((r["x"], text, _where(r)))
    for (owner, kind), items in grouped.items():
        for iri, text, where in _pack(items):
            out.append(row(iri, owner, text, kind, where))

    # a functional class is named by this document (a code the codelist lacks) or by the codelist; the
    # lookups sit inside the OPTIONAL that binds the class, so a project without one gets no name
    for r in store.select(f"""SELECT ?p ?name (GROUP_CONCAT(DISTINCT ?alias; separator="、") AS ?aliases)
            (SAMPLE(?unit) AS ?u) (GROUP_CONCAT(DISTINCT ?fn; separator="、") AS ?f) (SAMPLE(?amount) AS ?a)
            (MIN(?page) AS ?page) (MIN(?line) AS ?line) WHERE {{
            GRAPH {g} {{ ?p a bgt:Project ; rdfs:label ?name . BIND(?p AS ?x)
              OPTIONAL {{ ?p skos:altLabel ?alias }} OPTIONAL {{ ?p bgt:budgetUnit/rdfs:label ?unit }}
              OPTIONAL {{ ?p bgt:amount ?amount }} {loc} }}
            OPTIONAL {{ GRAPH {g} {{ ?p bgt:functionalClass ?fc OPTIONAL {{ ?fc rdfs:label ?own }} }}
              OPTIONAL {{ GRAPH {terms.iri(store.codelist_graph)} {{ ?fc skos:prefLabel ?listed }} }}
              BIND(COALESCE(?own, ?listed) AS ?fn) }} }} GROUP BY ?p ?name"""):
        parts = [f"项目：{r['name']}"]
        parts += [f"又称：{r['aliases']}"] if r["aliases"] else []
        parts += [f"单位：{r['u']}"] if r["u"] else []
        parts += [f"功能科目：{r['f']}"] if r["f"] else []
        parts += [f"金额：{r['a']}万元"] if r["a"] is not None else []
        out.append(row(card_iri(store, doc_id, r["p"]), r["p"], "；".join(parts), "project", _where(r)))
    return [p for p in out if p is not None]


def card_iri(store, doc_id: str, project: str) -> str:
    """The IRI of ``project``'s card passage in ``doc_id``: ``{document graph}/project/{key}``, the key the
    project's own IRI ends with (the prefix of the document-scoped rows the mapping writes for it)."""
    return f"{store.doc_graph(doc_id)}/project/{project.rsplit('/', 1)[-1]}"


DICTIONARY_MAX_CHARS = 40  # longer "names" are sentences; jieba keeps every prefix of a word it is given


def dictionary_names(store, doc_id: str | None = None) -> list[str]:
    """Budget terms for jieba: codelist labels, and project names and aliases (of one document or all), each
    at most :data:`DICTIONARY_MAX_CHARS` characters."""
    graph = f"GRAPH {terms.iri(store.doc_graph(doc_id))}" if doc_id else "GRAPH ?g"
    names = [r["l"] for r in store.select(f"""SELECT DISTINCT ?l WHERE {{ {graph} {{
        ?p a bgt:Project ; rdfs:label|skos:altLabel ?l }} }}""")]
    if doc_id is None:
        names += [r["l"] for r in store.select(f"""SELECT DISTINCT ?l WHERE {{ GRAPH {terms.iri(store.codelist_graph)} {{
            ?c a skos:Concept ; skos:prefLabel ?l }} }}""")]
    return [n for n in names if len(n) <= DICTIONARY_MAX_CHARS]
