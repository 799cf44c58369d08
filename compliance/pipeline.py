"""load -> validate -> evaluate, over many files. Never prints, never exits: yields results.

A file that cannot be read or is not a valid declaration becomes a result with error findings,
so one bad file never hides the results of the others.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterator

from compliance import __version__
from compliance.declaration.load import (
    DEFAULT_LIMITS,
    Document,
    Limits,
    parse_document,
    read_bytes,
)
from compliance.errors import Location, SourceError, ToolError
from compliance.models.result import FileResult, RunInfo
from compliance.models.rules import RulePack

_NOT_DECLARATIONS = {"aicomply.yaml"}  # the config file lives among declarations
FAIL_ON = ("error", "warning", "info")


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[str, ...]
    include: tuple[str, ...] = ("*.yaml", "*.yml", "*.json")
    exclude: tuple[str, ...] = ()
    fail_on: str = "error"
    pack: str | None = None  # a bundled pack name or a folder; None: the default pack
    extra_packs: tuple[str, ...] = ()  # an organisation's own packs (folders), added to the main one
    limits: Limits = DEFAULT_LIMITS
    jobs: int = 0  # worker processes; 0: one per core (a single process for small runs)
    waivers: str | None = None  # a waiver file; None: .aicomply-waivers.yaml here, if there is one
    use_waivers: bool = True  # False: report every finding, for audits
    today: date | None = None  # the date waivers are judged on; None: today
    baseline: str | None = None  # report only findings not in this baseline file


def discover(paths: tuple[str, ...], include: tuple[str, ...] = ("*.yaml", "*.yml", "*.json"),
             exclude: tuple[str, ...] = ()) -> list[tuple[Path, str]]:
    """Declaration files under the given paths, as (path, display name), sorted and unique.

    Folders are searched recursively for files matching `include`, skipping hidden folders and
    files, and what `exclude` or a `.aicomplyignore` file in the folder scanned says
    (.gitignore-style). A file named on the command line is always checked.
    A path that does not exist is a usage error.
    """
    found: dict[str, Path] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path, include, _patterns(path, exclude)):
                found.setdefault(_display(file), file)
        elif path.exists():
            found.setdefault(_display(path), path)
        else:
            raise ToolError(f"{given}: no such file or directory")
    return sorted(((file, name) for name, file in found.items()), key=lambda pair: pair[1])


def _patterns(root: Path, exclude: tuple[str, ...]):
    from compliance.gate.ignore import IGNORE_FILE, compile_patterns

    lines = list(exclude)
    ignore_file = root / IGNORE_FILE
    if ignore_file.is_file():
        lines += ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return compile_patterns(lines)


def _walk(directory: Path, include: tuple[str, ...], patterns) -> Iterator[Path]:
    from fnmatch import fnmatch

    from compliance.gate.ignore import ignored

    for root, dirs, files in os.walk(directory):
        base = Path(root).relative_to(directory)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not ignored((base / d).as_posix(), True, patterns))
        for name in sorted(files):
            if name.startswith(".") or name in _NOT_DECLARATIONS or not any(fnmatch(name, glob) for glob in include):
                continue
            if not ignored((base / name).as_posix(), False, patterns):
                yield Path(root) / name


def _display(path: Path) -> str:
    """The path as the user will read it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_file(path: Path, display: str, pack: RulePack, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One file's result; never raises, so one file can never stop the run before its reports."""
    try:
        raw = read_bytes(path, display, limits)
    except SourceError as exc:
        return _unreadable(display, exc)
    try:
        return check_bytes(raw, display, "json" if path.suffix.lower() == ".json" else "yaml", pack, limits)
    except Exception as exc:  # noqa: BLE001 - a bug in aicomply: this file fails, the others are still checked
        if os.environ.get("AICOMPLY_DEBUG"):
            raise
        return _failed_internally(display, raw, exc)


def _failed_internally(display: str, raw: bytes, exc: Exception) -> FileResult:
    """The file fails the gate (fail closed) with a finding that says whose fault it is."""
    message = (f"aicomply could not check this file (internal error: {type(exc).__name__}); the other files "
               "were checked. Please report it with this file; AICOMPLY_DEBUG=1 shows the traceback")
    error = SourceError(message, Location(display))
    return fingerprinted(replace(_unreadable(display, error), sha256=hashlib.sha256(raw).hexdigest()))


def check_bytes(raw: bytes, display: str, kind: str, pack: RulePack, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One declaration already in memory; `kind` is 'yaml' or 'json'. Never raises for bad input."""
    from compliance.declaration.migrate import is_v1, upgraded_document
    from compliance.declaration.validate import v1_notice, validate_declaration
    from compliance.evaluate import evaluate

    try:
        document = parse_document(raw, display, kind, limits)
    except SourceError as exc:
        return fingerprinted(_unreadable(display, exc))
    problems = validate_declaration(document)
    if problems:
        invalid = FileResult(display, document.sha256, product_id=_product_id(document), findings=tuple(problems))
        return fingerprinted(invalid)
    notices: tuple = ()
    if is_v1(document.data):
        document, _ = upgraded_document(document)
        notices = (v1_notice(),)
    result = evaluate(document, pack)
    if notices:
        result = replace(result, findings=notices + result.findings)
    if document.data.get("waivers"):
        from compliance.gate.waivers import declared_waivers

        result = replace(result, waivers=declared_waivers(document, result.product_id))
    return fingerprinted(result)


def fingerprinted(result: FileResult) -> FileResult:
    """Give each finding a stable fingerprint: the product (or path), rule and fact, not the line,
    so baselines and SARIF consumers still recognise a finding after unrelated edits."""
    identity = result.product_id or result.path
    findings = tuple(
        replace(finding, fingerprint=_digest(identity, finding.rule_id, finding.fact or "",
                                             finding.message.en if finding.kind == "declaration" else ""))
        for finding in result.findings
    )
    return replace(result, findings=findings)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:32]


def _unreadable(display: str, exc: SourceError) -> FileResult:
    from compliance.declaration.validate import load_failure

    location = exc.location
    return FileResult(display, None, findings=(load_failure(exc.message, location.line, location.column),))


def _product_id(document: Document) -> str | None:
    data = document.data
    product = data.get("product") if isinstance(data, dict) else None
    value = product.get("id") if isinstance(product, dict) else None
    return value if isinstance(value, str) else None


def run(options: RunOptions) -> tuple[RunInfo, Iterator[FileResult]]:
    """The run's RunInfo and its results, in path order, produced as they are consumed.

    Waivers are applied as results pass; the waiver file's own problems come last.
    """
    from compliance.evaluate.checklists import load_rules

    if options.fail_on not in FAIL_ON:
        raise ToolError(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    files = discover(options.paths, options.include, options.exclude)
    if not files:
        raise ToolError(f"no declaration files (*.yaml, *.yml, *.json) under {', '.join(options.paths)}")
    packs = (options.pack, tuple(options.extra_packs))
    pack = load_rules(*packs)
    book = _waiver_book(options, pack)
    baseline = None
    if options.baseline:
        from compliance.gate.baseline import Baseline

        baseline = Baseline.load(options.baseline)
    info = RunInfo(__version__, pack.packs, options.fail_on, pack.rules, baseline=options.baseline, total=len(files))

    def results() -> Iterator[FileResult]:
        for result in check_files(files, packs, options.limits, options.jobs):
            if book is not None:
                result = book.apply(result)
            yield baseline.apply(result) if baseline is not None else result
        waiver_file = book.file_result() if book is not None else None
        if waiver_file is not None:
            yield baseline.apply(waiver_file) if baseline is not None else waiver_file

    return info, results()


# Below this many files per worker, starting processes costs more than it saves.
PARALLEL_MIN_FILES_PER_JOB = 100
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep them busy, few enough to bound memory


def check_files(files: list[tuple[Path, str]], packs: tuple = (None, ()), limits: Limits = DEFAULT_LIMITS,
                jobs: int = 0) -> Iterator[FileResult]:
    """Results in the order of `files`, from worker processes when the run is large enough.

    `packs` is (main pack, extra packs), as load_rules takes them.
    """
    from compliance.evaluate.checklists import load_rules

    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(files) < PARALLEL_MIN_FILES_PER_JOB * 2:
        pack = load_rules(*packs)
        for path, display in files:
            yield check_file(path, display, pack, limits)
        return
    yield from _parallel(files, packs, limits, jobs)


def _parallel(files, packs, limits, jobs) -> Iterator[FileResult]:
    import multiprocessing
    from collections import deque

    from compliance.evaluate.checklists import load_rules
    from compliance.transfer import unpack_result

    rules = {rule.id: rule for rule in load_rules(*packs).rules}

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    size = max(8, min(64, len(files) // (jobs * 8)))
    chunks = [files[start:start + size] for start in range(0, len(files), size)]
    with context.Pool(jobs, initializer=_start_worker, initargs=(packs, limits)) as pool:
        pending: deque = deque()
        upcoming = iter(chunks)
        for chunk in upcoming:  # fill the window, then keep it full as chunks complete
            pending.append(pool.apply_async(_check_chunk, (chunk,)))
            if len(pending) >= jobs * _IN_FLIGHT_PER_JOB:
                break
        while pending:
            for packed in pending.popleft().get():
                yield unpack_result(packed, rules)
            chunk = next(upcoming, None)
            if chunk is not None:
                pending.append(pool.apply_async(_check_chunk, (chunk,)))


_WORKER: dict = {}


def _start_worker(packs, limits) -> None:
    from compliance.evaluate.checklists import load_rules

    _WORKER["pack"] = load_rules(*packs)
    _WORKER["limits"] = limits


def _check_chunk(chunk) -> list[tuple]:
    from compliance.transfer import pack_result

    return [pack_result(check_file(path, display, _WORKER["pack"], _WORKER["limits"])) for path, display in chunk]


def _waiver_book(options: RunOptions, pack: RulePack):
    if not options.use_waivers:
        return None
    from compliance.gate.waivers import (
        WAIVER_FILE,
        WaiverBook,
        load_waiver_file,
        rules_by_id,
    )

    path = Path(options.waivers) if options.waivers else Path(WAIVER_FILE)
    if options.waivers and not path.is_file():
        raise ToolError(f"{options.waivers}: no such waiver file")
    file_waivers = load_waiver_file(path, _display(path)) if path.is_file() else ()
    today = options.today or date.today()
    return WaiverBook(file_waivers, rules_by_id(pack.rules), today, _display(path) if path.is_file() else None)
