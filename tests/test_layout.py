"""The package's layout, as reports/__init__.py draws it: subpackages by stage, imports pointing
one way (products → typeset → figures → data, pdf below typeset), each heavy library in one
subpackage, no import cycle between modules, no module over about 500 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reports"
STAGES = ("data", "figures", "typeset", "pdf", "products", "web")
# what each room may import of ours ("" is the package itself: ROOT, __version__)
ALLOWED = {
    "errors": set(),
    "data": {"", "errors", "data"},
    "figures": {"", "errors", "data", "figures"},
    "pdf": {"", "errors", "pdf"},
    "typeset": {"", "errors", "data", "figures", "pdf", "typeset"},
    "products": {"", "errors", "data", "figures", "pdf", "typeset", "products"},
    "web": {"", "errors", "data", "figures", "pdf", "typeset", "products", "web"},
    "cli": {"", "errors", "data", "figures", "pdf", "typeset", "products", "web"},
    "__main__": {"cli"},
    "": set(),
}
# each heavy library in one room only (a module path, or a subpackage)
HOMES = {
    "weasyprint": "typeset", "reportlab": "typeset", "jinja2": "typeset", "fontTools": "typeset",
    "segno": "typeset", "cffi": "typeset", "docx": "typeset", "pikepdf": "pdf", "babel": "figures",
    "pypinyin": "figures/english.py", "pypdfium2": "pdf/preview.py",
    "starlette": "web", "uvicorn": "web/serve.py", "argon2": "web/store.py",
    "python_calamine": "data", "openpyxl": "data", "yaml": "data", "xlrd": "data",
    "rich": "products/terminal.py", "apprise": "products/notify.py",
}
MAX_LINES = 500


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> str:
    """reports/typeset/render.py → "typeset.render"; reports/cli.py → "cli"."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__")


def room(module: str) -> str:
    """The room of a module: its subpackage, or the top-level module itself."""
    return module.split(".")[0]


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(source: str, module: str, is_package: bool = False) -> list[tuple[str, int]]:
    """(imported module, line) for every import, at any depth (lazy imports inside functions
    count), except those under ``if TYPE_CHECKING:``. Our modules are given as names relative
    to the package ("data.validate", "" for the package itself); others as "ext:<top name>"."""
    found: list[tuple[str, int]] = []
    here = module.split(".") if module else []
    if not is_package:
        here = here[:-1]

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                for sub in child.orelse:
                    visit_one(sub)
                continue
            visit_one(child)

    def visit_one(child):
        if isinstance(child, ast.Import):
            for alias in child.names:
                top = alias.name.split(".")[0]
                if top == "reports":
                    found.append((alias.name.removeprefix("reports").lstrip("."), child.lineno))
                else:
                    found.append((f"ext:{top}", child.lineno))
        elif isinstance(child, ast.ImportFrom):
            if child.level == 0:
                top = (child.module or "").split(".")[0]
                if top == "reports":
                    base = child.module.removeprefix("reports").lstrip(".")
                    found.extend((f"{base}.{a.name}".strip(".") if not base else base,
                                  child.lineno) for a in child.names)
                elif top != "__future__":
                    found.append((f"ext:{top}", child.lineno))
            else:
                base = here[:len(here) - (child.level - 1)] if child.level > 1 else here
                target = ".".join(base + ([child.module] if child.module else []))
                if child.module:
                    found.append((target, child.lineno))
                else:  # from . import x, y: each a module (or a name of the package)
                    found.extend((".".join(filter(None, [target, a.name])), child.lineno)
                                 for a in child.names)
        visit(child)

    visit(ast.parse(source))
    return found


def known() -> set[str]:
    return {name_of(p) for p in modules()} | {""}


def resolve(target: str, names: set[str]) -> str:
    """The module an import reaches: "typeset.glyphs" stays, "ROOT" (a name of the package,
    ``from .. import ROOT``) is the package ""."""
    while target not in names:
        target = target.rpartition(".")[0]
    return target


def violations(path_in_package: str, source: str) -> list[str]:
    """What breaks the map in one module's source."""
    names = known()
    module = path_in_package.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    if module == "__init__":
        module = ""
    is_package = path_in_package.endswith("__init__.py")
    mine = room(module) if module else ""
    bad = []
    for target, line in imports(source, module, is_package):
        if target.startswith("ext:"):
            lib = target[4:]
            home = HOMES.get(lib)
            if home and not (path_in_package == home or mine == home):
                bad.append(f"{path_in_package}:{line} imports {lib}, which belongs to {home}")
            continue
        target = resolve(target, names)
        if room(target) not in ALLOWED.get(mine, set()) and target != "":
            bad.append(f"{path_in_package}:{line} imports reports.{target}: {mine or 'the package'}"
                       f" may import only {sorted(ALLOWED.get(mine, set()))}")
        if target == "" and "" not in ALLOWED.get(mine, set()):
            bad.append(f"{path_in_package}:{line} imports the package itself")
    return bad


def test_every_import_points_the_way_the_map_says():
    bad = []
    for path in modules():
        bad += violations(path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8"))
    assert bad == []


def test_the_checker_catches_what_it_should():
    # an upward import, lazy or not; a heavy library out of its room; typing-only is fine
    assert violations("data/validate.py", "def f():\n    from ..figures.compute import Period\n")
    assert violations("figures/fmt.py", "from ..typeset.theme import THEME\n")
    assert violations("pdf/stamp.py", "from ..typeset import theme\n")
    assert violations("typeset/theme.py", "from ..products import briefing\n")
    assert violations("data/load.py", "import weasyprint\n")
    assert violations("products/briefing.py", "from rich.console import Console\n")
    assert violations("typeset/render.py", "import pikepdf\n")
    assert not violations("data/export.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:"
                          "\n    from ..figures.compute import Period\n")
    assert not violations("products/terminal.py", "from rich.table import Table\n")
    assert not violations("products/briefing.py", "from ..typeset import glyphs\nfrom . import forked\n")


def graph() -> dict[str, set[str]]:
    names = known()
    edges: dict[str, set[str]] = {}
    for path in modules():
        module = name_of(path)
        targets = set()
        for target, _ in imports(path.read_text(encoding="utf-8"), module,
                                 path.name == "__init__.py"):
            if target.startswith("ext:"):
                continue
            target = resolve(target, names)
            if target != module and target:
                targets.add(target)
        edges[module] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def strong(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            strong(v)
    return out


def test_no_import_cycle_between_modules():
    assert cycles(graph()) == []
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_no_module_over_about_500_lines():
    long = {name_of(p): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_each_subpackage_says_what_it_owns_and_imports_nothing():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and "May import" in doc, stage
        assert [n for n in tree.body if not isinstance(n, ast.Expr)] == [], stage
    # and no module is left at the top level but the thin ones
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == \
        ["__init__.py", "__main__.py", "cli.py", "errors.py"]


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"]])
def test_python_dash_m_reports(argv):
    done = subprocess.run([sys.executable, "-m", "reports", *argv], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: report" in done.stdout
