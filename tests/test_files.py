"""compliance.files, the one place that decides where aicomply may write and what it reads
(issue 9 items 1, 5, 6, 16). Special files are made here (a FIFO, pipes we own); no test writes
to a real device: the decision for /dev/null is checked on its os.stat result only."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from compliance.errors import SourceError
from compliance.files import (
    DESCRIPTOR,
    NEW,
    REPLACE,
    THROUGH,
    FileExists,
    Protected,
    WriteRefused,
    decide,
    own_descriptor,
    plan,
    plan_all,
    read_regular,
    write_atomic,
)


@pytest.fixture()
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ----------------------------------------------------------------------------- modes (item 6)

def test_a_new_file_follows_the_umask(tmp_path, umask_022):
    target = tmp_path / "new.txt"
    write_atomic(target, "hello\n")
    assert target.read_text(encoding="utf-8") == "hello\n"
    assert _mode(target) == 0o644
    os.umask(0o077)
    write_atomic(tmp_path / "private.txt", "x")
    assert _mode(tmp_path / "private.txt") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "private.txt"]  # no temporary left


def test_a_replaced_file_keeps_its_mode(tmp_path, umask_022):
    for mode in (0o644, 0o640, 0o664):
        target = tmp_path / f"kept-{mode:o}.txt"
        target.write_text("old", encoding="utf-8")
        target.chmod(mode)
        write_atomic(target, "new", overwrite=True)
        assert target.read_text(encoding="utf-8") == "new"
        assert _mode(target) == mode


def test_a_symlink_is_written_through_and_kept(tmp_path, umask_022):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    write_atomic(link, "new", overwrite=True)
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert real.read_text(encoding="utf-8") == "new" and _mode(real) == 0o640


# ------------------------------------------------------------------ never over a file (item 1)

def test_an_existing_file_needs_overwrite(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(FileExists, match="pass --force"):
        write_atomic(target, "other")
    assert target.read_text(encoding="utf-8") == "precious"


def test_protected_files_are_refused_by_any_name_even_with_overwrite(tmp_path):
    source = tmp_path / "p.yaml"
    source.write_text("declared", encoding="utf-8")
    hard = tmp_path / "hard.yaml"
    os.link(source, hard)
    soft = tmp_path / "soft.yaml"
    soft.symlink_to(source)
    sub = tmp_path / "sub"
    sub.mkdir()
    guard = Protected().add(source, "an input of the run")
    for name in (source, hard, soft, sub / ".." / "p.yaml"):
        with pytest.raises(WriteRefused, match="is an input of the run; aicomply never writes over it"):
            write_atomic(name, "clobbered", overwrite=True, protected=guard)
    assert source.read_text(encoding="utf-8") == "declared"


def test_known_identities_are_compared_without_a_stat_per_file(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("a", encoding="utf-8")
    found = os.stat(source)
    lazy = ((path, (found.st_dev, found.st_ino)) for path in [str(source)])  # as the pipeline passes them
    guard = Protected().add_known(lazy, "a declaration this run checks")
    for _ in range(2):  # asked again for a second output: still protected
        with pytest.raises(WriteRefused, match="a declaration this run checks"):
            plan(source, overwrite=True, protected=guard)
    assert plan(tmp_path / "b.yaml", protected=guard).how == NEW


def test_the_register_and_its_sqlite_files_are_protected_before_they_exist(tmp_path):
    register = tmp_path / "register.db"
    guard = Protected().add_register(register)
    for name in ("register.db", "register.db-wal", "register.db-journal"):
        with pytest.raises(WriteRefused, match="the register in use"):
            plan(tmp_path / name, protected=guard)


def test_a_dangling_symlink_counts_as_existing(tmp_path):
    link = tmp_path / "doc.md"
    link.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(FileExists):
        plan(link)
    with pytest.raises(WriteRefused, match="which does not exist"):
        plan(link, overwrite=True)
    assert not (tmp_path / "nowhere.md").exists() and link.is_symlink()


def test_folders_and_missing_folders_are_refused(tmp_path):
    with pytest.raises(WriteRefused, match="is a folder"):
        plan(tmp_path, overwrite=True)
    with pytest.raises(WriteRefused, match="does not exist"):
        plan(tmp_path / "no" / "file.txt")


def test_one_file_named_twice_is_refused(tmp_path):
    (tmp_path / "r.json").write_text("", encoding="utf-8")
    (tmp_path / "alias.json").symlink_to("r.json")
    with pytest.raises(WriteRefused, match="named twice"):
        plan_all([tmp_path / "r.json", tmp_path / "alias.json"], overwrite=True)


def test_a_replacement_may_be_allowed_by_content(tmp_path):
    ours = tmp_path / "ours.txt"
    ours.write_text("ours", encoding="utf-8")
    assert plan(ours, replaceable=lambda real: open(real).read() == "ours").how == REPLACE
    with pytest.raises(FileExists):
        plan(ours, replaceable=lambda real: False)


# --------------------------------------------------------------------- special files (item 5)

def test_the_decision_for_devices_pipes_and_files():
    """On stat results only: /dev/null is never opened here."""
    assert decide(os.stat("/dev/null")) == THROUGH  # a character device
    read_end, write_end = os.pipe()
    try:
        assert decide(os.fstat(read_end)) == THROUGH  # a pipe
    finally:
        os.close(read_end)
        os.close(write_end)
    assert decide(os.stat(__file__)) == REPLACE
    with pytest.raises(WriteRefused, match="is a folder"):
        decide(os.stat(os.path.dirname(__file__)))


def test_paths_naming_our_descriptors():
    assert own_descriptor("/dev/stdout") == 1
    assert own_descriptor("/dev/stderr") == 2
    assert own_descriptor("/dev/fd/7") == 7
    assert own_descriptor("/proc/self/fd/9") == 9
    assert own_descriptor(f"/proc/{os.getpid()}/fd/4") == 4
    assert own_descriptor("/proc/1/fd/4") is None  # another process's
    assert own_descriptor("/tmp/report.json") is None


def _reader(path, into: list) -> threading.Thread:
    def read():
        with open(path, "rb") as stream:
            into.append(stream.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_and_a_symlink_to_it_are_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link.json"
    link.symlink_to(fifo)
    for name in (fifo, link):
        assert plan(name).how == THROUGH  # no --force needed: nothing is replaced
        received: list[bytes] = []
        thread = _reader(fifo, received)
        write_atomic(name, "report\n")
        thread.join(10)
        assert received == [b"report\n"]
        assert stat.S_ISFIFO(os.stat(fifo).st_mode) and link.is_symlink()


def test_a_descriptor_path_and_a_symlink_to_it_write_to_that_descriptor(tmp_path):
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout-like.json"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        for name in (f"/proc/self/fd/{write_end}", f"/dev/fd/{write_end}", str(link)):
            target = plan(name)
            assert (target.how, target.descriptor) == (DESCRIPTOR, write_end)
            write_atomic(name, "line\n")
            assert os.read(read_end, 100) == b"line\n"
        assert link.is_symlink() and os.readlink(link) == f"/proc/self/fd/{write_end}"
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_closed_descriptor_is_refused():
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.close(write_end)
    with pytest.raises(WriteRefused, match=f"descriptor {write_end} is not open"):
        plan(f"/proc/self/fd/{write_end}")


# -------------------------------------------------------------------- reading (item 16)

def test_only_regular_files_are_read_and_a_fifo_never_blocks(tmp_path):
    fifo = tmp_path / "decl.yaml"
    os.mkfifo(fifo)  # no writer: opening it for a blocking read would wait forever
    with pytest.raises(SourceError, match="is a named pipe, not a regular file"):
        read_regular(fifo, "decl.yaml")
    with pytest.raises(SourceError, match="is a directory"):
        read_regular(tmp_path, "folder")
    (tmp_path / "ok.yaml").write_bytes(b"x" * 10)
    assert read_regular(tmp_path / "ok.yaml", "ok.yaml", limit=4) == b"xxxxx"  # limit + 1, to tell "too big"
