"""What a template folder from outside the project (``--template DIR``) may do: read the data
it is given and print it — nothing else.

- **An allow-list sandbox** (``StrictSandbox``): attributes are read only on the plain data the
  templates receive — our own data records (figures, config, rows: dataclasses of this
  package), strings, numbers, dates, lists and dicts, Jinja's own loop and macro objects — and
  a method is called only if it is on ``METHODS``. Never a value that is a path, a module, a
  class, a file or a function of the machine: ``{{ cfg.path.read_text() }}`` stops the build.
  Jinja's sandbox rules (no ``_`` attributes, no ``str.format`` escapes) still apply.
- **Resource limits**: ``range`` at most ``MAX_RANGE`` items (Jinja's own), a string or list
  repeated or joined to at most ``MAX_SIZE``, ``**`` with small exponents only, the whole
  output at most ``MAX_OUTPUT`` characters; deep recursion, too-large ranges and any of these
  end the build with exit 2 and a message, not a traceback. A loop that merely runs long is
  stopped by ``--timeout`` (on in the systemd unit and the crontab line).
- **Loaders that stay in their folder** (``FolderLoader``): a template that is a symlink to a
  file outside its folder is refused.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
from pathlib import Path, PurePath

from jinja2 import FileSystemLoader
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

MAX_SIZE = 1_000_000  # characters (or items) one expression may make
MAX_OUTPUT = 64_000_000  # characters of one rendered template
PLAIN = (str, int, float, bool, decimal.Decimal, _dt.date, _dt.datetime, list, tuple, dict,
         type(None), Markup, LoopContext, Macro, Cycler, Joiner, Namespace, Undefined)
# (type, method name) that templates may call; anything else callable is refused
METHODS = {
    str: {"upper", "lower", "strip", "lstrip", "rstrip", "startswith", "endswith", "replace",
          "split", "join", "title", "count", "find", "isdigit", "zfill", "removeprefix",
          "removesuffix", "partition", "rpartition", "splitlines", "center", "ljust", "rjust"},
    Markup: {"striptags", "unescape"},
    dict: {"items", "keys", "values", "get"},
    list: {"index", "count"}, tuple: {"index", "count"},
    _dt.date: {"isoformat", "strftime", "weekday", "isoweekday"},
    _dt.datetime: {"isoformat", "strftime", "date", "weekday", "isoweekday"},
}
# methods of our own records the built-in templates use (reports.figures.i18n.Names, Config)
OWN_METHODS = {"text", "plain", "person", "term", "paragraph", "addressee", "figures", "region",
               "industry", "place", "regions", "overview", "kinds",
               "event"}


def _ours(obj) -> bool:
    cls = type(obj)
    return cls.__module__.startswith("reports.") and (dataclasses.is_dataclass(cls)
                                                      or cls.__name__ in ("Names",
                                                                          "PrintTheme"))


def _dangerous(value) -> bool:
    """Values never handed to a template, whatever holds them (callables are governed by the
    allow-list of methods)."""
    return isinstance(value, (PurePath, type)) or type(value).__name__ in (
        "module", "TextIOWrapper", "BufferedReader", "BufferedWriter", "FileIO")


class StrictSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+"})

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if not super().is_safe_attribute(obj, attr, value) or _dangerous(value):
            return False
        if isinstance(value, Macro) or isinstance(obj, (LoopContext, Namespace, Cycler, Joiner)):
            return True
        if callable(value) and not isinstance(value, (Markup, Undefined)):
            return any(isinstance(obj, t) and attr in names for t, names in METHODS.items()) \
                or (_ours(obj) and attr in OWN_METHODS)
        return isinstance(obj, PLAIN) or _ours(obj)

    def call_binop(self, context, operator: str, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64 and \
                    isinstance(left, (int, float)) and abs(left) > 1:
                raise SecurityError("模板中的乘方过大")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and \
                        len(seq) * n > MAX_SIZE:
                    raise SecurityError(f"模板中的重复过大（超过{MAX_SIZE}个字符或元素）")
        elif operator == "+" and isinstance(left, (str, list, tuple)) and \
                isinstance(right, (str, list, tuple)) and len(left) + len(right) > MAX_SIZE:
            raise SecurityError(f"模板中的拼接过大（超过{MAX_SIZE}个字符或元素）")
        return super().call_binop(context, operator, left, right)


class FolderLoader(FileSystemLoader):
    """A FileSystemLoader whose templates are files inside its folder, by real path: a symlink
    to a file outside is refused."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(p).resolve()) for p in self.searchpath):
            # not TemplateNotFound: the chain would quietly take the built-in one instead
            raise SecurityError(f"模板 {template} 是指向模板文件夹以外的链接（{real}），已拒绝")
        return source, filename, uptodate


def render_limited(template, context: dict) -> str:
    """Render, stopping once the output passes MAX_OUTPUT characters."""
    parts, size = [], 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_OUTPUT:
            raise SecurityError(f"模板输出过大（超过{MAX_OUTPUT // 1_000_000}M个字符）")
        parts.append(piece)
    return "".join(parts)
