"""The suite cannot pass on nothing: a loop over files found on disk (glob, rglob, iterdir, listdir,
walk) counts what it found, and a parametrisation that comes out empty fails at collection instead
of being skipped."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
METHODS = {"glob", "rglob", "iterdir"}  # pathlib
FUNCTIONS = {"listdir", "scandir", "walk", "glob", "iglob"}  # os.*, glob.*, or imported bare


def _is_listing(node: ast.AST) -> bool:
    """Whether the expression reads a folder's entries anywhere inside it."""
    for inner in ast.walk(node):
        if not isinstance(inner, ast.Call):
            continue
        func = inner.func
        if isinstance(func, ast.Attribute):
            module = func.value.id if isinstance(func.value, ast.Name) else None
            if func.attr in METHODS or (module in ("os", "glob") and func.attr in FUNCTIONS):
                return True
        elif isinstance(func, ast.Name) and func.id in FUNCTIONS - {"walk"}:
            return True
    return False


def _names(node: ast.AST) -> set[str]:
    return {inner.id for inner in ast.walk(node) if isinstance(inner, ast.Name)}


_COUNTING = (ast.Eq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In)  # not !=, not in, is: they hold for nothing


def _counted_names(scope: ast.AST, listed: set[str]) -> set[str]:
    """Listed names an assert in the scope counts: `assert name`, len(name), or a comparison between
    something built from it and an expectation not read from a folder (two empty listings are equal),
    or from a folder listing already counted."""
    counted: set[str] = set()
    asserts = [node.test for node in ast.walk(scope) if isinstance(node, ast.Assert)]
    for test in asserts:
        if isinstance(test, ast.Name):
            counted.add(test.id)
        for inner in ast.walk(test):
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "len":
                counted |= _names(inner) & listed
    while True:
        before = set(counted)
        for test in asserts:
            for inner in ast.walk(test):
                if not (isinstance(inner, ast.Compare) and all(isinstance(op, _COUNTING) for op in inner.ops)):
                    continue
                sides = [inner.left, *inner.comparators]
                for name in set().union(*(_names(side) for side in sides)) & listed:
                    others = [side for side in sides if name not in _names(side)]
                    if others and not any(_is_listing(side) or (_names(side) & listed) - counted for side in others):
                        counted.add(name)
        if counted == before:
            return counted


def uncounted_loops(source: str, filename: str = "<test>") -> list[str]:
    """Folder listings that a scope loops over, or keeps under a name, without asserting how many
    entries there were."""
    tree = ast.parse(source, filename)
    scopes = [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    problems = []
    for scope in scopes:
        statements = [stmt for stmt in scope.body
                      if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        own = [n for stmt in statements for n in ast.walk(stmt)]
        bound = {(target.id, n.lineno) for n in own if isinstance(n, ast.Assign) and _is_listing(n.value)
                 for target in n.targets if isinstance(target, ast.Name)}
        listed = {name for name, _ in bound}
        for node in own:
            if isinstance(node, ast.For) and _is_listing(node.iter):
                problems.append(f"{filename}:{node.lineno}: loops over a folder listing directly; "
                                "bind it to a name and assert its count")
        if scope is tree:
            continue  # module constants feed parametrize (empty fails at collection) or functions below
        counted = _counted_names(scope, listed)
        for name, line in sorted(bound):
            if name not in counted:
                problems.append(f"{filename}:{line}: {name!r} lists a folder, and nothing asserts its count")
    return problems


# Not a loop over outputs: finds the PostgreSQL binaries, and says so (None) when there are none.
NOT_OUTPUTS = {"pgserver.py"}


def test_no_loop_over_found_files_passes_on_an_empty_folder():
    """Tests, conftest and the helpers tests call (document_helpers.py reads printed pages, say)."""
    files = sorted(p for p in TESTS.glob("*.py") if p.name not in NOT_OUTPUTS)
    assert len(files) > 60 and TESTS / "conftest.py" in files and TESTS / "document_helpers.py" in files
    problems = [p for path in files for p in uncounted_loops(path.read_text(encoding="utf-8"), path.name)]
    assert problems == []


def test_the_scan_finds_what_it_is_meant_to_find():
    """The guard itself can fail: uncounted loops are reported, counted ones are not."""
    direct = "def test_a(out):\n    for page in out.glob('*.html'):\n        assert 'x' in page.read_text()\n"
    named = "def test_b(out):\n    pages = sorted(out.iterdir())\n    for page in pages:\n        assert page\n"
    counted = "def test_c(out):\n    pages = sorted(out.iterdir())\n    assert len(pages) == 2\n    for p in pages:\n        assert p\n"
    compared = ("def test_d(out):\n    pages = sorted(out.rglob('*'))\n    assert [p.name for p in pages] == ['a']\n"
                "    for p in pages:\n        assert p\n")
    twins = ("def test_f(a, b):\n    first = {p.name: p.read_bytes() for p in a.iterdir()}\n"
             "    assert first == {p.name: p.read_bytes() for p in b.iterdir()}\n")
    module = "import os\nfor name in os.listdir('.'):\n    print(name)\n"
    walked = "import os\ndef test_e():\n    for root, _, names in os.walk('.'):\n        assert names\n"
    assert len(uncounted_loops(direct)) == 1
    assert len(uncounted_loops(named)) == 1
    assert uncounted_loops(counted) == [] and uncounted_loops(compared) == []
    assert len(uncounted_loops(module)) == 1
    assert len(uncounted_loops(walked)) == 1
    assert len(uncounted_loops(twins)) == 1  # two empty folders are equal: that proves nothing


def test_an_empty_parametrisation_fails_instead_of_skipping(pytestconfig):
    """Parameters read from folders (rule cases, examples, schemas, goldens) cannot silently vanish."""
    assert pytestconfig.getini("empty_parameter_set_mark") == "fail_at_collect"


def test_every_hand_written_mutant_still_applies_to_the_code():
    """scripts/mutation.py --known applies each hand-written mutant (the five of issue 15 among them)
    by replacing one exact piece of source; when the code changes, the catalogue must follow, or the
    mutants would silently stop being tried."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("aicomply_mutation_script", TESTS.parent / "scripts" / "mutation.py")
    mutation = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mutation  # its dataclasses look their module up
    spec.loader.exec_module(mutation)
    assert len(mutation.KNOWN) >= 6
    for known in mutation.KNOWN:
        source = (TESTS.parent / known.path).read_text(encoding="utf-8")
        assert source.count(known.old) == 1, f"{known.name}: update KNOWN in scripts/mutation.py to {known.path}"
        assert known.tests and all((TESTS.parent / test).is_file() for test in known.tests), known.name
