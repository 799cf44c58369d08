"""The files aicomply writes and reads: one place decides what may be written where.

Every command that writes a file plans it with `plan()` before any work can be lost, then writes
it through `Staged` (or `write_atomic` for a single file). The rules, the same for every command:

- never onto a file the run reads or the register in use (`Protected`), compared by identity
  (device and inode: symlinks and hard links are seen through) and by resolved path, whatever
  `overwrite` (--force) says;
- never over an existing file without `overwrite`; a dangling symlink counts as existing;
- a new file gets the mode the umask gives (0644 under 022); a replaced file keeps its mode;
- a symlink is written through to the file it points at, never replaced by a file;
- character devices and named pipes (/dev/null, a terminal, a shell's `>(cmd)`) are written
  through, and a path naming one of this process's descriptors (/dev/stdout, /dev/fd/N,
  /proc/self/fd/N, or a symlink to one) writes to that descriptor, as the shell would; folders,
  block devices and sockets are refused;
- a regular file is written to a temporary file beside it and renamed into place only when
  complete, so readers never see half a file and a failure leaves the old file as it was.

Reading (`read_regular`): only regular files are read; a named pipe, a device or a socket named as
input is refused at once instead of blocking the run.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from compliance.errors import AicomplyError, Location, SourceError, ToolError

Identity = tuple[int, int]  # (st_dev, st_ino): the same file under any name


class FileExists(AicomplyError):
    """The target exists and overwriting was not asked for."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} already exists; pass --force to replace it")
        self.path = path


class WriteRefused(ToolError):
    """The target must not be written at all: an input of the run, the register, a folder, a device."""


# ------------------------------------------------------------------------------------ reading

def kind_of(mode: int) -> str:
    """What a file is, in words, from its st_mode."""
    for test, name in ((stat.S_ISREG, "regular file"), (stat.S_ISDIR, "folder"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISFIFO, "named pipe"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISLNK, "symlink")):
        if test(mode):
            return name
    return "special file"


def read_regular(path: str | Path, display: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most limit + 1 of them), or a SourceError saying why not.

    The file is opened without blocking and checked on the open descriptor, so a named pipe never
    hangs the run and a file swapped between a check and the open is still seen for what it is.
    """
    where = Location(display)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except IsADirectoryError:
        raise SourceError("is a directory, not a file", where) from None
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror or exc})", where) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError("is a directory, not a file", where)
        if not stat.S_ISREG(mode):
            raise SourceError(f"is a {kind_of(mode)}, not a regular file; only regular files are read", where)
        chunks, size = [], 0
        while limit is None or size <= limit:
            chunk = os.read(descriptor, 1 << 20 if limit is None else min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror or exc})", where) from None
    finally:
        os.close(descriptor)


def identity(path: str | Path) -> Identity | None:
    """The file a path leads to (symlinks followed), or None when there is none."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def printable(path: str | Path) -> str:
    """A path as text any report, terminal or register can hold: bytes that are not UTF-8 (which
    the OS hands Python as lone surrogates) shown as \\x escapes."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")
    return text


# ---------------------------------------------------------------------------------- protected

def _real(path: str | Path) -> str:
    return os.path.realpath(os.path.abspath(path))


class Protected:
    """Files a command must never write onto: what it reads, and the register it uses.

    Paths added in bulk (a run's declarations) are resolved only when a target that already
    exists has to be compared with them, so a run that writes new files pays nothing.
    """

    def __init__(self) -> None:
        self._identities: dict[Identity, str] = {}
        self._paths: dict[str, str] = {}
        self._pending: list[tuple[Iterable, str]] = []  # (path, identity or None) pairs, with their role

    def add(self, path: str | Path | None, role: str) -> Protected:
        if path is not None:
            self._paths.setdefault(_real(path), role)
            found = identity(path)
            if found is not None:
                self._identities.setdefault(found, role)
        return self

    def add_register(self, path: str | Path | None) -> Protected:
        """The register, and the files SQLite keeps beside it (a database server's URL names no file)."""
        if path is not None and "://" not in str(path):
            for suffix in ("", "-wal", "-shm", "-journal"):
                self.add(f"{path}{suffix}", "the register in use")
        return self

    def add_known(self, identities: Iterable[tuple[str, Identity | None]], role: str) -> Protected:
        """Files whose identity is already known (discovery reads it from the folder listing)."""
        self._pending.append((identities, role))
        return self

    def merged(self, other: Protected | None) -> Protected:
        """Both sets as one."""
        both = Protected()
        for each in (self, other) if other is not None else (self,):
            for key, role in each._identities.items():
                both._identities.setdefault(key, role)
            for key, role in each._paths.items():
                both._paths.setdefault(key, role)
            both._pending += each._pending
        return both

    def role_of(self, real: str, found: Identity | None) -> str | None:
        """Why the file at `real` (or with identity `found`) must not be written, or None."""
        if real in self._paths:
            return self._paths[real]
        if found is None:
            return None
        for index, (items, role) in enumerate(self._pending):
            if not isinstance(items, list):  # listed on first need, then kept for the next target
                items = list(items)
                self._pending[index] = (items, role)
            for path, known in items:
                if known == found or (known is None and identity(path) == found):
                    return role
        return self._identities.get(found)


# ------------------------------------------------------------------------------------ planning

NEW, REPLACE, THROUGH, DESCRIPTOR = "new", "replace", "through", "descriptor"
_DESCRIPTOR_PATH = re.compile(r"/(?:proc/(?:self|thread-self|(\d+))|dev)/fd/(\d+)")
_STANDARD = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


@dataclass(frozen=True)
class Target:
    """A planned write: how, and to what."""

    path: str  # as the user gave it (for messages)
    how: str  # NEW, REPLACE, THROUGH (a device or pipe) or DESCRIPTOR (one of ours)
    real: str  # the file written: a symlink's target, resolved
    mode: int | None = None  # the mode a replaced file keeps
    owner: tuple[int, int] | None = None  # the owner a replaced file keeps (where we may set it)
    descriptor: int | None = None


def decide(found: os.stat_result) -> str:
    """How to write onto an existing file, from its (symlink-followed) stat: THROUGH for character
    devices and named pipes, REPLACE for regular files; anything else is refused."""
    if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        return THROUGH
    if stat.S_ISREG(found.st_mode):
        return REPLACE
    raise WriteRefused(f"is a {kind_of(found.st_mode)}; name a file")


def own_descriptor(path: str) -> int | None:
    """The descriptor number a path names in this process (/dev/stdout, /dev/fd/3, /proc/self/fd/3,
    or a chain of symlinks ending at one), or None."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlink hops
        if current in _STANDARD:
            return _STANDARD[current]
        match = _DESCRIPTOR_PATH.fullmatch(current)
        if match and (match.group(1) is None or int(match.group(1)) == os.getpid()):
            return int(match.group(2))
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


def plan(path: str | Path, overwrite: bool = False, protected: Protected | None = None,
         replaceable: Callable[[str], bool] | None = None) -> Target:
    """Decide how to write `path`, or refuse (WriteRefused, FileExists) before anything is written.

    `replaceable(real)` may allow replacing an existing file without `overwrite` (a report the
    same command wrote before).
    """
    given = os.fspath(path)
    protected = protected or Protected()
    descriptor = own_descriptor(given)
    if descriptor is not None:
        try:
            found = os.fstat(descriptor)
        except OSError:
            raise WriteRefused(f"{given}: descriptor {descriptor} is not open") from None
        _refuse_protected(given, "", (found.st_dev, found.st_ino), protected)
        return Target(given, DESCRIPTOR, given, descriptor=descriptor)
    try:
        link = os.lstat(given)
    except FileNotFoundError:
        return _new(given, protected)
    except OSError as exc:
        raise WriteRefused(f"{given}: cannot write here ({exc.strerror or exc})") from None
    real = _real(given)
    if stat.S_ISLNK(link.st_mode):
        try:
            found = os.stat(given)
        except FileNotFoundError:
            if not overwrite:
                raise FileExists(given) from None
            raise WriteRefused(f"{given}: is a symlink to {os.readlink(given)}, which does not exist; "
                               "remove the link or name another file") from None
        except OSError as exc:
            raise WriteRefused(f"{given}: cannot follow the symlink ({exc.strerror or exc})") from None
    else:
        found = link
    _refuse_protected(given, real, (found.st_dev, found.st_ino), protected)
    try:
        how = decide(found)
    except WriteRefused as exc:
        raise WriteRefused(f"{given}: {exc}") from None
    if how == THROUGH:
        return Target(given, THROUGH, given)
    if not overwrite and not (replaceable is not None and replaceable(real)):
        raise FileExists(given)
    return Target(given, REPLACE, real, stat.S_IMODE(found.st_mode), (found.st_uid, found.st_gid))


def _new(given: str, protected: Protected) -> Target:
    folder = os.path.dirname(given) or "."
    if not os.path.isdir(folder):
        raise WriteRefused(f"{given}: folder {folder} does not exist")
    real = _real(given)
    _refuse_protected(given, real, None, protected)
    return Target(given, NEW, real)


def _refuse_protected(given: str, real: str, found: Identity | None, protected: Protected) -> None:
    role = protected.role_of(real, found)
    if role is not None:
        raise WriteRefused(f"{given}: is {role}; aicomply never writes over it (--force does not change "
                           "that); name another file")


def plan_all(paths: Iterable[str | Path], overwrite: bool = False, protected: Protected | None = None,
             replaceable: Callable[[str], bool] | None = None) -> list[Target]:
    """Plan several files at once; the same file named twice is refused (its second report would
    silently replace the first)."""
    targets: list[Target] = []
    seen: dict[str, str] = {}
    for path in paths:
        target = plan(path, overwrite, protected, replaceable)
        if target.how in (THROUGH, DESCRIPTOR):  # /dev/null twice is fine
            targets.append(target)
            continue
        if target.real in seen:
            raise WriteRefused(f"{target.path}: named twice as an output (also as {seen[target.real]}); each output "
                               "needs its own file")
        seen[target.real] = target.path
        targets.append(target)
    return targets


# ------------------------------------------------------------------------------------ writing

class Staged:
    """One planned file being written: text goes to `stream`; `commit()` puts it in place,
    `discard()` leaves no trace. A regular file is staged beside its target; a device, a pipe
    or a descriptor gets the whole text at commit, from an anonymous spool file."""

    def __init__(self, target: Target, binary: bool = False) -> None:
        self.target = target
        self._temporary: str | None = None
        text_mode = {} if binary else {"encoding": "utf-8", "newline": "\n"}  # binary: a Word or PDF document
        if target.how in (NEW, REPLACE):
            descriptor, self._temporary = _create_beside(target)
            self.stream = os.fdopen(descriptor, "wb" if binary else "w", **text_mode)
        else:
            self.stream = tempfile.TemporaryFile("w+b" if binary else "w+", **text_mode)

    def commit(self) -> None:
        target = self.target
        try:
            if target.how in (NEW, REPLACE):
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
                if target.how == REPLACE:
                    os.replace(self._temporary, target.real)
                else:
                    _link_new(self._temporary, target)
                self._temporary = None
            else:
                self.stream.flush()
                self.stream.seek(0)
                _write_through(target, self.stream)
                self.stream.close()
        except OSError as exc:
            self.discard()
            raise ToolError(f"{target.path}: cannot write it ({exc.strerror or exc})") from None

    def discard(self) -> None:
        if not self.stream.closed:
            self.stream.close()
        if self._temporary is not None:
            try:
                os.unlink(self._temporary)
            except FileNotFoundError:
                pass
            self._temporary = None


def _create_beside(target: Target) -> tuple[int, str]:
    """A new temporary file in the target's folder: mode 0666 less the umask for a new file (as
    any program creating a file gets), the old mode and owner for a replaced one."""
    folder = os.path.dirname(target.real) or "."
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = os.path.join(folder, f".{os.path.basename(target.real)}.{os.urandom(6).hex()}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o666 if target.how == NEW else 0o600)
            break
        except FileExistsError:
            continue
        except OSError as exc:
            raise ToolError(f"{target.path}: cannot write here ({exc.strerror or exc})") from None
    else:  # pragma: no cover - 100 collisions of 48 random bits
        raise ToolError(f"{target.path}: cannot make a temporary file beside it")
    if target.how == REPLACE:
        try:
            if target.owner is not None and hasattr(os, "fchown"):
                try:
                    os.fchown(descriptor, *target.owner)
                except PermissionError:
                    pass  # only root may give a file away; the mode is still kept
            os.fchmod(descriptor, target.mode)
        except OSError as exc:
            os.close(descriptor)
            os.unlink(temporary)
            raise ToolError(f"{target.path}: cannot keep its mode ({exc.strerror or exc})") from None
    return descriptor, temporary


def _link_new(temporary: str, target: Target) -> None:
    """Publish a new file only if nothing has appeared at the target meanwhile."""
    try:
        os.link(temporary, target.real)
    except FileExistsError:
        os.unlink(temporary)
        raise FileExists(target.path) from None
    except OSError:  # a file system without hard links: an exclusive create, then copy
        try:
            with open(target.real, "xb") as stream, open(temporary, "rb") as source:
                stream.write(source.read())
        except FileExistsError:
            os.unlink(temporary)
            raise FileExists(target.path) from None
    os.unlink(temporary)


def _write_through(target: Target, spool) -> None:
    """Write the spooled text into a device, a pipe or one of our descriptors."""
    if target.how == DESCRIPTOR:
        descriptor = os.dup(target.descriptor)
    else:
        flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        descriptor = os.open(target.path, flags)  # a named pipe waits for its reader, as `>` does
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped since it was planned
            os.close(descriptor)
            raise WriteRefused(f"{target.path}: changed into a {kind_of(mode)} while aicomply ran; nothing "
                               "was written")
    try:
        while True:
            data = spool.read(1 << 16)
            if not data:
                break
            view = memoryview(data if isinstance(data, bytes) else data.encode("utf-8"))
            while view:
                view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def commit_all(staged: list[Staged]) -> None:
    """Put every staged file in place, or none: a failure part-way removes the new files already
    published (a replaced file cannot be brought back, which is why every file is fully staged
    before the first is committed)."""
    done: list[Staged] = []
    try:
        for item in staged:
            item.commit()
            done.append(item)
    except BaseException:
        for item in staged:
            if item not in done:
                item.discard()
        for item in done:
            if item.target.how == NEW:
                try:
                    os.unlink(item.target.real)
                except OSError:
                    pass
        raise


def write_all(items: list[tuple[Target, str | bytes]]) -> None:
    """Write planned files (text, or the bytes of a Word or PDF document), all of them or none."""
    staged: list[Staged] = []
    try:
        for target, text in items:
            item = Staged(target, binary=isinstance(text, bytes))
            staged.append(item)
            item.stream.write(text)
    except BaseException:
        for item in staged:
            item.discard()
        raise
    commit_all(staged)


def write_atomic(path: str | Path, text: str, overwrite: bool = False, protected: Protected | None = None) -> None:
    """Write one file by the rules above. Without `overwrite`, an existing file is left untouched and
    FileExists is raised."""
    write_all([(plan(path, overwrite, protected), text)])


def make_folder(path: str | Path) -> None:
    """A folder for outputs, with its parents (modes from the umask)."""
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        raise WriteRefused(f"{path}: exists and is not a folder") from None
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot create the folder ({exc.strerror or exc})") from None
