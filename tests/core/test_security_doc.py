"""docs/security.md names its proof as `file::test`: every named test exists.

A row like "`a/test_x.py::test_one`, `::test_two`" names two tests in one file; a path
without `::` must be an existing file under tests/. A renamed or removed test fails here
until the document follows.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
REFERENCE = re.compile(r"`((?:[a-z_]+/)*test_[a-z0-9_]+\.py)?(?:::([a-z0-9_]+))?`")


def named_tests() -> list[tuple[str, str | None]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        current = None
        for match in REFERENCE.finditer(line):
            path, test = match.groups()
            if path:
                current = path.removeprefix("tests/")
            if current and (path or test):
                found.append((current, test))
    return found


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_security_doc_names_only_tests_that_exist():
    references = named_tests()
    assert len(references) > 50
    missing = []
    for path, test in references:
        file = ROOT / "tests" / path
        if not file.exists():
            missing.append(path)
        elif test and test not in functions_in(file):
            missing.append(f"{path}::{test}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
