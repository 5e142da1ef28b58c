"""Appending to a file with a chosen durability (the audit log and the command outbox share this).

The GUI thread writes these files, and the GUI thread never blocks on a disk flush. So the default
policy, ``BACKGROUND``, writes each line with one ``write`` call at once (the bytes are in the
kernel and survive a crash of the cockpit) and leaves the ``fsync`` (which makes them survive a
power cut) to a small thread that coalesces requests. ``ALWAYS`` fsyncs in the caller; ``NEVER``
is for tests and benchmarks.

Locking (:class:`FileLock`) must work wherever the installer runs: ``fcntl.flock`` on Linux and other
POSIX systems, ``msvcrt.locking`` on Windows (both in the standard library; the operating system
drops either lock when the process dies, so a wall killed with ``kill -9`` or by a power cut never
finds its own files "in use" after a restart). ``filelock`` falls back to a lock file that a
killed process leaves behind, and ``portalocker`` brings pywin32 into the Windows bundle: neither is
better than these few lines. Neither ``fcntl`` nor ``msvcrt`` is imported unless the platform has it.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import sys
import threading
from pathlib import Path
from types import ModuleType

_fcntl: ModuleType | None
try:
    import fcntl as _fcntl
except ImportError:  # Windows (and any platform without it): msvcrt or the pid lock below
    _fcntl = None

log = logging.getLogger(__name__)


class SyncPolicy(enum.Enum):
    """When appended bytes are forced to disk."""

    ALWAYS = "always"
    BACKGROUND = "background"
    NEVER = "never"


class _Syncer:
    """fsyncs one descriptor on a daemon thread whenever asked, many requests making one fsync."""

    def __init__(self, fd: int, name: str) -> None:
        self._fd = fd
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"fsync {name}", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                os.fsync(self._fd)
            except OSError as exc:  # reported, not fatal: the bytes are still in the kernel
                log.error("fsync of an audit/outbox file failed: %s", exc)
            if self._stopping:
                return


class AppendFile:
    """An append-only file written a whole line per ``write`` call.

    Raises:
        OSError: the file cannot be opened (the caller turns this into its own clear error).
    """

    def __init__(self, path: Path, policy: SyncPolicy) -> None:
        self.path = path
        self.policy = policy
        new = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if new and policy is not SyncPolicy.NEVER:
            sync_dir(path.parent)  # the new name itself must survive a power cut
        self._syncer = _Syncer(self._fd, path.name) if policy is SyncPolicy.BACKGROUND else None

    def append(self, data: bytes) -> None:
        """Write ``data`` at the end of the file.

        Raises:
            OSError: the write failed (disk full, I/O error).
        """
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        if self.policy is SyncPolicy.ALWAYS:
            os.fsync(self._fd)
        elif self._syncer is not None:
            self._syncer.request()

    def truncate(self) -> None:
        """Empty the file (with O_APPEND the next write starts at 0)."""
        os.ftruncate(self._fd, 0)

    def close(self) -> None:
        """Flush to disk (whatever the policy, but NEVER) and close."""
        if self._fd < 0:
            return
        if self._syncer is not None:
            self._syncer.stop()
        elif self.policy is SyncPolicy.ALWAYS:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
        os.close(self._fd)
        self._fd = -1


def sync_dir(folder: Path) -> None:
    """fsync a folder so a created or renamed entry in it is durable (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes, policy: SyncPolicy) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file.

    Raises:
        OSError: the file cannot be written.
    """
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if policy is not SyncPolicy.NEVER:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    if policy is not SyncPolicy.NEVER:
        sync_dir(path.parent)


class InUse(Exception):
    """Another process holds the file: two cockpits must never append to one chain or outbox."""


class FileLock:
    """An exclusive, non-blocking lock on ``<path>.lock``, held until :meth:`release` (or exit).

    POSIX: ``flock``; Windows: ``msvcrt.locking`` on the file's first byte; both are dropped by the
    system when the process ends. A platform with neither gets a best-effort lock: the file holds the
    owner's pid, and a pid that is no longer running does not hold it.

    Raises:
        InUse: another process holds it.
        OSError: the lock file cannot be created.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self._pid_lock = False
        try:
            self._acquire()
        except BlockingIOError:
            os.close(self._fd)
            raise InUse(f"{path} is in use by another cockpit on this machine") from None
        except InUse:
            os.close(self._fd)
            raise InUse(f"{path} is in use by another cockpit on this machine") from None
        except OSError:
            os.close(self._fd)
            raise

    def _acquire(self) -> None:
        if _fcntl is not None:
            _fcntl.flock(self._fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        elif sys.platform == "win32":
            import msvcrt

            try:
                msvcrt.locking(self._fd, msvcrt.LK_NBLCK, 1)
            except PermissionError:  # EACCES: another process has the byte
                raise InUse(str(self.path)) from None
            except OSError as exc:
                if exc.errno in (13, 36):  # EACCES, EDEADLOCK (msvcrt's "locked" answers)
                    raise InUse(str(self.path)) from None
                raise
        else:
            self._acquire_by_pid()

    def _acquire_by_pid(self) -> None:
        raw = os.read(self._fd, 32).strip()
        owner = int(raw) if raw.isdigit() else 0
        if owner and owner != os.getpid() and _running(owner):
            raise InUse(str(self.path))
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, str(os.getpid()).encode())
        self._pid_lock = True

    def release(self) -> None:
        if self._fd >= 0:
            if self._pid_lock:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock / the msvcrt lock
            self._fd = -1


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX ``kill(pid, 0)``; only used where there is no fcntl)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    except OSError:
        return False
    return True
