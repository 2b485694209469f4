"""HTML → PDF with WeasyPrint: the only module that imports WeasyPrint.

Rendering and writing are separate steps (as WeasyPrint's own API): ``render`` returns a
laid-out ``Document`` whose pages can be counted; ``to_pdf`` writes its bytes.

Nothing in data may make the renderer read a file or fetch a URL: ``RestrictedFetcher``
serves ``data:`` URLs (our charts) and files under the allowed folders only (templates/,
fonts/, a user template folder, the data folder's assets/), by resolved real path — no
``..``, no symlink out; every other scheme, host or path is refused and logged.
"""

from __future__ import annotations

import atexit
import logging
import mimetypes
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

from . import deferred, fastffi

fastffi.install()  # before WeasyPrint is imported: its C declarations, parsed ahead of time
deferred.install()  # and fontTools' subsetter, a fallback we do not use, imported if ever used

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from . import fontdata, justify, linebreak, pagerefs  # noqa: E402

justify.install()  # Chinese justification and punctuation compression (typeset/justify.py)
linebreak.install()  # justified Chinese paragraphs broken as a whole (typeset/linebreak.py)
fontdata.install()  # no copy of each whole font while a PDF is written (typeset/fontdata.py)
pagerefs.install()  # the contents' page laid out again only when its numbers change

log = logging.getLogger("reports.render")


class FetchRefused(ValueError):
    pass


def _real_roots(roots: list[Path]) -> list[Path]:
    """The real paths of the allowed folders, now: a folder that is itself a symlink out of
    its parent (a data folder's assets/ linked to /etc) is not a root at all."""
    real = []
    for root in roots:
        root = Path(root)
        try:
            resolved = root.resolve()
            if resolved.is_relative_to(root.parent.resolve()):
                real.append(resolved)
            else:
                log.error("拒绝：%s 是指向其所在文件夹以外的链接（%s），其中的文件不会被读取", root,
                          resolved)
        except OSError:
            continue
    return real


class RestrictedFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, timeout=1)
        self.given = [Path(r) for r in roots]
        self.roots = _real_roots(self.given)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            parsed = urlparse(url)
            if parsed.netloc in ("", "localhost"):
                path = Path(unquote(parsed.path)).resolve()
                roots = _real_roots(self.given)  # per request: a link changed since is seen
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    self.served.append(str(path))
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    if path.suffix in (".otf", ".ttf"):
                        mime = "font/" + path.suffix[1:]
                    return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                              {"Content-Type": mime})
        self.refused.append(url)
        log.error("拒绝读取：%s（只允许模板、字体和数据素材文件夹中的文件）", url[:200])
        raise FetchRefused(f"refused: {url[:200]}")


_font_config = None
_font_config_pid = 0  # the process that made it, and so its folder of fonts
_stylesheets: dict = {}  # key → (CSS, its @color-profile rules: the print variant's)


def remove_font_files() -> None:
    """WeasyPrint copies each @font-face font into a folder of its own under the temporary
    directory, for fontconfig (about 50 MB for our faces), and removes it when its
    FontConfiguration is collected — which never happens in a process that ends with
    ``os._exit`` (the ``report`` command, a forked worker): without this, every run would
    leave its 50 MB in /tmp. Removed here, at the end of the process that made it (a forked
    child does not remove its parent's)."""
    folder = getattr(_font_config, "_folder", None)
    if folder is not None and os.getpid() == _font_config_pid:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(remove_font_files)  # an ordinary exit: the tests, the web server
_OWNER = ".reports-pid"  # in such a folder: the process that made it


def _sweep_font_files() -> None:
    """The folders of processes that were killed before they could remove theirs (SIGKILL, the
    OOM killer, a power cut): each carries its maker's pid; a dead maker's folder goes."""
    import tempfile

    for folder in Path(tempfile.gettempdir()).glob("weasyprint-*"):
        try:
            pid = int((folder / _OWNER).read_text())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):  # not ours, not readable, or its maker is alive
            continue


def _marked_folder() -> Path:
    """The folder WeasyPrint copies this process's fonts into, made before any font is, with
    its maker's pid already inside: it appears under its name (``weasyprint-…``, what
    WeasyPrint would name it) only once marked, so a run killed while its fonts are still
    being copied leaves a folder the next run removes, not one nobody would."""
    import tempfile

    staging = Path(tempfile.mkdtemp(prefix=".weasyprint-"))
    (staging / _OWNER).write_text(str(os.getpid()))
    folder = staging.with_name(staging.name[1:])
    os.rename(staging, folder)
    return folder


def _stylesheet(css: str, base_url: str, fetcher: RestrictedFetcher):
    """Parsed once per process and kept, with one FontConfiguration: parsing the stylesheet
    loads every @font-face (tens of MB of CJK fonts, copied and registered with fontconfig),
    which a second render in the same process (another job, the short-briefing layout
    without contents) need not repeat."""
    global _font_config, _font_config_pid
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _sweep_font_files()
        _font_config, _font_config_pid = FontConfiguration(), os.getpid()
        _font_config._folder = _marked_folder()  # WeasyPrint makes it at the first font
    key = (css, base_url, tuple(_real_roots(fetcher.given)))
    if key not in _stylesheets:
        try:
            profiles: dict = {}
            _stylesheets[key] = (CSS(string=css, base_url=base_url, url_fetcher=fetcher,
                                     font_config=_font_config, color_profiles=profiles),
                                 profiles)
        except BaseException:  # a timeout or an error half-way: start afresh next time
            _font_config = None
            _stylesheets.clear()
            raise
    return _stylesheets[key]


def harfbuzz_subset_available() -> bool:
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))


_checked = False


def warm(css: str, base_dir: Path, fetcher: RestrictedFetcher) -> None:
    """Import WeasyPrint and parse the stylesheet (loading its fonts) ahead of layout; say
    loudly, once, when HarfBuzz's subsetter is missing (WeasyPrint then subsets the CJK
    fonts with fontTools, about ten times slower: 1 s becomes 10 s)."""
    global _checked
    if not _checked:
        _checked = True
        if not harfbuzz_subset_available():
            log.warning("警告：未找到 libharfbuzz-subset0（HarfBuzz ≥ 4.1 的字体子集库），"
                        "中文字体子集化将慢约10倍。请安装：apt-get install libharfbuzz-subset0"
                        "（make report / make test 会自动安装）")
    _stylesheet(css, base_dir.resolve().as_uri() + "/", fetcher)


def render(html: str, base_dir: Path, fetcher: RestrictedFetcher, css: str | None = None,
           extra_css: str | None = None):
    """Lay out the document; returns WeasyPrint's Document (pages, metadata). ``css``: the
    document's stylesheet, when it is not inline; ``extra_css``: a few rules after it (the
    second layout pass that moves the 版记)."""
    from weasyprint import CSS

    base_url = base_dir.resolve().as_uri() + "/"
    options = {}
    if css is not None:
        stylesheet, profiles = _stylesheet(css, base_url, fetcher)
        sheets = [stylesheet]
        if extra_css:
            sheets.append(CSS(string=extra_css, base_url=base_url, url_fetcher=fetcher,
                              font_config=_font_config))
        # a copy for this document: writing PDF/A adds its sRGB output intent to the
        # document's profiles, which would otherwise reach every later screen PDF
        options = {"stylesheets": sheets, "font_config": _font_config,
                   "color_profiles": dict(profiles)}
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)


def to_pdf(document, variant: str | None = None, attachments=(), tags: bool = False,
           mark: bool = True) -> bytes:
    """PDF bytes. ``variant``: e.g. ``"pdf/a-3b"``. ``attachments``: (name, bytes,
    description, datetime) tuples; their dates are given, never "now". ``tags``: a tagged
    PDF (WeasyPrint's structure tree: headings, paragraphs, tables with their header cells,
    figures with alt text; the language from <html lang>).

    No "now": WeasyPrint writes dates only from <meta name="dcterms.*"> and the attachments'
    own dates, so the same input gives byte-identical output (PDF/A-3b included).
    """
    from weasyprint import Attachment

    files = [Attachment(string=data, name=name, description=description, created=when,
                        modified=when, relationship="Source")
             for name, data, description, when in attachments]
    options = {"pdf_variant": variant} if variant else {}
    if tags:
        options["pdf_tags"] = True
    pdf = document.write_pdf(attachments=files or None, **options)
    # justified lines copy as written, not as "从 投 资" (pdf/actualtext.py): the body faces
    # (``mark=False``: the caller marks them when it stamps, in the same pass)
    if not mark:
        return pdf
    from ..pdf.actualtext import mark_lines

    return mark_lines(pdf, BODY_FONTS)


# the PostScript names (as WeasyPrint writes them) of the faces body text is set in: the bundled
# serif, and a bureau's own body font (typeset/userfonts.py: "Bureau Body <digest>")
BODY_FONTS = {"Noto-Serif-SC", "Bureau-Body"}


def corner_footers(page) -> list[dict]:
    """The running footers WeasyPrint laid out in a page's bottom corners (the margin boxes
    @bottom-left and @bottom-right), each as one line of text: its corner ("left" or
    "right"), text, left edge and advance (CSS px), baseline (px from the page top), and its
    face, size (px) and colour (sRGB, alpha). What placement.py needs to draw the same footer
    on a page it inserts after layout. A corner with anything but one line of text is left
    out."""
    found = []
    for box in page._page_box.children:  # WeasyPrint's laid-out page: its margin boxes
        corner = {"@bottom-left": "left", "@bottom-right": "right"}.get(
            getattr(box, "at_keyword", None))
        if corner is None:
            continue
        texts = list(_text_boxes(box))
        if len(texts) != 1:
            continue
        text = texts[0]
        style = text.style
        color = style["color"]
        if color.space not in ("srgb", "hsl", "hwb"):
            continue
        found.append({
            "corner": corner, "text": text.text, "x": text.position_x, "width": text.width,
            "baseline": text.position_y + text.baseline, "family": tuple(style["font_family"]),
            "weight": style["font_weight"], "style": style["font_style"],
            "size": style["font_size"],
            "color": (*color.to("srgb").coordinates, color.alpha)})
    return found


def remove_elements(page, css_class: str, anchors=()) -> bool:
    """Takes the boxes of the elements of ``css_class`` off a laid-out page, and the given
    anchors with them: the page as if they had been laid out elsewhere (the 版记 moved to the
    next page, products/briefing.py). False when the page had none."""
    found, stack = False, [page._page_box]
    while stack:
        box = stack.pop()
        children = getattr(box, "children", None) or []
        kept = [child for child in children
                if css_class not in _classes(getattr(child, "element", None))]
        if len(kept) != len(children):
            box.children, found = kept, True
        stack.extend(kept)
    if found:
        for anchor in anchors:
            page.anchors.pop(anchor, None)
    return found


def _classes(element) -> list[str]:
    return (element.get("class") or "").split() if element is not None else []


def _text_boxes(box):
    from weasyprint.formatting_structure.boxes import TextBox

    if isinstance(box, TextBox):
        yield box
    for child in getattr(box, "children", ()) or ():
        yield from _text_boxes(child)
