"""Pages: the render stage. HTML from Jinja templates (``templating``), laid out by WeasyPrint
(``render``, with ``fastffi``; Chinese justification and punctuation squeezing in ``justify``,
paragraphs broken as a whole in ``linebreak``: both extend WeasyPrint's line layout), charts and the 附表 drawn by ReportLab (``drawing``, ``charts``,
``ledger``, ``rlfonts``, ``metrics``, ``marks``), where ReportLab's pages go on WeasyPrint's
(``placement``, with ``parts`` as the plain data between the two processes), the bundled
fonts and the glyph check (``glyphs``), one theme for both engines (``theme``), QR codes
(``qr``), what the renderer may read (``resources``), caches that only save time (``cache``).

May import: ``reports.figures``, ``reports.data``, ``reports.pdf``, ``reports.errors``; Jinja,
WeasyPrint, ReportLab, fontTools, segno and cffi — the only subpackage that imports them.
"""
