"""The Jinja environment: the only module that imports Jinja.

Templates are looked up in a chain (as Pelican and MkDocs themes do): a user's folder given
with ``--template`` first, then the built-in ``templates/``, so a city overrides one template
or one stylesheet at a time; ``{% extends "!base.html" %}`` reaches the built-in one being
overridden. Autoescaping is always on for HTML/XML/SVG. A user folder is code from outside
the project, so it runs in Jinja's ``SandboxedEnvironment``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined,
                    select_autoescape)
from jinja2.sandbox import SandboxedEnvironment

from .fmt import Formatter

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def environment(formatter: Formatter, user_dir: Path | None = None) -> Environment:
    builtin = FileSystemLoader(str(TEMPLATES))
    loaders = [builtin, PrefixLoader({"!": builtin}, delimiter="")]
    cls = Environment
    if user_dir is not None:
        loaders.insert(0, FileSystemLoader(str(user_dir)))
        cls = SandboxedEnvironment
    env = cls(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg", "j2"),
                                     disabled_extensions=("txt",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(formatter.filters())
    env.globals["parts_differ"] = formatter.parts_differ
    env.globals["zh"] = formatter.zh
    return env


def render_text(env: Environment, name: str, **context) -> str:
    return env.get_template(name).render(**context)
