"""Metamorphic tests of extraction: one disclosure model, rendered in many layouts, must read back the same.

``model`` builds a disclosure whose every sum holds by construction, ``layout`` draws layout parameters,
``render`` writes the model as a text export (and a PDF through ``tests/pdfgen.py``) together with the records
expected from the model, ``compare`` tells which expected record an extraction misses or adds.
Reproduce one variant: ``python -m tests.metamorphic.render --seed N --medium text|pdf --out DIR``.
"""
