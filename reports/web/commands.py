"""The web page's commands: ``report serve`` and ``report users add|list|remove``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import UsageError


def add_parsers(sub, data_arg) -> None:
    p = sub.add_parser("serve", help="启动工作人员用的网页（上传台账、预览、印发、代表团资料）",
                       description="在本机启动网页：工作人员在浏览器中上传台账、查看检查结果、预览和下载简报、"
                       "生成代表团资料；管理员还可印发某月。默认只监听本机（127.0.0.1）；对外提供时请用 nginx "
                       "做 HTTPS 反向代理（deploy/nginx-report.conf）。")
    data_arg(p)
    p.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR",
                   help="归档文件夹（默认 archive）；账号和操作记录存于其中的 web/web.sqlite3")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机可访问）")
    p.add_argument("--port", type=int, default=8080, help="端口（默认 8080）")
    p.add_argument("--behind-proxy", action="store_true",
                   help="在 nginx 等 HTTPS 反向代理之后：采用其转发的客户端地址")
    p.add_argument("--insecure-http", action="store_true",
                   help="允许以明文 HTTP 对外提供（不推荐：密码和会话可被截获）")
    p = sub.add_parser("users", help="管理网页账号", description="网页账号：add 新增（密码从标准输入"
                       "读取），list 列出，remove 删除。角色：staff 工作人员（上传、检查、预览、代表团资料），"
                       "admin 管理员（另可设为当前数据、印发、查看操作记录）。")
    p.add_argument("--archive", type=Path, default=Path("archive"), metavar="DIR",
                   help="归档文件夹（默认 archive）")
    users = p.add_subparsers(dest="action", required=True, metavar="add|list|remove")
    add = users.add_parser("add", help="新增账号（密码从标准输入读取）")
    add.add_argument("name")
    add.add_argument("--role", choices=("staff", "admin"), default="staff")
    users.add_parser("list", help="列出账号")
    remove = users.add_parser("remove", help="删除账号（并结束其会话）")
    remove.add_argument("name")


def cmd_serve(args) -> int:
    from .serve import serve

    serve(args.data, args.archive, args.host, args.port, args.behind_proxy, args.insecure_http)
    return 0


def _password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("密码（至少10个字符）：")
        if getpass.getpass("再输入一次：") != first:
            raise UsageError("错误：两次输入的密码不一致。")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args) -> int:
    from .store import Store, StoreError, db_path

    store = Store(db_path(args.archive))
    try:
        if args.action == "add":
            store.add_user(args.name, args.role, _password())
            store.audit("命令行", "新增账号", f"{args.name}（{args.role}）")
            print(f"已新增账号 {args.name}（{'管理员' if args.role == 'admin' else '工作人员'}）")
        elif args.action == "remove":
            store.remove_user(args.name)
            store.audit("命令行", "删除账号", args.name)
            print(f"已删除账号 {args.name}")
        else:
            rows = store.users()
            if not rows:
                print("还没有账号：report users add 姓名 --role admin")
            for name, role, created in rows:
                print(f"{name}\t{'管理员' if role == 'admin' else '工作人员'}\t"
                      f"{time.strftime('%Y-%m-%d', time.localtime(created))}")
    except StoreError as exc:
        raise UsageError(f"错误：{exc}") from None
    return 0
