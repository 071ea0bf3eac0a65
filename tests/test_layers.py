"""The layers import one way: model/ <- train/ <- eval/ (nothing imports upward)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"model": ("canbo.train", "canbo.eval"), "train": ("canbo.eval",)}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_layer_imports_upward(layer):
    bad = [
        f"{path.relative_to(ROOT)} imports {mod}"
        for path in sorted((ROOT / layer).rglob("*.py"))
        for mod in imported_modules(path)
        if mod.startswith(FORBIDDEN[layer])
    ]
    assert not bad, bad


def test_the_check_sees_imports_inside_functions(tmp_path):
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from canbo.eval.scoring import prf\n", encoding="utf-8")
    assert imported_modules(f) == ["canbo.eval.scoring"]
