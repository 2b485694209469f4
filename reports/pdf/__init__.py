"""Finished PDFs as bytes, and files on disk: stamping one PDF's pages onto another's
(``stamp``), the print shop's last steps (``press``), the preflight check of ``report check``
(``preflight``), and atomic writes of every output (``output``).

May import: ``reports.errors`` and pikepdf (the only subpackage that does); nothing else of
ours, so that any stage can hand it bytes.
"""
