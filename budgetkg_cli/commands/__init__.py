"""The commands of ``budgetkg``, one module each (registered in :mod:`budgetkg_cli.main`)."""
