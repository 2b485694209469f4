"""Uploaded ledgers: kept inside the data folder they belong to, never anywhere a request names.

An upload is a folder ``DATA/.web/uploads/<id>/`` (hidden from the data folder's own reading):
the uploaded workbook or CSV files under names this module chooses (the original name, reduced
to its letters, digits and CJK characters), beside a copy of the data folder's config.toml,
省情简介.yaml, 招商项目 and assets/ — a data folder of its own, which ``report validate`` and
``report build`` read like any other. Its id is made here (time and randomness) and every
later request's id is checked against that form before any path is built from it.

Each file is limited in size and checked to be what its name says (a workbook's zip or OLE
signature, a CSV's text) before it is kept. Adopting an upload moves the data folder's table
files aside (``DATA/.web/replaced/<id>/``) and copies the upload's in — then the data folder
is checked; should it fail, the old files come back.
"""

from __future__ import annotations

import re
import secrets
import shutil
import time
from pathlib import Path

MAX_FILE = 30 * 1024 * 1024  # bytes of one uploaded file
MAX_FILES = 6
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff_\-（）()]+")


class UploadError(ValueError):
    pass


def root(data: Path) -> Path:
    return Path(data) / ".web"


def valid_id(upload_id: str) -> bool:
    return bool(_ID.match(upload_id or ""))


def folder(data: Path, upload_id: str) -> Path:
    if not valid_id(upload_id):
        raise UploadError("没有这个上传")
    path = root(data) / "uploads" / upload_id
    if not path.is_dir():
        raise UploadError("没有这个上传（可能已被清理）")
    return path


def safe_name(original: str) -> str:
    """A file name of the upload's own: the basename only, its stem reduced to letters, digits
    and CJK characters, its suffix one of the accepted ones."""
    name = original.replace("\\", "/").rsplit("/", 1)[-1].strip()
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadError(f"“{name[:60]}”不是 Excel 工作簿（.xlsx、.xls）或 CSV 文件")
    stem = _KEEP.sub("", Path(name).stem)[:60].strip("-_") or "台账"
    return stem + suffix


def check_content(name: str, data: bytes) -> None:
    """The bytes are what the name says: a zip (.xlsx), an OLE file (.xls), text (.csv)."""
    suffix = Path(name).suffix.lower()
    if not data:
        raise UploadError(f"{name} 是空文件")
    if suffix in (".xlsx", ".xlsm") and not data.startswith(b"PK\x03\x04"):
        raise UploadError(f"{name} 不是有效的 .xlsx 工作簿（文件内容不是 Excel 格式）")
    if suffix == ".xls" and not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadError(f"{name} 不是有效的 .xls 工作簿（文件内容不是 Excel 97-2003 格式）")
    if suffix == ".csv" and b"\x00" in data[:65536]:
        raise UploadError(f"{name} 不是文本文件（CSV 应为逗号分隔的文本）")


def create(data: Path, files: list[tuple[str, bytes]]) -> str:
    """A new upload of ``files`` (original name, bytes); its id."""
    if not files:
        raise UploadError("请选择要上传的文件")
    if len(files) > MAX_FILES:
        raise UploadError(f"一次最多上传 {MAX_FILES} 个文件")
    named: dict[str, bytes] = {}
    for original, content in files:
        name = safe_name(original)
        if len(content) > MAX_FILE:
            raise UploadError(f"{name} 超过 {MAX_FILE // 1024 // 1024} MB")
        check_content(name, content)
        if name in named:
            raise UploadError(f"有两个文件都叫 {name}")
        named[name] = content
    upload_id = time.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
    target = root(data) / "uploads" / upload_id
    target.mkdir(parents=True)
    data = Path(data)
    shutil.copy2(data / "config.toml", target / "config.toml")
    for extra in ("省情简介.yaml",):
        if (data / extra).is_file():
            shutil.copy2(data / extra, target / extra)
    if (data / "assets").is_dir() and not (data / "assets").is_symlink():
        shutil.copytree(data / "assets", target / "assets", symlinks=False)
    uploaded_tables = set()
    for name, content in named.items():
        (target / name).write_bytes(content)
        uploaded_tables.add(name)
    from ..data.load import classify

    if not any(classify(Path(n).stem)[0] == "opportunities" for n in named):
        for path in data.iterdir():  # the data folder's 招商项目, unless the upload has one
            if path.is_file() and not path.is_symlink() and path.suffix.lower() == ".csv" \
                    and classify(path.stem)[0] == "opportunities":
                shutil.copy2(path, target / path.name)
    (target / ".files").write_text("\n".join(sorted(uploaded_tables)), encoding="utf-8")
    return upload_id


def uploaded(path: Path) -> list[str]:
    """The names of the files an upload brought (not the copies beside them)."""
    listing = path / ".files"
    return listing.read_text(encoding="utf-8").split("\n") if listing.is_file() else []


def adopt(data: Path, upload_id: str, check) -> str:
    """The upload's tables become the data folder's (``check(folder)`` must pass on the result,
    else the old files are put back); the name of the folder the old ones were moved to."""
    from ..data.load import input_files
    from ..data.schema import TABLES

    data = Path(data)
    source = folder(data, upload_id)
    names = uploaded(source)
    aside = root(data) / "replaced" / upload_id
    aside.mkdir(parents=True, exist_ok=False)
    old = [p for p in input_files(data, keys=tuple(TABLES)) if p.name != "config.toml"]
    moved = []
    try:
        for path in old:
            shutil.move(str(path), aside / path.name)
            moved.append(path.name)
        for name in names:
            shutil.copy2(source / name, data / name)
        check(data)
    except BaseException:
        for name in names:
            (data / name).unlink(missing_ok=True)
        for name in moved:
            shutil.move(str(aside / name), data / name)
        raise
    return str(aside.relative_to(data))


def write_delegation(folder: Path, values: dict, config) -> Path:
    """A delegation file made from the web page's form (``values``: the form's fields), in the
    folder the command line reads, checked as the command line checks it (a DataError or
    ConfigError, nothing written, when anything is wrong). Its name is the delegation's."""
    from ..data.delegation import load_delegation
    from ..data.yamlfile import dump
    from ..pdf.output import name_problem

    name = (values.get("name") or "").strip()
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "", name)[:40]
    if not stem or (reason := name_problem(stem)):
        from ..errors import ConfigError

        raise ConfigError(f"错误：名称“{name}”不能用作文件名" + (f"（{reason}）" if stem else ""))
    body: dict = {"名称": name}
    for key, label in (("name_en", "英文名称"), ("visit_date", "来访日期")):
        if values.get(key):
            body[label] = values[key]
    body["关注产业"] = list(values.get("industries") or [])
    if values.get("regions"):
        body["关注市州"] = list(values["regions"])
    body["来源地"] = values.get("home", "")
    body["语言"] = values.get("language") or "zh"
    copies = values.get("copies") or "1"
    body["份数"] = int(copies) if str(copies).isdigit() else copies
    contact = {label: values[key] for key, label in (
        ("contact", "姓名"), ("contact_en", "英文姓名"), ("title", "职务"), ("title_en", "英文职务"),
        ("phone", "电话"), ("email", "邮箱")) if values.get(key)}
    if contact:
        body["联系人"] = contact
    import tempfile

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.yaml"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".") as tmp:
        draft = Path(tmp) / path.name  # checked under its own name, then moved in place
        draft.write_text(dump(body, "由网页生成；也可直接编辑（report delegations 读取本文件）"),
                         encoding="utf-8")
        load_delegation(draft, config)
        draft.replace(path)
    return path
