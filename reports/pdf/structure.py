"""The structure tree of a tagged PDF, for what ReportLab drew and was stamped in (stamp.py).

WeasyPrint tags what it lays out (typeset/render.py: headings, paragraphs, tables, figures).
What is stamped on top comes from ReportLab, which knows nothing of tags, so each stamp is
given its place here (ISO 32000-1 §14.7–14.8):

- a chart: its drawing becomes a marked-content sequence on the page inside the /Figure that
  WeasyPrint made of the chart's empty box — an <img> whose alt text is the caption and the
  chart's numbers (templates/briefing/chart.html);
- a ledger page: the /Art element of its placeholder (<article class="ph">) becomes a /Table
  of /TR rows whose /TH and /TD cells refer to the marked cells inside the stamped form
  (typeset/ledger.py draws them with MCIDs; the form gets its own /StructParents key); a
  ledger page inserted after layout (typeset/placement.py), which has no placeholder, gets a
  new /Table after the previous page's;
- anything else (a handout's copy marks): an /Artifact.
"""

from __future__ import annotations

from functools import cached_property

import pikepdf


class Structure:
    """The base PDF's structure tree, as stamps are added to it."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root
        self.tagged = root is not None
        if not self.tagged:
            return
        self.nums = root.ParentTree.Nums
        self.keys = {int(self.nums[i]): self.nums[i + 1] for i in range(0, len(self.nums), 2)}
        self.next_key = max(self.keys, default=-1) + 1
        self.names = {n: pikepdf.Name(n) for n in ("/TR", "/TH", "/TD")}
        self.header_attrs = None  # every header cell's attributes: one shared object
        self.last_table = None  # the /Table of the ledger page stamped last

    @cached_property
    def elements(self) -> dict[str, list]:
        """The /Figure and /Art elements, (page objgen, element), in document order: walked
        only when a chart or a ledger page is stamped (not for a handout's copy marks)."""
        found: dict[str, list] = {"/Figure": [], "/Art": []}
        root = self.root
        stack = list(reversed(list(root.K))) if isinstance(root.K, pikepdf.Array) else [root.K]
        while stack:  # document order
            elem = stack.pop()
            if not isinstance(elem, pikepdf.Dictionary):
                continue
            tag = str(elem.get("/S", ""))
            if tag in found and "/Pg" in elem:
                found[tag].append((elem.Pg.objgen, elem))
            kids = elem.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(reversed(list(kids)))
            elif isinstance(kids, pikepdf.Dictionary):
                stack.append(kids)
        return found

    def _element(self, tag: str, page, match=None):
        for i, (objgen, elem) in enumerate(self.elements[tag]):
            if objgen == page.obj.objgen and (match is None or match(elem)):
                return self.elements[tag].pop(i)[1]
        return None

    def _page_mcid(self, page, elem) -> int:
        """A new MCID on the page, belonging to ``elem``."""
        mapping = self.keys[int(page.obj.StructParents)]
        mcid = len(mapping)
        mapping.append(elem)
        return mcid

    def figure(self, page, alt: str) -> tuple[bytes, bytes]:
        """The operators around a chart's drawing: its marked content inside the /Figure
        whose alt text is ``alt``."""
        elem = self._element("/Figure", page, lambda e: str(e.get("/Alt", "")) == alt)
        if elem is None:
            return b"/Artifact BMC\n", b"EMC\n"
        mcid = self._page_mcid(page, elem)
        kids = elem.K if isinstance(elem.K, pikepdf.Array) else pikepdf.Array([elem.K])
        kids.append(mcid)
        elem.K = kids
        return f"/Figure <</MCID {mcid}>> BDC\n".encode(), b"EMC\n"

    def _column_header(self):
        """The attributes of every header cell (one object, shared): a column's header."""
        if self.header_attrs is None:
            self.header_attrs = self.pdf.make_indirect(pikepdf.Dictionary(
                O=pikepdf.Name("/Table"), Scope=pikepdf.Name("/Column")))
        return self.header_attrs

    def _table_after(self, previous, page):
        """A new, empty /Table on ``page``, next to ``previous`` under the same parent."""
        if previous is None or "/P" not in previous:
            return None
        parent = previous.P
        kids = parent.K if isinstance(parent.K, pikepdf.Array) else pikepdf.Array([parent.K])
        at = next((i for i, k in enumerate(kids)
                   if isinstance(k, pikepdf.Dictionary) and k.objgen == previous.objgen), None)
        if at is None:
            return None
        elem = self.pdf.make_indirect(pikepdf.Dictionary(
            {"/S": pikepdf.Name("/Table"), "/P": parent, "/Pg": page.obj}))
        kids.insert(at + 1, elem)
        parent.K = kids
        return elem

    def table(self, page, form, rows) -> bool:
        """A stamped ledger page (``form``) as the /Table in place of its placeholder:
        ``rows``, per row the (tag, MCID) of each cell inside the form."""
        elem = self._element("/Art", page, lambda e: len(e.get("/K", [])) == 0)
        if elem is None:
            elem = self._table_after(self.last_table, page)
            if elem is None:
                return False
        elem.S = pikepdf.Name("/Table")
        self.last_table = elem
        key = self.next_key
        self.next_key += 1
        by_mcid: dict[int, object] = {}
        trs = []
        names = self.names
        page_ref = page.obj
        for row in rows:  # (thousands of cells: plain dictionaries, names made once)
            tr = self.pdf.make_indirect(pikepdf.Dictionary(
                {"/S": names["/TR"], "/P": elem, "/Pg": page_ref}))
            cells = []
            for tag, mcid in row:
                cell = {"/S": names["/" + tag], "/P": tr, "/Pg": page_ref,
                        "/K": pikepdf.Dictionary({"/Stm": form, "/MCID": mcid})}
                if tag == "TH":
                    cell["/A"] = self._column_header()
                cell = self.pdf.make_indirect(pikepdf.Dictionary(cell))
                cells.append(cell)
                by_mcid[mcid] = cell
            tr.K = pikepdf.Array(cells)
            trs.append(tr)
        elem.K = pikepdf.Array(trs)
        form.StructParents = key
        self.nums.append(key)
        self.nums.append(self.pdf.make_indirect(pikepdf.Array(
            [by_mcid[i] for i in range(len(by_mcid))])))
        self.root.ParentTreeNextKey = self.next_key
        return True
