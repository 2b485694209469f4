"""Command line: parse arguments, call a product (reports/products/), map errors to exit codes.

    report validate|figures|build|check|monthly|list|verify|delegations|template|notify|serve|users
Exit codes: 0 done; 2 bad input (data, config, arguments); 3 the archive is locked by another
run; 1 any other failure. Heavy libraries are imported inside the commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .errors import DataError, ReportError, print_problems

log = logging.getLogger("reports")

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def _period_arg(text: str):
    from .figures.period import Period

    try:
        return Period.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class _Commands:
    """Subparsers: only the one a run names is built; all for help or an unknown command."""

    def __init__(self, sub, only: str | None):
        self.sub, self.only = sub, only

    def add_parser(self, name, **kwargs):  # one not built: inert, and so is all it adds
        return self.sub.add_parser(name, **kwargs) if self.only in (None, name) else \
            _Commands(None, "")

    def __getattr__(self, name):  # add_argument & co. of a parser not built
        return lambda *args, **kwargs: self


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="report", description="招商引资工作简报生成器：从台账数据生成月度简报、代表团推介资料及其印刷版，并做印前检查。")
    sub = _Commands(parser.add_subparsers(dest="command", required=True, metavar="命令"),
                    only if only in COMMANDS else None)

    def data_arg(p):
        p.add_argument("--data", type=Path, default=Path("data"), metavar="DIR",
                       help="数据文件夹（含 config.toml 与各表，默认 data）")

    p = sub.add_parser("validate", help="检查数据，列出全部问题", description="检查数据文件夹，"
                       "列出全部错误和警告；无错误时输出一行 OK 与各表行数。代表团文件（默认数据文件夹中的"
                       " delegations/）也一并检查；英文版的，列出数据中只有中文、将按词汇表和拼音译出的名称。")
    data_arg(p)
    p.add_argument("--delegations", nargs="*", type=Path, metavar="FILE_OR_DIR",
                   help="要检查的代表团文件或文件夹（默认：数据文件夹中的 delegations/，如有）")
    p = sub.add_parser("figures", help="输出某期的主要数据", description="输出某期（1-M月累计）"
                       "的主要数据：概述段落与分市州、分产业等表格。")
    data_arg(p)
    p.add_argument("--period", type=_period_arg, metavar="YYYY-MM",
                   help="期间，如 2026-10（默认：数据中最近的月份）")
    p.add_argument("--json", action="store_true", help="输出未经格式化的原始数值（JSON）")
    p.add_argument("--job", metavar="NAME", help="按 config.toml 中的某个 [[jobs]]（如某市州）计算")

    p = sub.add_parser("build", help="生成月度简报 PDF", description="生成某期的月度简报 PDF："
                       "out/<文件名>-<YYYY>年<MM>月.pdf。数据有误时列出全部问题，不生成文件。")
    data_arg(p)
    p.add_argument("--period", type=_period_arg, metavar="YYYY-MM",
                   help="期间，如 2026-10（默认：数据中最近的月份）")
    p.add_argument("--out", type=Path, default=Path("out"), metavar="DIR", help="输出文件夹（默认 out）")
    p.add_argument("--template", type=Path, metavar="DIR",
                   help="自定义模板文件夹：其中的同名模板或样式表覆盖内置的")
    p.add_argument("--html", action="store_true", help="同时输出中间 HTML（调试用）")
    p.add_argument("--issue", type=int, metavar="N", help="期号（默认：按月份编排，第N期 = N月，或从 config.toml 的 issue_start 起算）")
    p.add_argument("--date", type=_date_arg, metavar="YYYY-MM-DD", help="印发日期（默认：期末日）")
    p.add_argument("--ledger-engine", choices=("reportlab", "weasyprint"), default="reportlab",
                   help="附表排版引擎：reportlab（默认，快）或 weasyprint（整份 HTML 排版，慢）")
    p.add_argument("--print", dest="print_variant", action="store_true",
                   help="印刷版：PDF/X-4，CMYK 颜色，3 mm 出血与裁切线（文件名加“-印刷版”）")
    formats_arg(p)
    timeout_arg(p)

    p = sub.add_parser("monthly", help="生成一个月的全部简报并归档（供定时任务使用）",
                       description="按配置中的 [[jobs]] 生成某月全部简报（PDF/A-3b，附数据表）并归档。"
                       "输入未变则不重新生成；已印发的月份输入有变时须加 --reissue。")
    data_arg(p)
    p.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR",
                   help="归档文件夹（默认 archive）")
    p.add_argument("--period", type=_period_arg, metavar="YYYY-MM", help="期间（默认：上个月）")
    p.add_argument("--catch-up", action="store_true",
                   help="补齐：从最近归档的月份一直生成到上个月")
    p.add_argument("--reissue", action="store_true",
                   help="重新印发（更正）已归档的月份：期号不变，新版注明“更正”并附更正说明，"
                        "原文件保留为 <任务>.v1.pdf")
    p.add_argument("--allow-incomplete", action="store_true",
                   help="数据看来未录全（或该月尚未结束）时仍然生成")
    p.add_argument("--allow-late", action="store_true",
                   help="补发早于已印发月份的简报")
    p.add_argument("--template", type=Path, metavar="DIR", help="自定义模板文件夹")
    timeout_arg(p, "每份简报")

    p = sub.add_parser("verify", help="核对归档：文件、期号与附件数据",
                       description="核对归档中每份已印发的简报：PDF 存在且 SHA-256 与记录一致，issues.json "
                       "与各月 manifest.json 一致，附件中的数据重新计算后与印发时记录的数字一致。"
                       "有问题时逐条列出，退出码为1。")
    p.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR")
    p.add_argument("--repair", action="store_true",
                   help="issues.json 缺失或损坏时，按各月 manifest.json 重建（已印发的期号不变）")

    p = sub.add_parser("notify", help="向 config.toml [notify] 的地址发送一条通知",
                       description="按 config.toml 的 [notify] urls 发送通知（如 systemd 的 OnFailure=）。")
    data_arg(p)
    p.add_argument("text", metavar="TEXT", help="通知内容")

    p = sub.add_parser("delegations", help="为来访代表团生成推介资料 PDF（可批量）",
                       description="为每个代表团文件（.yaml）生成一份推介资料 PDF：封面呈送对象、省情、"
                       "主要数据、关注产业、来源地企业在本省的投资项目、招商项目推介、联系页（二维码）；"
                       "每页标“仅供…参阅”，份数大于1时按份编号。某个文件有误不影响其余文件，最后汇总报告。")
    p.add_argument("paths", nargs="+", type=Path, metavar="文件或文件夹",
                   help="代表团文件（.yaml），或含这些文件的文件夹，如 data/delegations/")
    data_arg(p)
    p.add_argument("--out", type=Path, default=Path("out/delegations"), metavar="DIR",
                   help="输出文件夹（默认 out/delegations）")
    p.add_argument("--period", type=_period_arg, metavar="YYYY-MM",
                   help="资料中数据的期间（默认：数据中最近的月份）")
    p.add_argument("--template", type=Path, metavar="DIR", help="自定义模板文件夹")
    p.add_argument("--jobs", type=int, metavar="N", help="并行进程数（默认：CPU 核数）")
    formats_arg(p)
    p.add_argument("--print", dest="print_variant", action="store_true",
                   help="印刷版：PDF/X-4，CMYK 颜色，3 mm 出血与裁切线（文件名加“-印刷版”）")
    timeout_arg(p, "每份资料")

    p = sub.add_parser("check", help="印前检查：PDF 是否可以发出",
                       description="检查 PDF：页面尺寸与版框（出血）、字体嵌入、声明的标准（PDF/A、PDF/X、"
                       "PDF/UA）及输出意图、印刷版无 RGB 颜色、图像分辨率（不低于300 ppi）、文字可提取、"
                       "无缺字（.notdef）。有未通过项时退出码为1。")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf")
    p.add_argument("--print", dest="print_variant", action="store_true", default=None,
                   help="按印刷版要求检查（默认：声明了 PDF/X 的文件按印刷版检查）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    p = sub.add_parser("list", help="列出归档中已印发的简报")
    p.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR")

    p = sub.add_parser("template", help="生成台账模板（.xlsx）",
                       description="按 config.toml 生成台账模板工作簿：签约项目、到位资金、年度目标三张表，"
                       "带表头与单位、市州/产业等下拉列表、文本与日期格式、冻结的表头和一张说明表。"
                       "填好后可直接放入数据文件夹。")
    data_arg(p)
    p.add_argument("--out", type=Path, default=Path("台账模板.xlsx"), metavar="FILE.xlsx",
                   help="输出文件（默认 台账模板.xlsx）")
    from .web.commands import add_parsers

    add_parsers(sub, data_arg)
    return parser


def formats_arg(p) -> None:
    p.add_argument("--formats", default="pdf", metavar="pdf,docx,ofd",
                   help="输出格式（默认 pdf）：docx 为可编辑的 Word 文档，ofd 为版式文件（GB/T 33190）")


def timeout_arg(p, what: str = "") -> None:
    p.add_argument("--timeout", type=_seconds_arg, metavar="秒",
                   help=f"{what}生成的时间上限（秒）；超时则停止、报错（退出码1），不写出文件")


def _seconds_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的秒数（大于0，不超过86400）")
    return value


def _date_arg(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”格式不对，应为 YYYY-MM-DD") from None


def _load(args):
    from .data.validate import load_dataset

    dataset = load_dataset(args.data)
    print_problems(dataset.warnings, sys.stderr)
    return dataset


def _period(args, dataset):
    from .figures.compute import Period

    if args.period:
        return args.period
    latest = dataset.latest_month()
    if latest is None:
        raise DataError([])
    return Period(*latest)


def cmd_validate(args) -> int:
    """Everything staff keep in the data folder: the briefing's three tables and, when
    present, the handouts' 招商项目 table, 省情简介.yaml and the delegation files — for an
    English delegation, every name the data gives only in Chinese, with the English it will
    be printed as."""
    from .data.handout import PROFILE_NAME, load_profile
    from .data.validate import load_dataset
    from .products.handout_check import check_delegations

    ds = load_dataset(args.data, extra=("opportunities",))
    print_problems(ds.warnings + ds.notes, sys.stderr)
    profile = load_profile(args.data, ds.config)
    extra = f"，招商项目{len(ds.opportunities)}行" if ds.opportunities else ""
    if (Path(args.data) / PROFILE_NAME).is_file():
        extra += f"，{PROFILE_NAME}（{len(profile.advantages)}项优势，{len(profile.figures)}项数据）"
    paths = args.delegations
    if paths is None:
        default = Path(args.data) / "delegations"
        paths = [default] if default.is_dir() else []
    checked, failed = check_delegations(args.data, ds, profile, paths, print_problems)
    if paths:
        extra += f"，代表团文件{checked}个"
    if failed:
        print(f"代表团文件有{failed}个有错误，未通过检查。", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"OK：{args.data} 数据无误（签约项目{len(ds.projects)}行，到位资金{len(ds.funds)}行，"
          f"年度目标{len(ds.targets)}行{extra}" + (f"，警告{len(ds.warnings)}条" if ds.warnings
                                              else "") +
          (f"，说明{len(ds.notes)}条" if ds.notes else "") + "）")
    return EXIT_OK


def cmd_figures(args) -> int:
    from .figures.completeness import check_period
    from .figures.compute import compute

    ds = _load(args)
    period = _period(args, ds)
    print_problems(check_period(ds, period), sys.stderr)
    if args.job:
        from .products.jobs import scoped

        job = next((j for j in ds.config.jobs if j.name == args.job), None)
        if job is None:
            print(f"错误：config.toml 中没有任务“{args.job}”（有：{'、'.join(j.name for j in ds.config.jobs)}）",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        ds = scoped(ds, job)
    figures = compute(ds, period)
    if args.json:
        from .figures.jsonout import jsonable

        json.dump(jsonable(figures), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return EXIT_OK
    from .products import terminal

    terminal.show_figures(figures, ds.config)
    return EXIT_OK


def cmd_build(args) -> int:
    from .products.briefing import build

    if args.template is not None and not args.template.is_dir():
        print(f"错误：模板文件夹 {args.template} 不存在。", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = build(args.data, args.period, args.out, args.template, args.html, args.issue,
                   args.date, args.ledger_engine, args.timeout, args.print_variant, args.formats)
    print(f"已生成：{result.pdf}（{result.pages}页，{result.size / 1024:.0f} KB，"
          f"{result.seconds:.1f} 秒）")
    for extra in result.extras:
        print(f"已生成：{extra}（{extra.stat().st_size / 1024:.0f} KB）")
    if result.html:
        print(f"HTML：{result.html}")
    return EXIT_OK


def cmd_monthly(args) -> int:
    from .products import monthly

    handler = logging.StreamHandler(sys.stderr)
    if sys.stderr.isatty():
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:  # cron: plain, timestamped lines
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s",
                                               "%Y-%m-%d %H:%M:%S"))
    logger = logging.getLogger("reports")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        result = monthly.run(args.data, args.archive, args.period, args.catch_up,
                             args.reissue, args.template, timeout=args.timeout,
                             allow_incomplete=args.allow_incomplete, allow_late=args.allow_late)
    except ReportError as exc:
        if not getattr(exc, "logged", False):
            print(str(exc), file=sys.stderr)
        return exc.exit_code  # logged: already on stderr through the handler above
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    names = {"built": "已生成", "reissued": "已重新印发（更正）", "up-to-date": "已是最新",
             "refused": "未印发", "failed": "失败"}
    for o in result.outcomes:
        word = "未重新印发" if o.issued_before else names[o.status]
        print(f"{o.period} {o.job}：{word}")
    failed = [o for o in result.outcomes if o.status in ("failed", "refused")]
    if failed:
        print("未完成：" + "、".join(f"{o.period} {o.job}" for o in failed), file=sys.stderr)
    return result.exit_code


def cmd_delegations(args) -> int:
    from .products.handout_batch import build_all

    if args.template is not None and not args.template.is_dir():
        print(f"错误：模板文件夹 {args.template} 不存在。", file=sys.stderr)
        return EXIT_BAD_INPUT
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"错误：找不到 {'、'.join(missing)}。", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .products.terminal import ProgressBar

    bar = ProgressBar("代表团资料", enabled=sys.stderr.isatty(), lines=True)

    def progress(done, total, outcome):
        bar.step(outcome.label, total)
        if not outcome.ok:
            bar.note(f"失败：{outcome.label}")
    try:
        result = build_all(args.data, args.paths, args.out, args.template, args.period,
                           args.jobs, progress, args.timeout, args.print_variant, args.formats)
    finally:
        bar.close()
    for o in result.outcomes:
        if o.ok:
            where = o.handout.files[0] if len(o.handout.files) == 1 else o.handout.files[0].parent
            print(f"已生成：{where}（{o.message}）")
            for extra in o.handout.extras or []:
                print(f"已生成：{extra}")
    failed = [o for o in result.outcomes if not o.ok]
    ok = len(result.outcomes) - len(failed)
    print(f"共{len(result.outcomes)}个代表团：成功{ok}个，失败{len(failed)}个；"
          f"{result.seconds:.1f} 秒（章节排版{result.laid_out}次，复用{result.reused}次）")
    for o in failed:
        print(f"\n{o.label}：未生成。\n{o.message}", file=sys.stderr)
    return result.exit_code


def cmd_check(args) -> int:
    from .pdf.preflight import Unreadable, check_pdf
    from .products.terminal import show_preflight

    reports, unreadable = [], []
    for path in args.files:
        try:
            reports.append(check_pdf(path, args.print_variant))
        except Unreadable as exc:
            unreadable.append(str(exc))
    if args.json:
        json.dump({"files": [r.as_dict() for r in reports], "unreadable": unreadable},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in reports:
            show_preflight(r)
    for message in unreadable:
        print(f"错误：{message}", file=sys.stderr)
    if unreadable:
        return EXIT_BAD_INPUT
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FAILURE


def cmd_list(args) -> int:
    from .products.archive import Archive
    from .products.terminal import show_archive

    rows = list(Archive(args.archive).entries())
    if rows:
        show_archive(args.archive, rows)
    else:
        print(f"归档 {args.archive} 中还没有简报。")
    return EXIT_OK


def cmd_verify(args) -> int:
    from .products.verify import verify

    if not Path(args.archive).is_dir():
        print(f"错误：找不到归档文件夹 {args.archive}", file=sys.stderr)
        return EXIT_BAD_INPUT
    found = verify(args.archive, args.repair)
    for note in found.notes:
        print(f"说明：{note}")
    for problem in found.problems:
        print(f"错误：{problem}", file=sys.stderr)
    if found.problems:
        print(f"归档 {args.archive} 有{len(found.problems)}处问题。", file=sys.stderr)
        return EXIT_FAILURE
    print(f"OK：归档 {args.archive} 无误（{found.briefings}份简报，{found.reproduced}份的附件数据重新计算"
          "后与记录的数字一致）")
    return EXIT_OK


def cmd_notify(args) -> int:
    from .data.config import load_config
    from .products.notify import TITLE, send

    urls = load_config(args.data).notify
    if not urls:
        print("错误：config.toml 中没有 [notify] urls", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK if send(urls, TITLE, args.text) else EXIT_FAILURE


def cmd_template(args) -> int:
    from .data.config import load_config
    from .data.template import template_workbook
    from .pdf.output import write_atomic

    if args.out.suffix.lower() != ".xlsx":
        print(f"错误：模板文件名应以 .xlsx 结尾：{args.out}", file=sys.stderr)
        return EXIT_BAD_INPUT
    path = write_atomic(args.out, template_workbook(load_config(args.data)))
    print(f"已生成台账模板：{path}（填好后放入数据文件夹，用 report validate 检查）")
    return EXIT_OK


def _web(args) -> int:
    from .web import commands

    return getattr(commands, f"cmd_{args.command}")(args)


COMMANDS = {"validate": cmd_validate, "figures": cmd_figures, "build": cmd_build,
            "monthly": cmd_monthly, "delegations": cmd_delegations, "check": cmd_check,
            "list": cmd_list, "template": cmd_template, "verify": cmd_verify,
            "notify": cmd_notify, "serve": _web, "users": _web}


def main(argv: list[str] | None = None) -> int:
    import gc

    # Layout allocates millions of small, long-lived objects; with the default thresholds
    # the cycle collector runs thousands of times for nothing (about 10% of a build).
    gc.set_threshold(200_000, 100, 100)
    args = build_parser(next(iter(sys.argv[1:] if argv is None else argv), None)).parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    # WeasyPrint reports every refused fetch and CSS problem as a warning; ours is enough.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        print_problems(exc.problems, sys.stderr)
        errors = [p for p in exc.problems if p.error]
        print(f"数据有{len(errors)}处错误，未生成任何文件。请改正后重试。" if errors
              else "数据为空，没有可用的月份。", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `report figures | head`
        sys.stderr.close()
        return EXIT_OK


def entry() -> None:
    """The console script: main(), then leave at once (products/forked.leave)."""
    code = main()
    from .products.forked import leave

    leave(code)


if __name__ == "__main__":
    entry()
