"""Where a command writes a file (``--out``, ``--trace-out``): never over the records, whole or
not at all, and one line naming the file when it cannot be written.

- the records file (and its ``-wal``/``-shm``) and any existing SQLite file are refused;
- a regular file is written to a temporary name beside it and renamed into place, so a failed
  write leaves the old file (or nothing), never half a file;
- a device or pipe (``/dev/stdout``) is written as it is, and a full one is one line too.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from sim.errors import DeskTrainerError
from trainer.words import tr

__all__ = ["SQLITE_MAGIC", "check_target", "is_sqlite", "write_file"]

SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    """Whether ``path`` is an existing SQLite database file."""
    try:
        with path.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(out: str | Path, db: str | Path | None) -> Path:
    """``out`` if a command may write it; else one line saying why not."""
    from records.common import default_db, is_server

    path = Path(out)
    target = db or default_db()
    records = None if is_server(target) else Path(target)  # a server's records are no file
    guarded = (
        [records, *(records.with_name(records.name + s) for s in ("-wal", "-shm"))]
        if records is not None
        else []
    )
    if any(_same(path, g) or path.absolute() == g.absolute() for g in guarded) or (
        path.is_file() and is_sqlite(path)
    ):
        raise DeskTrainerError(tr("outputs.is_records", file=str(out)))
    if path.is_dir():
        raise DeskTrainerError(tr("outputs.is_folder", file=str(out)))
    folder = path.parent
    if not folder.is_dir():
        raise DeskTrainerError(tr("outputs.no_folder", file=str(out), folder=str(folder)))
    return path


def _fail(out: str | Path, exc: OSError) -> DeskTrainerError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DeskTrainerError(tr("outputs.disk_full", file=str(out)))
    if exc.errno == errno.ENOENT:
        folder = str(Path(out).parent)
        return DeskTrainerError(tr("outputs.no_folder", file=str(out), folder=folder))
    error = exc.strerror or str(exc)
    return DeskTrainerError(tr("outputs.cannot_write", file=str(out), error=error))


def write_file(
    out: str | Path, data: str | bytes, *, db: str | Path | None, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``out`` (checked by :func:`check_target`), whole or not at all."""
    path = check_target(out, db)
    raw = data.encode(encoding) if isinstance(data, str) else data
    try:
        mode = path.stat().st_mode if path.exists() else None
    except OSError as exc:
        raise _fail(out, exc) from None
    if mode is not None and not stat.S_ISREG(mode):
        try:  # a device or a pipe: written as it is
            with path.open("wb") as f:
                f.write(raw)
        except OSError as exc:
            raise _fail(out, exc) from None
        return path
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.",
                                   suffix=".tmp")  # fmt: skip
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, (mode & 0o7777) if mode is not None else (0o666 & ~umask))
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise _fail(out, exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return path
