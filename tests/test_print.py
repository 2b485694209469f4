"""Print-shop output and preflight (issue 8): `report build --print` (PDF/X-4, CMYK, 3 mm
bleed, crop marks, reproducible) passes `report check`; broken PDFs fail it."""

from __future__ import annotations

import json
import subprocess

import pikepdf
import pytest
from conftest import SAMPLE

from reports.cli import main
from reports.figures.compute import Period
from reports.pdf.preflight import check_pdf
from reports.products.briefing import build

MM = 72 / 25.4


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    return build(SAMPLE, Period(2026, 10), tmp_path_factory.mktemp("print"), print_variant=True)


def statuses(report) -> dict:
    return {f.check: f.status for f in report.findings}


def test_print_variant_passes_the_preflight(printed, capsys):
    assert printed.pdf.name == "招商引资工作简报-2026年10月-印刷版.pdf"
    report = check_pdf(printed.pdf)
    assert report.print_variant and report.standards == ["PDF/X-4"]
    assert report.ok, [(f.check, f.detail) for f in report.findings if f.failed]
    # the bundled generic profile is sound but uncalibrated: said, not failed
    warned = {f.check: f.detail for f in report.findings if f.status == "warn"}
    assert list(warned) == ["标准声明"] and "未校准" in warned["标准声明"]
    assert set(statuses(report).values()) == {"pass", "warn"}
    assert main(["check", str(printed.pdf), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"][0]["ok"] is True and out["unreadable"] == []


def test_output_intent_is_an_embedded_cmyk_profile(printed):
    with pikepdf.open(printed.pdf) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert int(intent.DestOutputProfile.N) == 4
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert pdf.docinfo["/Trapped"] == "/False"


def test_bleed_box_is_the_trim_box_plus_3_mm(printed):
    with pikepdf.open(printed.pdf) as pdf:
        for page in pdf.pages:
            trim = [float(x) for x in page.obj.TrimBox]
            bleed = [float(x) for x in page.obj.BleedBox]
            assert [round((t - b) / MM, 2) for t, b in zip(trim[:2], bleed[:2])] == [3, 3]
            assert [round((b - t) / MM, 2) for t, b in zip(trim[2:], bleed[2:])] == [3, 3]
            assert (round((trim[2] - trim[0]) / MM), round((trim[3] - trim[1]) / MM)) == (210, 297)


def test_colours_are_cmyk_and_the_masthead_red_comes_from_the_theme(printed):
    from reports.typeset.theme import CMYK

    with pikepdf.open(printed.pdf) as pdf:
        operators = [(str(op), operands) for operands, op
                     in pikepdf.parse_content_stream(pdf.pages[0])]
    assert not [o for o in operators if o[0] in ("rg", "RG")]
    assert ("cs", ["/DeviceCMYK"]) in [(op, [str(x) for x in ops]) for op, ops in operators]
    fills = {tuple(round(float(v), 3) for v in ops) for op, ops in operators
             if op in ("sc", "scn")}
    assert tuple(CMYK["red"]) in fills and tuple(CMYK["text"]) in fills
    assert CMYK["text"] == (0, 0, 0, 1)  # text in solid black ink (K100), not a screened 90%
    assert not [f for f in fills if f[:3] == (0, 0, 0) and 0.85 <= f[3] < 1]


def test_crop_marks_are_drawn_outside_the_bleed(printed, tmp_path):
    """The media reaches 10 mm beyond the trim; the crop marks are drawn there, from the edge
    of the 3 mm bleed outwards — none inside the bleed, none inside the trim."""
    from PIL import Image

    with pikepdf.open(printed.pdf) as pdf:
        for page in pdf.pages:
            trim = [float(x) for x in page.obj.TrimBox]
            media = [float(x) for x in page.mediabox]
            assert [round((t - m) / MM, 2) for t, m in zip(trim[:2], media[:2])] == [10, 10]
            assert [round((m - t) / MM, 2) for t, m in zip(trim[2:], media[2:])] == [10, 10]
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", "12", "-l", "12",
                    str(printed.pdf), str(tmp_path / "p")], check=True)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    px = 100 / 25.4
    width, height = image.size
    assert abs(width - 230 * px) <= 1 and abs(height - 317 * px) <= 1

    def dark(box):
        return sum(1 for v in image.crop(tuple(round(b) for b in box)).tobytes() if v < 160)

    slug, bleed = 10 * px, 7 * px  # from the media edge: where the marks are, the bleed edge
    # each corner's two marks lie on the trim lines, 3–8 mm beyond the trim
    for x, y in ((0, 0), (width - slug - 2, 0), (0, height - slug - 2),
                 (width - slug - 2, height - slug - 2)):
        assert dark((x, y, x + slug + 2, y + slug + 2)) >= 8, (x, y)
    # between the bleed edge and the trim, at the corners: nothing (no mark inside the bleed)
    for x, y in ((bleed + 1, bleed + 1), (width - slug - 1, bleed + 1)):
        assert dark((x, y, x + 3 * px - 2, y + 3 * px - 2)) == 0, (x, y)


def test_print_variant_is_reproducible(printed, tmp_path):
    again = build(SAMPLE, Period(2026, 10), tmp_path, print_variant=True)
    assert again.pdf.read_bytes() == printed.pdf.read_bytes()


def test_screen_variant_stays_rgb_and_passes(sample):
    report = check_pdf(sample.pdf)
    assert not report.print_variant and report.standards == []
    assert report.ok
    assert statuses(report)["印刷色（无 RGB）"] == "info" and "RGB" in report.findings[3].detail
    with pikepdf.open(sample.pdf) as pdf:
        page = pdf.pages[0].obj
        assert "/OutputIntents" not in pdf.Root
        assert list(page.get("/BleedBox", page.MediaBox)) == list(page.MediaBox)


def test_a_font_not_embedded_fails(tmp_path, capsys):
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "helvetica.pdf"
    c = Canvas(str(path), pagesize=(595.28, 841.89), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Not embedded")
    c.save()
    report = check_pdf(path)
    assert statuses(report)["字体嵌入"] == "fail" and "Helvetica" in report.findings[1].detail
    assert main(["check", str(path)]) == 1
    assert "未通过" in capsys.readouterr().out


def test_an_rgb_image_in_the_print_variant_fails(printed, tmp_path):
    broken = tmp_path / "rgb-image.pdf"
    with pikepdf.open(printed.pdf) as pdf:
        image = pdf.make_stream(bytes([255, 0, 0]) * 100, Type="/XObject", Subtype="/Image",
                                Width=10, Height=10, ColorSpace="/DeviceRGB",
                                BitsPerComponent=8)
        page = pdf.pages[0]
        page.add_resource(image, "/XObject", "/Im9")
        page.contents_add(pdf.make_stream(b"q 100 0 0 100 72 72 cm /Im9 Do Q"))
        pdf.save(broken)
    report = check_pdf(broken)
    found = statuses(report)
    assert found["印刷色（无 RGB）"] == "fail" and "/DeviceRGB" in report.findings[3].detail
    assert found["图像分辨率"] == "fail" and "7 ppi" in report.findings[4].detail
    assert not report.ok


def test_a_missing_glyph_fails(tmp_path):
    from reports.typeset.render import RestrictedFetcher, render, to_pdf
    from reports.typeset.theme import ROOT

    html = ('<style>@font-face { font-family: S; src: url("fonts/NotoSansSC-Regular.ttf"); }'
            'p { font-family: S; }</style><p>缺字\ue000测试</p>')
    document = render(html, ROOT, RestrictedFetcher([ROOT / "fonts"]))
    path = tmp_path / "notdef.pdf"
    path.write_bytes(to_pdf(document))
    report = check_pdf(path)
    assert statuses(report)["缺字（.notdef）"] == "fail"


def test_unreadable_file(tmp_path, capsys):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"not a pdf")
    assert main(["check", str(path)]) == 2
    assert "无法打开" in capsys.readouterr().err


def test_the_print_shops_own_profile(small_data, tmp_path):
    from reports.errors import ConfigError
    from reports.typeset.theme import ROOT

    assets = small_data / "assets"
    assets.mkdir()
    shop = ROOT / "color" / "generic-cmyk.icc"
    (assets / "shop.icc").write_bytes(shop.read_bytes())
    config = small_data / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\n[print]\nicc_profile = "assets/shop.icc"\n', encoding="utf-8")
    result = build(small_data, Period(2025, 3), tmp_path, print_variant=True)
    with pikepdf.open(result.pdf) as pdf:
        profile = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert profile == shop.read_bytes()
    assert check_pdf(result.pdf).ok
    # a profile that names its printing condition: no warning
    named = shop.read_bytes().replace("uncalibrated".encode("utf-16-be"),
                                      "FOGRA39-shop".encode("utf-16-be"))
    (assets / "shop.icc").write_bytes(named)
    result = build(small_data, Period(2025, 3), tmp_path, print_variant=True)
    assert {f.status for f in check_pdf(result.pdf).findings} <= {"pass", "info"}
    config.write_text(text + '\n[print]\nicc_profile = "../../etc/passwd"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="应放在数据文件夹的 assets/ 中"):
        build(small_data, Period(2025, 3), tmp_path, print_variant=True)


def test_handout_print_variant_passes_the_preflight(tmp_path):
    """report delegations --print: the same press rules for 青洽会 handouts, numbered copies
    included; the marks stamped per copy stay CMYK and every copy is reproducible."""
    visit = SAMPLE / "delegations" / "浙江企业家考察团.yaml"
    for out in (tmp_path / "a", tmp_path / "b"):
        assert main(["delegations", str(visit), "--data", str(SAMPLE), "--out", str(out),
                     "--print"]) == 0
    copies = sorted((tmp_path / "a" / "浙江企业家考察团-印刷版").glob("*第*份.pdf"))
    assert [p.name for p in copies][:2] == ["浙江企业家考察团-印刷版-第1份.pdf",
                                            "浙江企业家考察团-印刷版-第2份.pdf"]
    # all five copies in one file for the printer: the same preflight
    combined = tmp_path / "a" / "浙江企业家考察团-印刷版" / "浙江企业家考察团-印刷版-全部5份.pdf"
    for pdf in [*copies[:2], combined]:
        report = check_pdf(pdf)
        assert report.print_variant and report.ok, [(f.check, f.detail) for f in report.findings]
        again = tmp_path / "b" / "浙江企业家考察团-印刷版" / pdf.name
        assert again.read_bytes() == pdf.read_bytes()


def test_folded_chinese_lines_join_without_spaces():
    from reports.data.config import load_config
    from reports.data.handout import load_profile

    profile = load_profile(SAMPLE, load_config(SAMPLE))
    assert "被誉为“中华水塔”。全省面积" in profile.intro
    assert "Qinghai lies in the north-east" in profile.intro_en


def test_every_theme_colour_has_its_cmyk():
    """The press values are chosen, not derived: a colour added to the theme without one
    would print in RGB (and fail the preflight) — caught here first."""
    import dataclasses

    from reports.typeset.theme import CMYK, THEME

    colours = {f.name for f in dataclasses.fields(THEME)
               if isinstance(getattr(THEME, f.name), str) and getattr(THEME, f.name).startswith("#")}
    assert colours == set(CMYK)
    assert all(len(v) == 4 and all(0 <= x <= 1 for x in v) for v in CMYK.values())
