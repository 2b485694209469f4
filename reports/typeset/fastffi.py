"""WeasyPrint's C interface, parsed once instead of every run.

WeasyPrint declares its interface to Pango, HarfBuzz and Fontconfig with cffi in "ABI mode"
(``ffi = cffi.FFI(); ffi.cdef('''…''')`` in ``weasyprint/text/ffi.py``): every process
parses those ~450 lines of C with pycparser, a pure-Python parser, and then parses each new C
type string it meets (``ffi.new('PangoRectangle *')``) the same way — about 0.15 s of every
build (measured with cProfile: pycparser and cffi's Python side, 0.2 s profiled).

cffi's "out-of-line ABI mode" does that parsing ahead of time into a small Python module
whose FFI object holds the parsed types and parses type strings in C. ``install()`` makes
that module from WeasyPrint's own declarations (cached in ``$XDG_CACHE_HOME/reports-cffi``,
keyed by a hash of the declarations and the cffi version, so an upgraded WeasyPrint or cffi
gets a new one) and loads ``weasyprint.text.ffi`` with it in place of the ``cffi.FFI()`` it
would build: the same declarations, the same libraries opened the same way. Anything
unexpected — another WeasyPrint whose file does not have that shape, no writable cache, an
error — and WeasyPrint is imported as it is; nothing depends on this but speed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import tempfile
import types
from pathlib import Path

MODULE = "weasyprint.text.ffi"
_DECLARATION = re.compile(r"^ffi = cffi\.FFI\(\)\nffi\.cdef\('''(.*?)'''\)\n", re.S | re.M)


def _compiled(declarations: str, folder: Path):
    """The out-of-line FFI module for these declarations, made on first use."""
    import cffi

    key = hashlib.sha256(f"{cffi.__version__}\n{declarations}".encode()).hexdigest()[:16]
    name = f"_reports_weasyprint_ffi_{key}"
    path = folder / f"{name}.py"
    if not path.is_file():
        builder = cffi.FFI()
        builder.set_source(name, None)  # None: ABI mode, no C compiler involved
        builder.cdef(declarations)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".py", dir=folder)
        os.close(fd)
        try:
            import contextlib
            import io

            with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
                builder.emit_python_code(tmp)
            os.replace(tmp, path)  # atomic: a concurrent run sees all of it or none
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ffi


def install() -> bool:
    """Load ``weasyprint.text.ffi`` with a precompiled FFI; True when it was done."""
    if MODULE in sys.modules or "weasyprint" in sys.modules:
        return False
    try:
        # the top-level package is found, not imported: importing it would import the
        # original module, which is what is being replaced
        package = importlib.util.find_spec("weasyprint")
        if package is None or not package.origin:
            return False
        origin = Path(package.origin).parent / "text" / "ffi.py"
        spec = importlib.util.spec_from_file_location(MODULE, origin)
        source = origin.read_text(encoding="utf-8")
        match = _DECLARATION.search(source)
        from .cache import cache_folder

        folder = cache_folder("reports-cffi")
        if match is None or folder is None:
            return False
        ffi = _compiled(match.group(1), folder)
        code = compile(source[:match.start()] + "ffi = __reports_ffi__\n" + source[match.end():],
                       str(origin), "exec")
        module = types.ModuleType(MODULE)
        module.__file__, module.__spec__ = str(origin), spec
        module.__package__ = MODULE.rpartition(".")[0]
        module.__reports_ffi__ = ffi
        sys.modules[MODULE] = module
        try:
            exec(code, module.__dict__)
        except BaseException:
            del sys.modules[MODULE]
            raise
        return True
    except Exception:  # noqa: BLE001 — speed only: fall back to WeasyPrint as it is
        sys.modules.pop(MODULE, None)
        return False
