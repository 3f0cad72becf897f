"""The ``budgetkg`` command line: a front-end over :class:`kg.api.BudgetKG`, one module per command."""
