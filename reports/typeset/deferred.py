"""Modules WeasyPrint imports but our builds never use, imported the first time they are.

``weasyprint.pdf.fonts`` imports fontTools' subsetter and variable-font instancer at the top
(``from fontTools import subset``, ``from fontTools.varLib.instancer import
instantiateVariableFont``), which pull in fontTools' OpenType tables, varLib and lxml: about a
tenth of a second of every process that lays out a page. Both are fallbacks: WeasyPrint
subsets with HarfBuzz (libharfbuzz-subset0, which the Makefile installs and render.warm
checks), and our fonts are static. ``install()``, before WeasyPrint is imported, puts a
stand-in for each into ``sys.modules``: the real module is imported the first time one of its
names is used — a function bound by ``from … import`` is a stand-in that imports on its
first call — so a machine without the HarfBuzz subsetter still works, only as slowly as
before. Nothing depends on this but speed.
"""

from __future__ import annotations

import importlib
import sys
import types

# module → the names WeasyPrint binds from it with ``from … import`` (functions)
DEFERRED = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


class _Stand(types.ModuleType):
    """In place of a module not yet imported."""

    def __init__(self, name: str, functions: tuple):
        super().__init__(name)
        self.__spec__ = None  # as for a module being set up: the import system asks no more
        self._functions = functions

    def __getattr__(self, attr: str):
        if attr in self._functions:
            name = self.__name__

            def call(*args, **kwargs):
                return getattr(_load(name), attr)(*args, **kwargs)

            return call
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(_load(self.__name__), attr)


def _load(name: str) -> types.ModuleType:
    """The real module, imported now; the stand-in takes on its names."""
    stand = sys.modules.get(name)
    if not isinstance(stand, _Stand):
        return stand if stand is not None else importlib.import_module(name)
    del sys.modules[name]
    try:
        real = importlib.import_module(name)
    except BaseException:
        sys.modules[name] = stand
        raise
    vars(stand).update(vars(real))
    return real


def install() -> None:
    for name, functions in DEFERRED.items():
        if name not in sys.modules:
            sys.modules[name] = _Stand(name, functions)
