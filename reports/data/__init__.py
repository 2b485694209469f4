"""Files → typed, validated rows: the first stage.

Owns everything about the user's files: reading CSV (any encoding Excel writes) and ``.xlsx``
(``load``), parsing cell values as staff type them (``values``), checking every row and
collecting every problem with its file, row and column (``validate``), the typed rows
(``model``), ``config.toml`` (``config``), places (``places``), the handouts' YAML inputs
(``handout``), and the rows written back out as CSV for the archive (``export``).

May import: the standard library, ``reports.errors``, python-calamine and PyYAML (the only
subpackage that does). Nothing here formats a figure or knows a PDF.
"""
