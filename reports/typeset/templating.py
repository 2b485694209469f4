"""The Jinja environment: the only module that imports Jinja.

Templates are looked up in a chain (as Pelican and MkDocs themes do): a user's folder given
with ``--template`` first, then the built-in ``templates/``, so a city overrides one template
or one stylesheet at a time; ``{% extends "!base.html" %}`` reaches the built-in one being
overridden. Autoescaping is always on for HTML/XML/SVG. A user folder is code from outside
the project, so it runs in Jinja's ``SandboxedEnvironment``.
"""

from __future__ import annotations

import time
from pathlib import Path

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    pass_context,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from .. import ROOT
from ..errors import TemplateProblem
from ..figures.fmt import Formatter
from .sandbox import FolderLoader, StrictSandbox, render_limited

TEMPLATES = ROOT / "templates"


# Filters whose output is a figure in running text: in HTML each is wrapped in
# <span class="fig">, which the stylesheet keeps on one line (7874亿元 stays together).
# The table-cell filters (amount_in, num, signed_pct) are not: their cells are nowrap, and
# hundreds of spans would only cost layout time.
FIGURE_FILTERS = ("count", "amount", "pct", "growth", "points", "date", "month", "period",
                  "ordinal")


def _bytecode_cache(kind: str = "Environment"):
    """Compiled templates cached across processes (the source checksum is checked, so an
    edited template is recompiled): saves ~0.08 s a run. In $XDG_CACHE_HOME, else ~/.cache."""
    from jinja2 import FileSystemBytecodeCache

    from .cache import cache_folder

    folder = cache_folder("reports-jinja")
    # the pattern names how templates are compiled (no filter folded in: _unfolded) and by
    # which environment: the sandbox compiles calls as environment.call(...), which a plain
    # Environment lacks, so neither may load the other's code
    return FileSystemBytecodeCache(str(folder), f"{kind}-unfolded-%s.cache") if folder else None


def _figure(f):
    def wrapped(*args, **kwargs):
        return Markup('<span class="fig">%s</span>') % escape(f(*args, **kwargs))
    wrapped.__name__ = f.__name__
    return wrapped


def _unfolded(f):
    """A filter Jinja cannot evaluate while compiling: ``{{ 1|ordinal }}`` would otherwise be
    folded into the compiled code with this environment's formatting (HTML spans, this
    config's decimals) and the shared bytecode cache would hand it to every other one."""
    def unfolded(_context, *args, **kwargs):
        return f(*args, **kwargs)
    unfolded.__name__ = f.__name__
    return pass_context(unfolded)


class BuiltinLoader(BaseLoader):
    """``!name`` → the built-in template ``name``, even when a user folder overrides it."""

    def __init__(self, loader: FileSystemLoader):
        self.loader = loader

    def get_source(self, environment, template):
        if not template.startswith("!"):
            raise TemplateNotFound(template)
        return self.loader.get_source(environment, template[1:])


def environment(formatter: Formatter, user_dir: Path | None = None,
                html: bool = False, i18n: bool = False, translations=None) -> Environment:
    """``html``: figure filters return no-break spans (for the PDF); otherwise plain text
    (for the terminal, where the caller unescapes the autoescaped result). ``i18n``: the
    templates' ``_()`` / ``{% trans %}`` strings go through ``translations`` (gettext; None:
    as written, in Chinese)."""
    builtin = FolderLoader(str(TEMPLATES))
    loaders = [builtin, BuiltinLoader(builtin)]
    cls = Environment
    if user_dir is not None:  # code from outside the project: the allow-list sandbox
        loaders.insert(0, FolderLoader(str(user_dir)))
        cls = StrictSandbox
    env = cls(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg", "j2"),
                                     disabled_extensions=("txt",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(cls.__name__),
        extensions=["jinja2.ext.i18n"] if i18n else [],
    )
    if i18n:
        if translations is None:
            env.install_null_translations(newstyle=True)
        else:
            env.install_gettext_translations(translations, newstyle=True)
    filters = formatter.filters()
    if html:
        filters.update({name: _figure(filters[name]) for name in FIGURE_FILTERS})
    env.filters.update({name: _unfolded(f) for name, f in filters.items()})
    env.globals["parts_differ"] = formatter.parts_differ
    env.globals["shares_differ"] = formatter.shares_differ
    env.globals["zh"] = formatter.zh
    return env


def render_template(env: Environment, name: str, **context) -> str:
    """Render, turning Jinja's errors into a clean message naming template and line (and, in
    the sandbox, any resource abuse into one too: exit 2, never a traceback)."""
    try:
        if isinstance(env, StrictSandbox):
            return render_limited(env.get_template(name), context)
        return env.get_template(name).render(**context)
    except SecurityError as exc:
        raise TemplateProblem(f"错误：模板试图访问不允许的内容，已停止：{exc}") from None
    except RecursionError:
        raise TemplateProblem("错误：模板递归过深（宏或 include 无限调用自己？），已停止") from None
    except (OverflowError, MemoryError) as exc:
        why = str(exc) or "内存用尽"
        raise TemplateProblem(f"错误：模板要求的数量过大（{why}），已停止") from None
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or getattr(exc, "name", None) or ""
        if isinstance(exc, TemplateNotFound):
            raise TemplateProblem(f"错误：找不到模板 {exc.name}") from None
        line = getattr(exc, "lineno", None)
        raise TemplateProblem(f"错误：模板{(' ' + where) if where else ''}"
                              f"{f' 第{line}行' if line else ''}有误：{exc}") from None


def render_text(env: Environment, name: str, **context) -> str:
    """A plain-text template (autoescaped like every template, then unescaped)."""
    import html as _html

    return _html.unescape(render_template(env, name, **context))


_pages: Environment | None = None


def render_page(name: str, **context) -> str:
    """One of the web page's own templates (``templates/web/``), autoescaped, with the
    formatter's filters (Chinese publication style): the staff page, not a document."""
    global _pages
    if _pages is None:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                          autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)
        env.filters.update(Formatter("zh_CN").filters())
        env.filters["when"] = lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t))
        _pages = env
    try:
        return _pages.get_template(name).render(**context)
    except TemplateError as exc:
        raise TemplateProblem(f"网页模板 {name} 出错：{exc}") from exc
