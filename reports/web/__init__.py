"""The staff web page (``report serve``): upload a workbook, see every problem by sheet, row and
column, preview the briefing's pages, download the PDFs; admins adopt the data, issue a month
into the archive and read the audit log; anyone makes a delegation's handout from a form.
Accounts, sessions and the audit log in SQLite beside the archive (``store``), the pages
(``app``, templates in ``templates/web/``; ``guard``: body limit, headers), uploads kept inside the data folder (``uploads``),
the work off the request thread (``jobs``, ``work``), the server (``serve``).

May import: every other subpackage (it is a product, like ``products``); Starlette, uvicorn,
argon2-cffi and python-multipart — the only subpackage that does.
"""
