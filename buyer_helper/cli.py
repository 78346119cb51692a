"""The `buyer-helper` command line: each command parses options and calls one function.

Heavy libraries (reportlab, questionary, jinja2) are imported inside the commands that
need them, never at start-up. The project's own error type becomes a Chinese message and
an exit code in one place: `_Group.invoke`.
"""

from __future__ import annotations

import os
import sys

import click

from .errors import BuyerHelperError


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
    from .workdays import ENV_VAR, use_calendar_file

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
    from .platforms import ENV_VAR, use_platforms_file

    if value is not None or os.environ.get(ENV_VAR):
        from .channels import load_data

        use_platforms_file(value)
        load_data()  # the added platforms' channels, checked against channels.yaml now
    else:
        use_platforms_file(None, check=False)
    return value


NOW_HELP = "把“现在”设为这个时刻（ISO 8601，例如 2026-11-22T22:00:00+08:00），默认北京时间的现在"


def _usage_message(e: click.UsageError) -> str:
    """click's usage errors, said in Chinese."""
    if isinstance(e, click.NoSuchOption):
        text = f"没有 {e.option_name} 这个选项"
        if e.possibilities:
            text += f"（你是不是想用 {'、'.join(sorted(e.possibilities))}？）"
    elif isinstance(e, click.MissingParameter) and e.param is not None:
        text = f"缺少 {e.param.get_error_hint(e.ctx)}"
    elif isinstance(e, click.BadParameter) and e.param is not None:
        text = f"{e.param.get_error_hint(e.ctx)} 的值不对：{e.message}"
    else:
        text = e.format_message()
    where = e.ctx.command_path if e.ctx else "buyer-helper"
    return f"{text}。运行 {where} --help 查看用法。"


def _terminal_columns() -> int:
    """What shutil.get_terminal_size() gives (COLUMNS, else the terminal, else 80), without
    importing shutil (with bz2, lzma and zlib: a tenth of `--help`'s start-up)."""
    try:
        columns = int(os.environ.get("COLUMNS", 0))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        # click's own width rule (HelpFormatter.__init__), with the width passed in
        max_width = self.max_content_width or 80
        width = self.terminal_width or max(min(_terminal_columns(), max_width) - 2, 50)
        return self.formatter_class(width=width, max_width=max_width)


class _Command(click.Command):
    """A command whose help reads in Chinese.

    `epilog_source`, when set, makes the epilog on demand (only `--help` pays for the import).
    """

    epilog_source = None
    context_class = _Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog_source is not None:
            self.epilog = self.epilog_source()
        super().format_epilog(ctx, formatter)

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示这段帮助"
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), "用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            (names, text.replace("[required]", "[必填]"))
            for p in self.get_params(ctx)
            if isinstance(p, click.Option) and (record := p.get_help_record(ctx))
            for names, text in [record]
        ]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)


class _Group(_Command, click.Group):
    command_class = _Command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"没有 {name} 这个命令", ctx)
        return super().resolve_command(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _Command.format_options(self, ctx, formatter)
        commands = [
            (name, cmd.get_short_help_str(limit=60))
            for name in self.list_commands(ctx)
            if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden
        ]
        if commands:
            with formatter.section("命令"):
                formatter.write_dl(commands)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BuyerHelperError as e:
            # An interruption (130) is the buyer's choice, not an error.
            prefix = "" if e.exit_code == 130 else "错误："
            click.echo(f"{prefix}{e.message}", err=True)
            ctx.exit(e.exit_code)
        except click.UsageError as e:
            click.echo(f"错误：{_usage_message(e)}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("\n已中断。", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as e:  # the last boundary: no traceback for the buyer
            if os.environ.get("BUYER_HELPER_DEBUG"):
                raise
            click.echo(
                f"错误：程序内部出错（{type(e).__name__}: {e}）。"
                "你的数据没有丢失；设置环境变量 BUYER_HELPER_DEBUG=1 可查看详细信息。",
                err=True,
            )
            ctx.exit(70)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
@click.version_option(
    package_name="buyer-helper", message="buyer-helper %(version)s", help="显示版本号"
)
def main():
    """网购维权助手：选对渠道、写好投诉、打包证据。

    \b
    先试试：buyer-helper demo        （用内置示例走一遍完整流程）
    开始你的案子：buyer-helper start 我的案子
    """


def _echo(text: str | None) -> None:
    if text:
        click.echo(text)


@main.command()
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--channel", "channels", multiple=True, metavar="渠道", help="只看这个渠道（可重复）")
def hours(now, as_json, channels):
    """各渠道现在是否开放、下次何时开放。"""
    from .hours import hours_command

    _echo(hours_command(now=now, as_json=as_json, channel_ids=channels))


@main.command()
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
    from .render import colour_wanted, plan_command

    colour = not as_json and colour_wanted(sys.stdout)
    _echo(plan_command(answers=answers, now=now, as_json=as_json, colour=colour))


@main.command()
@_optional_case_dir(default="我的维权案子")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
def start(directory, now):
    """一问一答建立案子（可随时 Ctrl-C，下次接着答）。"""
    from .interview import start_command
    from .render import colour_wanted

    _echo(start_command(directory=directory, now=now, colour=colour_wanted(sys.stdout)))


@main.command()
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
    from .timeline import log_command

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


@main.command()
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
    from .letters import letter_command

    _echo(
        letter_command(
            channel=channel,
            answers=answers,
            now=now,
            output=output,
            follow_outside_links=follow_outside_links,
        )
    )


@main.command()
@click.argument("directory", type=click.Path(), callback=_as_path, metavar="案子文件夹")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@_follow_links_option
@calendar_option
def letters(directory, now, follow_outside_links):
    """为案子的每一步生成文字，写入 DIR/out/（另有离线页面 维权助手.html 和日历提醒 提醒.ics）。"""
    from .letters import letters_command

    _echo(letters_command(directory=directory, now=now, follow_outside_links=follow_outside_links))


@main.command()
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
    from .bundle import bundle_command

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


@main.command()
@click.argument("directory", type=click.Path(), callback=_as_path, metavar="案子文件夹")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（供程序读取）")
@click.option("--confirm", metavar="编号", help="确认这些原话是商家说的：all 或 1,3")
@click.option("--reject", metavar="编号", help="排除这些原话（识别错了或不是商家说的）：all 或 2")
def scan(directory, as_json, confirm, reject):
    """识别证据截图里的文字（需要可选组件 ocr，完全离线）。"""
    from .scancommand import scan_command

    _echo(scan_command(directory=directory, as_json=as_json, confirm=confirm, reject=reject))


@main.command()
@_optional_case_dir(default="buyer-helper-示例")
@click.option("--now", metavar="ISO8601", help=NOW_HELP)
@calendar_option
def demo(directory, now):
    """用内置示例案子走一遍：计划、全部文字、证据 PDF。"""
    from .demo import demo_command
    from .render import colour_wanted

    _echo(demo_command(directory=directory, now=now, colour=colour_wanted(sys.stdout)))


def _aligned(rows) -> str:
    rows = list(rows)
    width = max(len(key) for key, _ in rows)
    return "\n".join(f"  {key.ljust(width)}  {text}" for key, text in rows)


def _tried_epilog() -> str:
    from .case import TRIED

    return "\b\n--tried 的可选值：\n" + _aligned(TRIED.items())


def _channels_epilog() -> str:
    from .channels import load_channels

    return "\b\n渠道编号：\n" + _aligned((cid, ch.name) for cid, ch in load_channels().items())


log.epilog_source = _tried_epilog
letter.epilog_source = _channels_epilog
hours.epilog_source = _channels_epilog
bundle.epilog_source = _channels_epilog
