"""Crash-safe files and folders: atomic folder replacement, recovery, advisory locks.

A base module (no alref imports besides `alref.errors`): the campaign layer writes run
folders with it (`alref.campaign.solution_io`) and the store serialises catalogue access
with it (`alref.store.catalog`).

Folder replacement. A new folder is built in a hidden sibling ``.<name>.tmp-XXXXXXXX``
that its writer holds under an exclusive `flock` (the kernel drops the lock when the
writer dies, so leftovers are told from work in progress). When complete it replaces
``<name>``: on Linux by one ``renameat2(RENAME_EXCHANGE)`` (man 2 rename), so a reader
sees the old or the new folder and never neither; elsewhere by moving the old folder to
``.<name>.tmp-XXXXXXXX.old`` and renaming the new one in, a two-step window that
`recover_folder` repairs on the next write. Renames and fsyncs follow the POSIX
rename-is-atomic contract (IEEE Std 1003.1, rename()).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from alref.errors import ConfigError

TMP_MARK = ".tmp-"
OLD_SUFFIX = ".old"
LOCK_POLL_S = 0.05  # assumption: polling interval of a blocked lock; short against any write


# ------------------------------------------------------------------ fsync
def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Produce `path` by `write(tmp)` on a hidden, locked sibling ``.<name>.tmp-XXXXXXXX``,
    fsync, then rename into place, so a reader sees the old file or the complete new one.
    The temporary is removed on failure; those of killed earlier writers are removed first."""
    path = Path(path)
    remove_stale_files(path)
    tmp = path.with_name(f".{path.name}{TMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _flock(fd, blocking=False)  # marks it live for `remove_stale_files` elsewhere
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        os.close(fd)
    fsync_dir(path.parent)


def remove_stale_files(path: Path) -> list[str]:
    """Delete the ``.<name>.tmp-*`` files that killed writers of `path` left (those no live
    writer holds locked); their names."""
    prefix, removed = f".{Path(path).name}{TMP_MARK}", []
    parent = Path(path).parent
    if not parent.is_dir():
        return removed
    for p in parent.iterdir():
        if not p.name.startswith(prefix) or not p.is_file() or p.is_symlink():
            continue
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            if _flock(fd, blocking=False):
                p.unlink()
                removed.append(p.name)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


# ------------------------------------------------------------------ locks
def _flock(fd: int, blocking: bool) -> bool:
    """Exclusive flock on `fd`; False if held elsewhere (non-blocking) or True if taken.
    Where `fcntl` is missing (not POSIX) no lock is taken and True is returned."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def try_lock_dir(path: Path) -> int | None:
    """An fd holding an exclusive lock on the directory `path`, or None if another process
    holds it (or `path` vanished). Close the fd to release."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    if _flock(fd, blocking=False):
        return fd
    os.close(fd)
    return None


@contextlib.contextmanager
def file_lock(lock_path: Path, *, timeout_s: float, key: str, what: str) -> Iterator[None]:
    """Hold an exclusive `flock` on `lock_path` (created if missing) for the block.

    Waits up to `timeout_s`, then raises ConfigError naming `key` (one line: `what` is
    busy, wait or choose another `key`)."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + timeout_s
        while not _flock(fd, blocking=False):
            if time.monotonic() >= deadline:
                raise ConfigError(key, f"{what} is in use by another alref process "
                                  f"(waited {timeout_s:g} s); wait for it or give another {key}")
            time.sleep(LOCK_POLL_S)
        yield
    finally:
        os.close(fd)


# ------------------------------------------------------------------ folders
def make_temporary_sibling(target: Path) -> tuple[Path, int | None]:
    """Create and lock the hidden sibling ``.<name>.tmp-XXXXXXXX`` of `target`; returns it
    with the lock fd (close it when done). Mode from the umask, unlike `tempfile.mkdtemp`'s
    0700, so the finished folder has ordinary permissions."""
    for _attempt in range(100):
        tmp = target.with_name(f".{target.name}{TMP_MARK}{secrets.token_hex(4)}")
        try:
            tmp.mkdir()
        except FileExistsError:
            continue
        fd = try_lock_dir(tmp)
        if fd is None:
            continue  # a concurrent recovery removed it before we locked it
        try:
            if os.path.samestat(os.fstat(fd), os.stat(tmp)):
                return tmp, fd
        except FileNotFoundError:
            pass
        os.close(fd)
    raise FileExistsError(f"could not create a temporary folder next to {target}")


def rename_exchange(a: Path, b: Path) -> bool:
    """Atomically swap the paths `a` and `b` (Linux ``renameat2(..., RENAME_EXCHANGE)``);
    False where the system or file system cannot (the caller then falls back)."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, exchange_flag = -100, 2  # AT_FDCWD <fcntl.h>, RENAME_EXCHANGE <linux/fs.h>
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), exchange_flag) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_into_place(tmp: Path, target: Path, *, exchange: bool = True) -> None:
    """Put the finished folder `tmp` at `target`, deleting a previous `target`.

    With `exchange` (and where supported) one atomic exchange; otherwise the previous
    folder is moved to ``<tmp>.old`` first (a kill between the two renames is repaired by
    `recover_folder`)."""
    if not target.exists():
        os.rename(tmp, target)
        fsync_dir(target.parent)
        return
    if exchange and rename_exchange(tmp, target):
        fsync_dir(target.parent)
        shutil.rmtree(tmp, ignore_errors=True)  # now holds the previous folder
        return
    old = tmp.with_name(tmp.name + OLD_SUFFIX)
    os.rename(target, old)
    try:
        os.rename(tmp, target)
    except BaseException:
        os.rename(old, target)
        raise
    fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def recover_folder(target: str | os.PathLike[str], is_complete: Callable[[Path], bool]
                   ) -> list[str]:
    """Finish or undo an interrupted replacement of `target`; delete leftover temporaries.

    Considers the hidden siblings ``.<name>.tmp-*`` (a new folder being built) and
    ``.<name>.tmp-*.old`` (a previous folder moved aside) that no live writer holds. If
    `target` is missing because a writer died between its two renames, the new folder is
    put in place when `is_complete` says so, else the old one is put back. Everything
    else left over is deleted. Returns one line per action (empty if nothing to do).
    """
    target = Path(target).absolute()
    parent, prefix = target.parent, f".{target.name}{TMP_MARK}"
    if not parent.is_dir():
        return []
    locks: dict[Path, int | None] = {}  # new folder -> our lock fd, None if a writer holds it
    free: list[Path] = []
    try:
        for p in sorted(parent.iterdir()):
            if not p.name.startswith(prefix) or not p.is_dir() or p.is_symlink():
                continue
            base = p.with_name(p.name.removesuffix(OLD_SUFFIX))  # the lock sits on the new one
            if base.exists():
                if base not in locks:
                    locks[base] = try_lock_dir(base)
                if locks[base] is None:
                    continue  # a live writer owns this pair
            free.append(p)
        actions: list[str] = []
        if not target.exists() and not target.is_symlink():
            for old in (p for p in free if p.name.endswith(OLD_SUFFIX)):
                new = old.with_name(old.name.removesuffix(OLD_SUFFIX))
                pick = new if new in free and is_complete(new) else old
                if is_complete(pick):
                    os.rename(pick, target)
                    fsync_dir(parent)
                    actions.append(f"restored {target} from {pick.name}")
                    break
        for p in free:
            if p.exists():
                shutil.rmtree(p, ignore_errors=True)
                actions.append(f"removed {p.name}")
        return actions
    finally:
        for fd in locks.values():
            if fd is not None:
                os.close(fd)
