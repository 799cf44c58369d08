"""load -> validate -> evaluate, over many files. Never prints, never exits: yields results.

A file that cannot be read or is not a valid declaration becomes a result with error findings,
so one bad file never hides the results of the others; a file that makes aicomply itself fail
becomes such a result too, so one input never stops the run before its reports are written.
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
from compliance.files import Protected, identity
from compliance.gate.discovery import DEFAULT_INCLUDE, Found, discover, display
from compliance.models.result import FileResult, RunInfo
from compliance.models.rules import RulePack

FAIL_ON = ("error", "warning", "info")


@dataclass(frozen=True)
class RunOptions:
    paths: tuple[str, ...]
    include: tuple[str, ...] = DEFAULT_INCLUDE
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
    outputs: tuple[str, ...] = ()  # files the run writes or the config names as outputs: never declarations
    config_file: str | None = None  # the config in use: never a declaration


def check_file(path: Path | str, display: str, pack: RulePack, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One file's result; never raises, so one file can never stop the run before its reports."""
    path = Path(path)
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
    """The file fails the gate (fail closed) with a finding that says whose fault it is; the
    DECL-INTERNAL finding also makes the run exit 2 (Tally.internal)."""
    from compliance.models.result import INTERNAL_RULE, Finding
    from compliance.models.rules import Text
    from compliance.tool_rules import TOOL_RULE_BY_ID

    name = type(exc).__name__
    message = Text(f"aicomply could not check this file (internal error: {name}); the other files were checked. "
                   "Please report it with this file; AICOMPLY_DEBUG=1 shows the traceback",
                   f"aicomply 无法检查该文件（内部错误：{name}）；其他文件已检查。请附上该文件报告此问题；"
                   "设置 AICOMPLY_DEBUG=1 可查看回溯信息")
    finding = Finding(INTERNAL_RULE, "declaration", "error", TOOL_RULE_BY_ID[INTERNAL_RULE].title, message, None)
    return fingerprinted(FileResult(display, hashlib.sha256(raw).hexdigest(), findings=(finding,)))


def check_found(found: Found, pack: RulePack, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One discovered path: checked, or reported as the problem discovery met there."""
    if found.problem is not None:
        return _unreadable(found.display, SourceError(found.problem, Location(found.display)))
    return check_file(found.path, found.display, pack, limits)


def check_bytes(raw: bytes, display: str, kind: str, pack: RulePack, limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """One declaration already in memory; `kind` is 'yaml' or 'json'. Never raises for bad input."""
    from compliance.declaration.facts import is_v1
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
        from compliance.declaration.migrate import upgraded_document  # v1 files only

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
    files = _declarations_only(discover(options.paths, options.include, options.exclude), options)
    if not files:
        raise ToolError(f"no declaration files ({', '.join(options.include)}) under {', '.join(options.paths)}")
    packs = (options.pack, tuple(options.extra_packs))
    pack = load_rules(*packs)
    book = _waiver_book(options, pack)
    baseline = None
    if options.baseline:
        from compliance.gate.baseline import Baseline

        baseline = Baseline.load(options.baseline)
    info = RunInfo(__version__, pack.packs, options.fail_on, pack.rules, baseline=options.baseline, total=len(files),
                   inputs=_inputs(options, files))

    def results() -> Iterator[FileResult]:
        for result in check_files(files, packs, options.limits, options.jobs):
            if book is not None:
                result = book.apply(result)
            yield baseline.apply(result) if baseline is not None else result
        waiver_file = book.file_result() if book is not None else None
        if waiver_file is not None:
            yield baseline.apply(waiver_file) if baseline is not None else waiver_file

    return info, results()


def _declarations_only(files: list[Found], options: RunOptions) -> list[Found]:
    """Drop what a folder scan found that the run uses in another role: the config, the waiver and
    baseline files, and its reports (a report aicomply wrote, at a path the run or the config names
    as an output). A file named on the command line always stays; so does an output path holding
    anything else, which keeps it protected as an input (see report/output.py)."""
    from compliance.report.output import written_by_aicomply

    others = {found for found in (identity(path) for path in (options.config_file, options.waivers, options.baseline)
                                  if path) if found is not None}
    outputs = {found for found in (identity(path) for path in options.outputs) if found is not None}
    if not others and not outputs:
        return files
    kept = []
    for entry in files:
        if not entry.named and entry.problem is None:
            found = entry.identity or identity(entry.path)
            if found in others or (found in outputs and written_by_aicomply(entry.path)):
                continue
        kept.append(entry)
    return kept


def _inputs(options: RunOptions, files: list[Found]) -> Protected:
    """Every file the run reads, so that no output of it is ever written there."""
    from compliance.evaluate.checklists import pack_directory
    from compliance.gate.waivers import WAIVER_FILE

    protected = Protected().add_known(((entry.path, entry.identity) for entry in files if entry.problem is None),
                                      "a declaration this run checks")
    protected.add(options.config_file, "the config file in use")
    protected.add(options.waivers or WAIVER_FILE, "the waiver file in use")
    protected.add(options.baseline, "the baseline in use")
    for name in (options.pack, *options.extra_packs):
        folder = pack_directory(name)
        protected.add_known(((os.path.join(root, file), None) for root, _, names in os.walk(folder) for file in names),
                            "a file of a rule pack in use")
    return protected


# Below this many files per worker, starting processes costs more than it saves.
PARALLEL_MIN_FILES_PER_JOB = 100
_IN_FLIGHT_PER_JOB = 2  # chunks queued per worker: enough to keep them busy, few enough to bound memory


def check_files(files: list[Found], packs: tuple = (None, ()), limits: Limits = DEFAULT_LIMITS,
                jobs: int = 0) -> Iterator[FileResult]:
    """Results in the order of `files`, from worker processes when the run is large enough.

    `packs` is (main pack, extra packs), as load_rules takes them.
    """
    from compliance.evaluate.checklists import load_rules

    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(files) < PARALLEL_MIN_FILES_PER_JOB * 2:
        pack = load_rules(*packs)
        for found in files:
            yield check_found(found, pack, limits)
        return
    yield from _parallel(files, packs, limits, jobs)


class WorkersLost(ToolError):
    """A worker process died (killed by the system, most often for memory): its files have no result."""

    def __init__(self, unchecked: list[str], checked: int) -> None:
        super().__init__(
            f"a worker process stopped before finishing (killed by the system, often for lack of memory); "
            f"{len(unchecked)} file(s) were not checked and no report was written ({checked} were checked); "
            f"run again with fewer --jobs or more memory; not checked: {', '.join(unchecked)}")
        self.unchecked = unchecked


def _parallel(files, packs, limits, jobs) -> Iterator[FileResult]:
    """Chunks of files in worker processes, results yielded in order. A worker that dies (as the OOM
    killer does it) breaks the pool: every file without a result is named (WorkersLost), never
    waited for."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from compliance.evaluate.checklists import load_rules
    from compliance.transfer import unpack_result

    rules = {rule.id: rule for rule in load_rules(*packs).rules}

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    size = max(8, min(64, len(files) // (jobs * 8)))
    chunks = deque(files[start:start + size] for start in range(0, len(files), size))
    lost: list[Found] = []
    checked = 0
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(packs, limits))
    try:
        pending: deque = deque()

        def submit() -> None:
            chunk = chunks.popleft()
            try:
                pending.append((pool.submit(_check_chunk, chunk), chunk))
            except BrokenProcessPool:
                lost.extend(chunk)

        while chunks and len(pending) < jobs * _IN_FLIGHT_PER_JOB:  # fill the window, then keep it full
            submit()
        while pending:
            future, chunk = pending.popleft()
            try:
                packed = future.result()
            except BrokenProcessPool:
                lost.extend(chunk)
                continue
            for item in packed:
                checked += 1
                yield unpack_result(item, rules)
            if chunks and not lost:
                submit()
        for chunk in chunks:
            lost.extend(chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if lost:
        raise WorkersLost([found.display for found in lost], checked)


_WORKER: dict = {}


def _start_worker(packs, limits) -> None:
    from compliance.evaluate.checklists import load_rules

    _WORKER["pack"] = load_rules(*packs)
    _WORKER["limits"] = limits


def _check_chunk(chunk) -> list[tuple]:
    from compliance.transfer import pack_result

    return [pack_result(check_found(found, _WORKER["pack"], _WORKER["limits"])) for found in chunk]


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
    present = os.path.lexists(path)  # a pipe or a broken link is read, and refused, rather than passed over
    if options.waivers and not present:
        raise ToolError(f"{options.waivers}: no such waiver file")
    file_waivers = load_waiver_file(path, display(path)) if present else ()
    today = options.today or date.today()
    return WaiverBook(file_waivers, rules_by_id(pack.rules), today, display(path) if present else None)
