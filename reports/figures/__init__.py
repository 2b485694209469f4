"""Decimal metrics and their words: the compute and format stages.

Owns the briefing's numbers — totals, growth, completion rates, ranks, the ledger, computed
exactly with ``Decimal`` from unrounded values (``compute``) — and how they read: Chinese
publication style and English, with one rounding mode (``fmt``), the template strings'
catalogues and English names (``i18n``), names romanised where the data has no English
(``english``: the glossary and pypinyin), the 附表's cells (``ledger_cells``), raw values as
JSON (``jsonout``).

May import: ``reports.data``, ``reports.errors``, Babel (the only subpackage that does),
pypinyin (``english`` only) and markupsafe. Nothing here lays out a page.
"""
