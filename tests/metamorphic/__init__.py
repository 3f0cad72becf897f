"""Metamorphic tests of extraction: one disclosure model, rendered in many layouts, must read back the same.

- ``model``: a disclosure whose every sum holds by construction (amounts bottom-up, ``Decimal``).
- ``layout``: the layout parameters of a variant and the wordings real disclosures print, drawn from a seed.
- ``render``: the model as a text export and as a PDF (through ``tests/pdfgen.py``), and the records expected
  from the model (never from a parse); its command line writes one variant.
- ``compare``: how an extraction differs from the expected records, as readable lines.
- ``variants``: the variants the suite runs: drawn (all parameters from the seed) and minimal (the default
  layout with one change); ``check``: one variant rendered, extracted, compared, and its failure message.
- ``report``: pass/fail counts per parameter value and per change, on the parser as it is.

Reproduce one variant: ``python -m tests.metamorphic.render --seed N --medium text|pdf --out DIR --check``
(``--layout default --set KEY=VALUE`` for a minimal one); the whole table: ``python -m tests.metamorphic.report``.
"""
