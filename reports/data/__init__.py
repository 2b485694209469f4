"""Files → typed, validated rows: the first stage.

Owns everything about the user's files: reading CSV (any encoding Excel writes) and ``.xlsx``
(``load``), parsing cell values as staff type them (``values``), checking every row and
collecting every problem with its file, row and column (``validate``), the typed rows
(``model``), ``config.toml`` (``config``), places (``places``), the handouts' inputs — the
delegations, as YAML files or a 代表团 sheet (``delegation``), 省情简介.yaml and 招商项目
(``handout``, read with ``yamlfile``), amounts in their descriptions against the figures
(``descriptions``) — and the rows written back out as CSV for the archive (``export``).

May import: the standard library, ``reports.errors``, python-calamine and PyYAML (the only
subpackage that does). Nothing here formats a figure or knows a PDF.
"""
