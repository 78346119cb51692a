"""The `buyer-helper` command line: the command group, its help and its one error boundary.

The subcommands live in `commands.py` and are imported only when one of them runs or shows its
own help: `buyer-helper --help` lists them from COMMANDS, so it imports nothing of ours but this
module, `errors` and `helpformat`. The project's own error type becomes a Chinese message and an
exit code in one place: `_Group.invoke`.
"""

import gc
import os

import click

from .errors import BuyerHelperError
from .helpformat import ChineseCommand

# Each subcommand → the line `buyer-helper --help` lists for it: what click makes of the
# command's own docstring in commands.py (get_short_help_str(limit=60)), written here so that
# the listing imports no command. tests/test_startup.py checks every line against the
# loaded command, so a changed docstring fails until this table says the same.
COMMANDS = {
    "bundle": "把案子和证据打包成一个 PDF。",
    "demo": "用内置示例案子走一遍：计划、全部文字、证据 PDF。",
    "hours": "各渠道现在是否开放、下次何时开放。",
    "letter": "生成某个渠道的投诉文字。",
    "letters": "为案子的每一步生成文字，写入 DIR/out/"
    "（另有离线页面 维权助手.html 和日历提醒 提醒.ics）。",
    "log": "在案子的时间线上记一笔（例如“打了021-53395288，工单号 123”）。",
    "plan": "根据答案文件给出维权步骤。",
    "scan": "识别证据截图里的文字（需要可选组件 ocr，完全离线）。",
    "start": "一问一答建立案子（可随时 Ctrl-C，下次接着答）。",
}


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


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`--version`: the installed distribution's version. (click's version_option would look
    up its English help text with gettext, which imports locale, on every start.)"""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("buyer-helper")
    except PackageNotFoundError:  # run from a source tree that was never installed
        from . import __version__ as number
    click.echo(f"buyer-helper {number}", color=ctx.color)
    ctx.exit()


class _Group(ChineseCommand, click.Group):
    """The command group: a subcommand is loaded from commands.py when it runs or shows its own
    help; `buyer-helper --help` lists them all from COMMANDS without importing any."""

    command_class = ChineseCommand  # for @main.command(), which loads with the group

    def __call__(self, *args, **kwargs):
        # The console script's way in (CliRunner calls .main()). What is loaded by now (click
        # and this module) lives until the process ends, so the cyclic garbage collector need
        # not walk it again: neither in this run nor in the full collections the interpreter
        # makes while it shuts down, about a tenth of `--help`'s wall time (measured with
        # bench/startup.py). Objects made later are collected as usual.
        gc.freeze()
        return super().__call__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            from . import commands

            return getattr(commands, name)
        return super().get_command(ctx, name)

    def listed_help(self, ctx: click.Context, name: str) -> str | None:
        """The line `--help` lists for a subcommand (None: not listed)."""
        if name in COMMANDS:
            return COMMANDS[name]
        command = super().get_command(ctx, name)
        return None if command is None or command.hidden else command.get_short_help_str(limit=60)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"没有 {name} 这个命令", ctx)
        return super().resolve_command(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ChineseCommand.format_options(self, ctx, formatter)
        commands = [
            (name, text)
            for name in self.list_commands(ctx)
            if (text := self.listed_help(ctx, name)) is not None
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
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="显示版本号",
)
def main():
    """网购维权助手：选对渠道、写好投诉、打包证据。

    \b
    先试试：buyer-helper demo        （用内置示例走一遍完整流程）
    开始你的案子：buyer-helper start 我的案子
    """
