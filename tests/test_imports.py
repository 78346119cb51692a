"""The package's own imports form no circle.

Every import of a buyer_helper module counts: at module level, inside a function, and under
`if TYPE_CHECKING:`. A deferred import is a start-up tactic, not a decoupling: the importing
code still depends on the imported module, and a circle through it means neither side can be
read, tested or moved without the other (the circles this test was written for, routing ↔ steps
through `Ctx` and letters ↔ letterfiles through `Letter`, ran through TYPE_CHECKING imports only).
"""

import ast
from pathlib import Path

import buyer_helper

PACKAGE = Path(buyer_helper.__file__).parent


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(["buyer_helper", *parts])


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    base = current.split(".") if is_package else current.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def own_imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, is_package, node) if node.level else node.module or ""
                # `from . import x` / `from .pkg import mod` name modules; otherwise the base is
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                # the longest known module the target names (a.b.func -> a.b)
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and target != "buyer_helper":
                    found.add(target)
        graph[name] = found
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, ..., a], or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph[node]):
            if colour[nxt] == GREY:
                return [*stack[stack.index(nxt) :], nxt]
            if colour[nxt] == WHITE and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        colour[node] = BLACK
        return None

    for start in sorted(graph):
        if colour[start] == WHITE and (cycle := visit(start)):
            return cycle
    return None


def _package_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def test_the_package_has_no_import_circle():
    modules = _package_modules()
    assert len(modules) > 20  # the walk did find the package
    cycle = find_cycle(own_imports(modules))
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_the_walk_sees_function_level_and_type_checking_imports():
    graph = own_imports(_package_modules())
    # function level: the group loads its commands on demand, each command its own module
    assert "buyer_helper.commands" in graph["buyer_helper.cli"]
    assert "buyer_helper.terminal.timeline" in graph["buyer_helper.commands"]
    # under `if TYPE_CHECKING:` only
    assert "buyer_helper.decide.context" in graph["buyer_helper.decide.steps"]
    assert "buyer_helper.texts.letter" in graph["buyer_helper.texts.outfolder"]


def test_a_circle_is_found_and_printed(tmp_path):
    # the checker itself: the circles this test replaced would be reported
    (tmp_path / "a.py").write_text("from .b import X\n")
    (tmp_path / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import Y\n"
    )
    (tmp_path / "c.py").write_text("def f():\n    from . import a\n")
    modules = {f"buyer_helper.{n}": tmp_path / f"{n}.py" for n in "abc"}
    cycle = find_cycle(own_imports(modules))
    assert cycle == ["buyer_helper.a", "buyer_helper.b", "buyer_helper.c", "buyer_helper.a"]
