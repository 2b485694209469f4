"""Writing files atomically: a temporary file in the same folder, fsync, then rename.

A reader (or a print shop's hot folder) never sees a half-written PDF, and when anything
fails before the rename, the earlier file at that path is untouched. A failure to write
(disk full, read-only folder, no permission) becomes an ``OutputError`` naming the file and
the reason in Chinese. A temporary file left by a process that was killed while writing
(``.<name>.<pid>.<random>.tmp``) is removed by the next write of that name, once that
process is gone. A set of files (a handout's numbered copies) is replaced as a whole folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import ReportError

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


UNSAFE = set('/\\:*?"<>|')


def name_problem(name: str) -> str | None:
    """Why ``name`` (from input: a delegation file's stem, a job) cannot name an output file
    or folder, or None: never empty, ``.`` or ``..``, no separators, no control characters,
    nothing a Windows PC receiving the file refuses."""
    if not name or name in (".", ".."):
        return "不能为空，也不能是 . 或 .."
    if name.startswith("."):
        return "不能以 . 开头"
    if any(c in UNSAFE for c in name) or not name.isprintable():
        return "不能含控制字符和 / \\ : * ? \" < > |"
    if len(name) > 80:
        return "过长（最多80个字）"
    return None


def _ours(folder: Path, stem: str) -> bool:
    """A folder this tool may replace: a real folder (not a link) holding only the numbered
    copies it writes there (``<stem>-第NN份.pdf``, and all of them in one, ``<stem>-全部N份.pdf``)."""
    if folder.is_symlink():
        return False
    return all(p.is_file() and not p.is_symlink() and p.name.startswith((f"{stem}-第",
                                                                          f"{stem}-全部"))
               and p.name.endswith("份.pdf") for p in folder.iterdir())


def write_outputs(out_dir: Path, stem: str, files: list[tuple[str, bytes]]) -> list[Path]:
    """One copy: ``out/<stem>.pdf``. Numbered copies: the folder ``out/<stem>/``, replaced as a
    whole (written beside it, then swapped), so it never holds copies of two runs. Whichever
    form an earlier run left is removed only after the new one is in place."""
    try:
        return _write_outputs(out_dir, stem, files)
    except OSError as exc:  # the folder swap; each file's own write reports itself
        raise OutputError(describe(exc, out_dir / stem)) from None


def _write_outputs(out_dir: Path, stem: str, files: list[tuple[str, bytes]]) -> list[Path]:
    if (reason := name_problem(stem)) is not None:
        raise OutputError(f"错误：输出名“{stem}”{reason}，未写出任何文件。")
    out_dir.mkdir(parents=True, exist_ok=True)
    single, folder = out_dir / f"{stem}.pdf", out_dir / stem
    if folder.resolve().parent != out_dir.resolve() or \
            ((folder.exists() or folder.is_symlink()) and not (folder.is_dir() and _ours(folder, stem))):
        raise OutputError(f"错误：{folder} 已存在，且不是本工具写出的（含其他文件或是链接），未覆盖。"
                          "请移走它，或用 --out 换一个输出文件夹。")
    if len(files) == 1 and files[0][0] == single.name:
        path = write_atomic(single, files[0][1])
        if folder.is_dir():
            shutil.rmtree(folder)
        return [path]
    tmp = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".tmp", dir=out_dir))
    try:
        paths = [write_atomic(tmp / name, data) for name, data in files]
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".old", dir=out_dir))
            os.rename(folder, old / "x")
        os.rename(tmp, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if single.exists():
        single.unlink()
    return [folder / p.name for p in paths]
