"""Every `buyer-helper` subcommand: each parses its options and calls one function.

Loaded only when a subcommand runs or shows its own help (`cli.py` lists them from its table
without importing this module). Heavy libraries (reportlab, questionary, jinja2) are imported
inside the commands that need them. Errors go up to the one boundary in `cli.py`.
"""

import os
import sys

import click

from .errors import BuyerHelperError
from .helpformat import ChineseCommand


def _as_path(ctx, param, value):
    """Option callback: a pathlib.Path, imported on use rather than at start-up (~5 ms)."""
    from pathlib import Path

    return None if value is None else Path(value)


def _optional_case_dir(default: str | None):
    """The optional case-folder argument of `start`, `bundle` and `demo`."""
    return click.argument(
        "directory",
        required=False,
        type=click.Path(),
        callback=_as_path,
        metavar="[案子文件夹]",
        default=default,
    )


def _use_calendar(ctx, param, value):
    """Option callback: the buyer's calendar file (else BUYER_HELPER_CALENDAR), checked now."""
    from .facts.workdays import ENV_VAR, use_calendar_file

    if value is not None or os.environ.get(ENV_VAR):
        use_calendar_file(value)
    else:
        use_calendar_file(None, check=False)
    return value


def calendar_option(command):
    """`--calendar FILE`: an official holiday schedule (放假安排) to use besides the shipped one;
    and `--platforms FILE`: platforms to add to the shipped ones (issue 10), on the same
    commands."""
    command = click.option(
        "--platforms",
        metavar="文件",
        expose_value=False,
        callback=_use_platforms,
        help="增加平台的数据文件（格式见 README“增加一个平台”）；"
        "也可以用环境变量 BUYER_HELPER_PLATFORMS",
    )(command)
    return click.option(
        "--calendar",
        metavar="文件",
        expose_value=False,
        callback=_use_calendar,
        help="放假安排文件（国务院公布的某年放假和调休上班日，格式见 README）；"
        "也可以用环境变量 BUYER_HELPER_CALENDAR",
    )(command)


def _use_platforms(ctx, param, value):
    """Option callback: an extra platforms file (else BUYER_HELPER_PLATFORMS), checked now."""
    from .facts.platforms import ENV_VAR, use_platforms_file

    if value is not None or os.environ.get(ENV_VAR):
        from .facts.channels import load_data

        use_platforms_file(value)
        load_data()  # the added platforms' channels, checked against channels.yaml now
    else:
        use_platforms_file(None, check=False)
    return value


NOW_HELP = "把“现在”设为这个时刻（ISO 8601，例如 2026-11-22T22:00:00+08:00），默认北京时间的现在"


def _echo(text: str | None) -> None:
    if text:
        click.echo(text)


@click.command(cls=ChineseCommand)
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--channel", "channels", multiple=True, metavar="渠道", help="只看这个渠道（可重复）")
def hours(now, as_json, channels):
    """各渠道现在是否开放、下次何时开放。"""
    from .facts.hours import hours_command

    _echo(hours_command(now=now, as_json=as_json, channel_ids=channels))


@click.command(cls=ChineseCommand)
@click.option(
    "--answers",
    required=True,
    type=click.Path(),
    callback=_as_path,
    help="答案文件（case.yaml）或案子文件夹",
)
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
def plan(answers, now, as_json):
    """根据答案文件给出维权步骤。"""
    from .terminal.render import colour_wanted, plan_command

    colour = not as_json and colour_wanted(sys.stdout)
    _echo(plan_command(answers=answers, now=now, as_json=as_json, colour=colour))


@click.command(cls=ChineseCommand)
@_optional_case_dir(default="我的维权案子")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
def start(directory, now):
    """一问一答建立案子（可随时 Ctrl-C，下次接着答）。"""
    from .terminal.interview import start_command
    from .terminal.render import colour_wanted

    _echo(start_command(directory=directory, now=now, colour=colour_wanted(sys.stdout)))


@click.command(cls=ChineseCommand)
@click.argument("directory", type=click.Path(), callback=_as_path, metavar="案子文件夹")
@click.argument("text", metavar="文字")
@click.option(
    "--tried",
    metavar="进展",
    multiple=True,
    help="同时记下进展，例如 hotline_called（可选值见下；一次记一个）",
)
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
def log(directory, text, tried, now):
    """在案子的时间线上记一笔（例如“打了021-53395288，工单号 123”）。"""
    from .terminal.timeline import log_command

    if len(tried) > 1:
        raise BuyerHelperError(
            "一次只能记一个进展（--tried）。请分两次记，例如先记 "
            f"--tried {tried[0]}，再记 --tried {tried[1]}；这次什么都没有记录。"
        )
    _echo(log_command(directory=directory, text=text, tried=tried[0] if tried else None, now=now))


def _follow_links_option(f):
    return click.option(
        "--follow-outside-links",
        "follow_outside_links",
        is_flag=True,
        help="也读取证据文件夹里指向案子文件夹以外的链接（默认只列出、不读取；"
        "别人给的案子文件夹不要用）",
    )(f)


@click.command(cls=ChineseCommand)
@click.argument("channel", metavar="渠道")
@click.option(
    "--answers",
    required=True,
    type=click.Path(),
    callback=_as_path,
    metavar="路径",
    help="答案文件或案子文件夹",
)
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    callback=_as_path,
    metavar="路径",
    help="写入这个文件，而不是打印",
)
@_follow_links_option
def letter(channel, answers, now, output, follow_outside_links):
    """生成某个渠道的投诉文字。"""
    from .texts.compose import letter_command

    _echo(
        letter_command(
            channel=channel,
            answers=answers,
            now=now,
            output=output,
            follow_outside_links=follow_outside_links,
        )
    )


@click.command(cls=ChineseCommand)
@click.argument("directory", type=click.Path(), callback=_as_path, metavar="案子文件夹")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@_follow_links_option
@calendar_option
def letters(directory, now, follow_outside_links):
    """为案子的每一步生成文字，写入 DIR/out/（另有离线页面 维权助手.html 和日历提醒 提醒.ics）。"""
    from .texts.compose import letters_command

    _echo(letters_command(directory=directory, now=now, follow_outside_links=follow_outside_links))


@click.command(cls=ChineseCommand)
@_optional_case_dir(default=None)
@click.option(
    "--answers",
    type=click.Path(),
    callback=_as_path,
    metavar="路径",
    help="答案文件（不用案子文件夹时）",
)
@click.option(
    "--evidence",
    type=click.Path(),
    callback=_as_path,
    metavar="路径",
    help="证据文件夹（配合 --answers）",
)
@click.option(
    "-o", "--output", type=click.Path(), callback=_as_path, metavar="路径", help="输出的 PDF 文件"
)
@click.option("--channel", metavar="渠道", help="PDF 里附哪个渠道的投诉文字（默认：计划的下一步）")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@_follow_links_option
@calendar_option
def bundle(directory, answers, evidence, output, channel, now, follow_outside_links):
    """把案子和证据打包成一个 PDF。

    有无法预览的证据文件时仍会生成 PDF，并以退出码 3 结束。证据文件夹里指向案子文件夹以外的
    链接只列在证据清单里、不读取，除非加 --follow-outside-links。
    """
    from .pdf.bundle import bundle_command

    message, code = bundle_command(
        directory=directory,
        answers=answers,
        evidence=evidence,
        output=output,
        channel=channel,
        now=now,
        follow_outside_links=follow_outside_links,
    )
    _echo(message)
    sys.exit(code)


@click.command(cls=ChineseCommand)
@click.argument("directory", type=click.Path(), callback=_as_path, metavar="案子文件夹")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--confirm", metavar="编号", help="确认这些原话是商家说的：all 或 1,3")
@click.option("--reject", metavar="编号", help="排除这些原话（识别错了或不是商家说的）：all 或 2")
def scan(directory, as_json, confirm, reject):
    """识别证据截图里的文字（需要可选组件 ocr，完全离线）。"""
    from .terminal.scan_command import scan_command

    _echo(scan_command(directory=directory, as_json=as_json, confirm=confirm, reject=reject))


@click.command(cls=ChineseCommand)
@_optional_case_dir(default="buyer-helper-示例")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
def demo(directory, now):
    """用内置示例案子走一遍：计划、全部文字、证据 PDF。"""
    from .terminal.demo import demo_command
    from .terminal.render import colour_wanted

    _echo(demo_command(directory=directory, now=now, colour=colour_wanted(sys.stdout)))


def _aligned(rows) -> str:
    rows = list(rows)
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"  {key.ljust(width)}  {text}" for key, text in rows)


def _tried_epilog() -> str:
    from .casefile.case import TRIED

    return "\b\n--tried 的可选值：\n" + _aligned(TRIED.items())


def _channels_epilog() -> str:
    from .facts.channels import load_channels

    return "\b\n渠道编号：\n" + _aligned((cid, ch.name) for cid, ch in load_channels().items())


log.epilog_source = _tried_epilog
letter.epilog_source = _channels_epilog
hours.epilog_source = _channels_epilog
bundle.epilog_source = _channels_epilog
