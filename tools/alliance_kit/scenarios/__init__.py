"""Branching channel scenarios: the declaration (``model``), reading the files (``loading``),
the checks beyond the fields (``graph``), playing and comparing (``player``) and what the
cases cover (``coverage``)."""
