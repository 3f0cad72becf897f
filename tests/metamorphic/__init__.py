"""Metamorphic tests of extraction: one disclosure model, rendered in many layouts, must read back the same.

- ``model``: a disclosure whose every sum holds by construction (amounts bottom-up, ``Decimal``); a 部门预算
  (all the department's units) or the 单位预算 of one unit (局本级 or a 下属单位) of the same department and year.
- ``forms``: the projects' performance forms (项目支出绩效目标表 / 绩效自评表): fields and indicator rows.
- ``layout``: the layout parameters of a variant and the wordings real disclosures print, drawn from a seed.
- ``render``: the model as a text export and as a PDF (through ``tests/pdfgen.py``), and the records expected
  from the model (never from a parse); its command line writes one variant.
- ``compare``: how an extraction differs from the expected records, as readable lines.
- ``variants``: the variants the suite runs: drawn (all parameters from the seed) and minimal (the default
  layout with one change); ``check``: one variant rendered, extracted, compared, and its failure message.
- ``pairs``: a 单位预算 and the 部门预算 of its department, each read as its model, both ingested into one
  store (``kg.api.BudgetKG``) that must keep two budgets with their own totals.
- ``report``: pass/fail counts per parameter value and per change, on the parser as it is.
- ``known_failures``: the one list of variants that fail today, each with its failure kinds; the suite marks
  them ``xfail(strict=True)``, so a parser fix makes the suite ask for its line to be removed.

Families of variants: the tables (the first suite), ``forms`` (the tables plus performance forms: key–value
fields with merged cells, 一级/二级 cells merged down, a form split over a page break, 项目名称 with a qualifier,
a prefix or a code suffix, wrapped indicator names) and ``pair`` (部门/单位).  PDF variants also vary the page
sizes (``pages``: A4 portrait narrative with landscape or A3 landscape tables).

Reproduce one variant: ``python -m tests.metamorphic.render --seed N --medium text|pdf --out DIR --check``
(``--layout default --set KEY=VALUE`` for a minimal one, ``--layout forms`` for a drawn one with forms,
``--pair`` for a 部门/单位 pair); the whole table: ``python -m tests.metamorphic.report [--family forms]``.
"""
