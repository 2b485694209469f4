"""[fonts]: the bureau's own fonts from the data folder's assets/ — checked, embedded, every
character covered — and with them the strict GB/T 9704 grid (3号, 22 lines × 28 characters).
The bundled LXGW WenKai and Noto Sans SC stand in for 仿宋_GB2312 and 黑体 here."""

from __future__ import annotations

import shutil
import struct
from collections import Counter

import pdfplumber
import pytest
from conftest import SAMPLE, write_dataset
from pdfcheck import fonts

from reports.cli import main
from reports.errors import ConfigError
from reports.figures.compute import Period
from reports.products.briefing import build
from reports.typeset.theme import FONTS_DIR, THEME

MM = 72 / 25.4


def with_fonts(folder, **files):
    """``files``: role → (name in assets/, bytes); the [fonts] table written for them."""
    assets = folder / "assets"
    assets.mkdir(exist_ok=True)
    lines = ["", "[fonts]"]
    for role, (name, data) in files.items():
        if name is not None:
            (assets / name).write_bytes(data)
            lines.append(f'{role} = "assets/{name}"')
        else:
            lines.append(f"{role} = {data}")
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
                      encoding="utf-8")
    return folder


FANGSONG = (FONTS_DIR / THEME.kai_regular).read_bytes()  # stands in for 仿宋_GB2312
HEITI = (FONTS_DIR / THEME.sans_regular).read_bytes()  # for 黑体


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fonts") / "data"
    shutil.copytree(SAMPLE, folder)
    with_fonts(folder, body=("仿宋.ttf", FANGSONG), heading=("黑体.ttf", HEITI))
    return build(folder, Period(2026, 10), folder.parent / "out")


def test_supplied_fonts_are_embedded_and_used(bureau):
    names = {f["name"].split("+")[-1] for f in fonts(bureau.pdf)}
    assert {n.rsplit("-", 1)[0] for n in names if n.startswith("Bureau")} == {"Bureau-Body",
                                                                         "Bureau-Heading"}
    assert "Noto-Serif-SC" not in names  # nothing fell back to the bundled body face
    assert all(f["emb"] == "yes" for f in fonts(bureau.pdf))
    with pdfplumber.open(bureau.pdf) as doc:
        used = Counter()
        for page in doc.pages[:3]:
            for c in page.chars:
                used[(c["text"], c["fontname"].split("+")[-1].rsplit("-", 1)[0])] += 1
        assert used[("全", "Bureau-Body")] and used[("总", "Bureau-Heading")]


def test_the_grid_is_22_lines_of_28_characters(bureau):
    with pdfplumber.open(bureau.pdf) as doc:
        for page in doc.pages:
            body = [c for c in page.chars if "Bureau-Body" in c["fontname"]
                    and c["size"] > 15]
            lines = sorted({round(c["top"], 1) for c in body})
            if len(lines) >= 4:
                break
        gaps = [b - a for a, b in zip(lines, lines[1:])]
        pitch = (THEME.page_height - THEME.margin_top - THEME.margin_bottom) / 22 * MM
        assert min(gaps) == pytest.approx(pitch, abs=0.3), gaps  # 22 lines in the type area
        assert round(body[0]["size"]) == 16  # 3号
        # 28 characters to a full line of Chinese: the advance is the type width / 28 — as set
        # (a paragraph's last line; the others are justified, so only wider)
        steps = []
        for top in lines:
            row = sorted((c for c in body if round(c["top"], 1) == top), key=lambda c: c["x0"])
            cjk = [c for c in row if "\u4e00" <= c["text"] <= "\u9fff"]
            steps += [b["x0"] - a["x0"] for a, b in zip(cjk, cjk[1:]) if b["x0"] - a["x0"] < 17]
        assert min(steps) == pytest.approx(THEME.text_width * MM / 28, abs=0.05)


def _subset(data: bytes, keep: str) -> bytes:
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    options = subset.Options()
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(text=keep)
    sub.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def test_a_character_the_body_font_lacks_stops_the_build(small_data, tmp_path, capsys):
    """Nothing may fall back quietly to the bundled face: the build names the characters."""
    every = "".join(chr(c) for c in range(0x20, 0x7F)) + "招商引资工作简报一二三四五六年月日"
    with_fonts(small_data, body=("缺字仿宋.ttf", _subset(FANGSONG, every)), grid=(None, "false"))
    out = tmp_path / "out"
    assert main(["build", "--data", str(small_data), "--out", str(out),
                 "--period", "2025-03"]) == 2
    err = capsys.readouterr().err
    assert "正文字体 assets/缺字仿宋.ttf 中没有" in err and "“全”" in err and "未生成任何文件" in err
    assert not out.exists() or not list(out.glob("*.pdf"))


def test_a_heading_character_the_heading_font_lacks(small_data, tmp_path):
    from reports.typeset.userfonts import FontError

    with_fonts(small_data, heading=("黑体.ttf", _subset(HEITI, "招商引资工作简报一二三四五六年月日、")))
    with pytest.raises(FontError, match="一级标题字体 assets/黑体.ttf 中没有“.*总"):
        build(small_data, Period(2025, 3), tmp_path / "out")


@pytest.mark.parametrize("data, words", [
    (b"not a font at all", "不是字体文件"),
    (b"ttcf" + b"\0" * 64, "字体集"),
    ((FONTS_DIR / THEME.sans_regular).read_bytes()[:5000], "无法读取"),
])
def test_a_file_that_is_not_a_usable_font(small_data, tmp_path, capsys, data, words):
    with_fonts(small_data, body=("x.ttf", data))
    assert main(["build", "--data", str(small_data), "--out", str(tmp_path / "o"),
                 "--period", "2025-03"]) == 2
    err = capsys.readouterr().err
    assert words in err and "config.toml [fonts] 的正文字体 assets/x.ttf" in err, err


def _restricted(data: bytes) -> bytes:
    """The font with OS/2 fsType = 2 (restricted licence: no embedding)."""
    tables = struct.unpack(">H", data[4:6])[0]
    for i in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        if tag == b"OS/2":
            return data[:offset + 8] + struct.pack(">H", 2) + data[offset + 10:]
    raise AssertionError("no OS/2 table")


def test_a_font_whose_licence_forbids_embedding(small_data, tmp_path, capsys):
    with_fonts(small_data, body=("x.ttf", _restricted(FANGSONG)))
    assert main(["build", "--data", str(small_data), "--out", str(tmp_path / "o"),
                 "--period", "2025-03"]) == 2
    assert "授权不允许嵌入" in capsys.readouterr().err


def test_fonts_must_be_in_assets(tmp_path):
    from reports.data.config import load_config

    folder = write_dataset(tmp_path / "d")
    (tmp_path / "outside.ttf").write_bytes(FANGSONG)
    config = folder / "config.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[fonts]\nbody = "../outside.ttf"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="应放在数据文件夹的 assets/ 中"):
        load_config(folder)
    config.write_text(config.read_text(encoding="utf-8").replace(
        'body = "../outside.ttf"', "grid = true"), encoding="utf-8")
    with pytest.raises(ConfigError, match="grid = true 需要同时给出正文字体"):
        load_config(folder)


def test_the_font_is_recorded_as_an_input_of_report_monthly(small_data, tmp_path):
    """The bureau's font is part of what a briefing was made from: the manifest records its
    digest with the tables', and a replaced font is a changed input — the issued briefing
    stays as issued (its data did not change), and the run says so."""
    import hashlib
    import json
    from datetime import date

    from reports.products import monthly

    with_fonts(small_data, body=("仿宋.ttf", FANGSONG), grid=(None, "false"))
    archive = tmp_path / "archive"

    def run():
        return monthly.run(small_data, archive, progress=False, today=date(2025, 4, 3)).outcomes

    assert [o.status for o in run()] == ["built"]
    manifest = json.loads((archive / "2025" / "03" / "manifest.json").read_text("utf-8"))
    recorded = {i["file"]: i["sha256"] for i in manifest["jobs"]["全省"]["inputs"]}
    assert recorded["仿宋.ttf"] == hashlib.sha256(FANGSONG).hexdigest()
    assert [o.status for o in run()] == ["up-to-date"]
    (small_data / "assets" / "仿宋.ttf").write_bytes(_subset(FANGSONG, TEXT_ALL))
    (outcome,) = run()
    assert outcome.status == "up-to-date" and "输入文件有变化" in outcome.message


# every character of the small fixture's briefing, and more
TEXT_ALL = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in range(0x3000, 0x3040)) + "".join(chr(c) for c in range(0x4E00, 0x9FA6))
