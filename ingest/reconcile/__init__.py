"""Reconciliation: the tables of a document checked against each other by arithmetic.

``ledger`` reads each coded table into figures with their printed precision, ``checks`` states the
equalities that hold by definition, ``codes`` repairs damaged code cells from their parents and children,
``scope`` tells a 部门 table from a 一般公共预算 one, and ``run.reconcile`` does it all after the parsers.
"""
