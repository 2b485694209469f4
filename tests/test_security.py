"""Issue 15: a template folder, a data folder or an input file cannot act on the machine.
One test per hole, each reproduced as it was found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.cli import main

from conftest import SAMPLE, write_dataset


def build(data, tmp_path, *extra):
    return main(["build", "--data", str(data), "--period", "2025-03", "--out",
                 str(tmp_path / "out"), *extra])


def user_template(tmp_path, body: str, name: str = "briefing/sections/colophon.html") -> Path:
    folder = tmp_path / "tpl"
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return folder


# -- templates ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "{{ cfg.path.joinpath('/etc/passwd').read_text() }}",
    "{{ cfg.path }}",
    "{{ cfg.path.parent.joinpath('x.pth').write_text('import os') }}",
    "{{ f.__class__ }}",
    "{{ cfg.region.__globals__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].system('id') }}",
    "{{ theme.__class__.__init__ }}",
])
def test_a_template_reaches_no_file_and_no_code(small_data, tmp_path, capsys, body):
    planted = small_data / "x.pth"
    code = build(small_data, tmp_path, "--template", str(user_template(tmp_path, body)))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "root:" not in err and "Traceback" not in err
    assert not planted.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("body, words", [
    ("{% for i in range(10**9) %}x{% endfor %}", "数量过大"),
    ("{{ 'x' * 10**9 }}", "重复过大"),
    ("{{ 9 ** 9999999 }}", "乘方过大"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "递归过深"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}{{ 'y' * 9999 }}{% endfor %}"
     "{% endfor %}", "输出过大"),
])
def test_template_resource_abuse_is_exit_2_with_a_message(small_data, tmp_path, capsys, body,
                                                          words):
    code = build(small_data, tmp_path, "--template", str(user_template(tmp_path, body)))
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err, err


def test_the_built_in_templates_still_render_in_the_sandbox(small_data, tmp_path):
    """A user folder that overrides one harmless template: every built-in one around it
    renders under the same sandbox."""
    folder = user_template(tmp_path, "{% extends '!briefing/sections/colophon.html' %}")
    assert build(small_data, tmp_path, "--template", str(folder)) == 0


def test_a_template_symlink_out_of_its_folder_is_refused(small_data, tmp_path, capsys):
    folder = tmp_path / "tpl" / "briefing" / "sections"
    folder.mkdir(parents=True)
    (folder / "colophon.html").symlink_to("/etc/passwd")
    code = build(small_data, tmp_path, "--template", str(tmp_path / "tpl"))
    err = capsys.readouterr().err
    assert code == 2 and "已拒绝" in err and "root:" not in err
