"""WeasyPrint without a copy of every whole font while it writes a PDF (issue 21: memory).

When WeasyPrint writes a PDF it makes a ``Font`` for each face and size used, and each one
copies the whole font file out of HarfBuzz into a Python ``bytes`` (weasyprint/pdf/fonts.py,
``Font.__init__``: ``self.file_content = get_hb_object_data(self.hb_face)``) — for our faces
(Noto Serif SC alone is 21 MB) about 50 MB held at once, the peak of a build. Yet it subsets
with HarfBuzz straight from the face, and then replaces ``file_content`` with the subset: the
copy is read only on paths we do not take (no HarfBuzz subsetter, variable fonts, fonts used
in SVG forms, the file type of a font that was not subset).

``install()`` makes the copy lazy: ``Font.file_content`` becomes a property that copies the
face's data the first time it is read, unless a subset was stored first. What is written is
the same, byte for byte; a build's peak memory drops by the copies (measured in make bench).
"""

from __future__ import annotations

import threading

_state = threading.local()
_DEFERRED = object()
_installed = False
copies = 0  # whole faces copied since install (tests/test_fontdata.py: none in our builds)


def install() -> None:
    global _installed
    if _installed:
        return
    from weasyprint.pdf import fonts

    copy_data = fonts.get_hb_object_data

    def get_hb_object_data(hb_object, *args, **kwargs):
        if getattr(_state, "constructing", False) and not args and not kwargs:
            return _DEFERRED  # Font.__init__'s copy of the whole face: made when read
        return copy_data(hb_object, *args, **kwargs)

    def read(font):
        global copies
        data = font.__dict__.get("_file_content", _DEFERRED)
        if data is _DEFERRED:
            copies += 1
            data = font.__dict__["_file_content"] = copy_data(font.hb_face)
        return data

    def write(font, data):
        font.__dict__["_file_content"] = data

    construct = fonts.Font.__init__

    def __init__(font, *args, **kwargs):
        _state.constructing = True
        try:
            construct(font, *args, **kwargs)
        finally:
            _state.constructing = False

    fonts.get_hb_object_data = get_hb_object_data
    fonts.Font.file_content = property(read, write)
    fonts.Font.__init__ = __init__
    _installed = True
