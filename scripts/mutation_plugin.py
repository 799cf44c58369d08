"""A pytest plugin that scripts/mutation.py loads (-p mutation_plugin) into mutmut's test runs only.

mutmut forks each mutant's test run from a process that has already run the tests once. Three things
would hide a mutant or blur its verdict:

- caches: rule packs and schemas are compiled once per process (functools caches), so a mutant of
  the condition compiler would be tested against conditions compiled without it. Every cache of an
  aicomply module is emptied when a test session starts, so each run compiles afresh.
- chance: a property (hypothesis) drawing other examples in each run would kill a mutant in one run
  and not the next; properties run derandomized here, without the example database, so a
  mutant's verdict repeats.
- imports: a mutant that breaks loading makes collection fail, which pytest reports as an error or
  a usage error (exit 2 or 4) and mutmut files as a timeout or an interruption. The tests did fail:
  report it as a failure (exit 1), which mutmut counts as killed.
"""

from __future__ import annotations

import sys

import pytest
from hypothesis import settings

settings.register_profile("aicomply-mutation", derandomize=True, database=None)
settings.load_profile("aicomply-mutation")

_collection_failed = False


def pytest_sessionstart(session):
    global _collection_failed
    _collection_failed = False
    for name, module in list(sys.modules.items()):
        if name == "compliance" or name.startswith("compliance."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear) and getattr(value, "__module__", "").startswith("compliance"):
                    clear()


def pytest_collectreport(report):
    global _collection_failed
    if report.failed:
        _collection_failed = True


def pytest_sessionfinish(session, exitstatus):
    if _collection_failed and exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.USAGE_ERROR):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
