"""portal.rules is pure (issue 3; design.md "Layout"): no web framework, no SQL, no other portal
package, no I/O and no clock; every public function names its clause (cl.) or rules.md section."""

import ast
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import portal.rules

RULES_DIR = Path(portal.rules.__file__).parent
MODULES = sorted(RULES_DIR.glob("*.py"))
FORBIDDEN = ("litestar", "sqlalchemy", "sqlmodel", "advanced_alchemy", "alembic", "pydantic", "structlog")
ALLOWED_THIRD_PARTY = {"holidays"}
IO_MODULES = {
    "os",
    "io",
    "pathlib",
    "socket",
    "subprocess",
    "shutil",
    "tempfile",
    "sqlite3",
    "urllib",
    "http",
}
CLOCK_CALLS = {"today", "now", "utcnow", "time", "monotonic", "perf_counter"}


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, relative level) of every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            out.append((node.module or "", node.level))
    return out


def test_s0_rules_package_has_the_eight_modules_of_issue_3() -> None:
    names = {p.stem for p in MODULES}
    assert {"iin", "calendar", "eligibility", "ranking", "terms", "routing", "grounds", "voting"} <= names


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_s0_rules_imports_nothing_from_frameworks_or_other_portal_packages(path: Path) -> None:
    for name, level in imported_modules(path):
        top = name.split(".")[0]
        if level:
            assert level == 1, f"{path.name}: relative import leaves portal.rules ({'.' * level}{name})"
            continue
        assert top not in FORBIDDEN, f"{path.name} imports {name}"
        if top == "portal":
            assert name.startswith("portal.rules"), f"{path.name} imports {name}"
            continue
        assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, f"{path.name} imports {name}"
        assert top not in IO_MODULES, f"{path.name} imports the I/O module {name}"


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_s0_rules_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_CALLS, f"{path.name}:{node.lineno} calls .{node.func.attr}()"
        if isinstance(node, ast.Name):
            assert node.id not in {"open", "print", "input"}, f"{path.name}:{node.lineno} uses {node.id}"


def public_callables() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for path in MODULES:
        if path.stem == "__init__":
            continue
        module = importlib.import_module(f"portal.rules.{path.stem}")
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                out.append((f"{path.stem}.{name}", obj))
            elif inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    if isinstance(member, property) or inspect.isfunction(member):
                        out.append((f"{path.stem}.{name}.{attr}", member))
    return out


@pytest.mark.parametrize(("name", "obj"), public_callables(), ids=[n for n, _ in public_callables()])
def test_s0_every_public_function_docstring_names_its_clause(name: str, obj: object) -> None:
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    assert "cl." in doc or "rules.md" in doc or "A-" in doc, f"{name}: the docstring names no clause"


def test_s0_importing_every_rules_module_loads_no_framework_at_runtime() -> None:
    modules = ", ".join(f"portal.rules.{p.stem}" for p in MODULES if p.stem != "__init__")
    code = (
        f"import sys, {modules}\n"
        "portal.rules.calendar.kz_calendar([2025])\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}"
        " or (m.startswith('portal.') and not m.startswith('portal.rules')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
