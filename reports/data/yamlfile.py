"""YAML files staff write (delegation files, 省情简介.yaml) → plain data. The only module that
imports PyYAML (a SafeLoader: no tags, no code; no aliases; nesting and size limited)."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError

MAX_YAML = 1_000_000  # characters of one delegation or profile file
MAX_DEPTH = 20  # nesting of lists and mappings: these files need three or four


def read_yaml(path: Path):
    """A YAML file → plain data, or a ConfigError naming the file and line. No aliases (a
    464-byte alias bomb expands to a gigabyte; these files never need one), no deep nesting,
    no huge file: all refused before any data is built."""
    import yaml

    try:
        data = Path(path).read_bytes()
        if len(data) > MAX_YAML * 4:
            raise ConfigError(f"错误：{path} 过大（超过 {MAX_YAML // 1000} KB），不像是代表团或省情文件。")
        text = data.decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"错误：无法读取 {path}：{exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"错误：{path} 不是 UTF-8 编码的文本文件，请用 UTF-8 保存。") from None
    if len(text) > MAX_YAML:
        raise ConfigError(f"错误：{path} 过大（超过 {MAX_YAML // 1000} KB），不像是代表团或省情文件。")

    class Refused(yaml.YAMLError):
        def __init__(self, problem, mark):
            self.problem, self.problem_mark = problem, mark

    class Loader(yaml.SafeLoader):
        """Safe, and dates stay text (checked by values.parse_date, with our messages):
        PyYAML would raise a bare ValueError on 2026-13-01. No alias, nothing deep."""

        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise Refused("不允许使用别名（*名称）：请直接写出内容", self.peek_event().start_mark)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise Refused(f"嵌套超过{MAX_DEPTH}层", self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 — a SafeLoader subclass
    except RecursionError:
        raise ConfigError(f"错误：{path}：YAML 嵌套过深，不像是代表团或省情文件。") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" 第{mark.line + 1}行" if mark is not None else ""
        what = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"错误：{path}{where}：YAML 格式有误（{what}）。"
                          "请检查冒号、缩进和引号。") from None


_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def join_lines(text: str) -> str:
    """A YAML block folded over several lines (``>-``) joins them with spaces: right between
    English words, wrong between Chinese characters (“水塔”。 全省) — those go."""
    return _CJK_GAP.sub("", text)




def dump(data: dict, comment: str = "") -> str:
    """A mapping as YAML staff can read and edit (Chinese as written, keys in order), with a
    comment line on top."""
    import yaml

    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=100)
    return (f"# {comment}\n" if comment else "") + body
