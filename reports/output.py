"""Writing files atomically: a temporary file in the same folder, fsync, then rename.

A reader (or a print shop's hot folder) never sees a half-written PDF, and when anything
fails before the rename, the earlier file at that path is untouched. A failure to write
(disk full, read-only folder, no permission) becomes an ``OutputError`` naming the file and
the reason in Chinese. A temporary file left by a process that was killed while writing
(``.<name>.<pid>.<random>.tmp``) is removed by the next write of that name, once that
process is gone.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import ReportError

REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统为只读",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "同名的文件夹已存在",
}


class OutputError(ReportError):
    """An output could not be written; nothing was replaced."""

    exit_code = 1


def describe(exc: OSError, path: Path) -> str:
    reason = REASONS.get(exc.errno, exc.strerror or str(exc))
    return (f"错误：无法写入 {path}：{reason}（{exc.strerror or exc}）。"
            "已有的文件未被改动；请检查输出文件夹后重试。")


def _remove_stale(path: Path) -> None:
    """Temporary files of this name left by writers that no longer run (killed)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        parts = tmp.name[len(path.name) + 2:].split(".")
        if not parts or not parts[0].isdigit():
            continue
        pid = int(parts[0])
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running: maybe writing right now
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # alive, another user's
        try:
            tmp.unlink()
        except OSError:
            pass


def write_atomic(path: Path, data: bytes) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                                   dir=path.parent)
    except OSError as exc:
        raise OutputError(describe(exc, path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(describe(exc, path)) from None
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    _remove_stale(path)
    return path


def cache_folder(name: str) -> Path | None:
    """A writable folder for caches that only save time ($XDG_CACHE_HOME/<name>, else
    ~/.cache/<name>), or None when there is none: callers then work without it."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None
