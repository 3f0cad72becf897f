"""The canonical vocabulary of roles: what a table or a column is, with the wordings documents use for it."""
