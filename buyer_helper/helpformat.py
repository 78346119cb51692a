"""How every command's `--help` reads: Chinese headings and usage line, sized to the terminal.

Shared by the command group (`cli.py`) and the commands (`commands.py`); imports only click.
"""

import os
import sys

import click


def terminal_columns() -> int:
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


class HelpContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        # click's own width rule (HelpFormatter.__init__), with the width passed in
        max_width = self.max_content_width or 80
        width = self.terminal_width or max(min(terminal_columns(), max_width) - 2, 50)
        return self.formatter_class(width=width, max_width=max_width)


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """The help option's callback, as click's own: print the help and stop."""
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class ChineseCommand(click.Command):
    """A command whose help reads in Chinese.

    `epilog_source`, when set, makes the epilog on demand (only `--help` pays for the import).
    """

    epilog_source = None
    context_class = HelpContext
    _chinese_help_option = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.epilog_source is not None:
            self.epilog = self.epilog_source()
        super().format_epilog(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click's help option with its help in Chinese, made here rather than by click's
        # help_option(): that one looks up its English default text with gettext even when
        # the text is replaced, and gettext's first lookup imports locale (a millisecond and
        # a half of `--help`). Made once per command, as click does.
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._chinese_help_option is None:
            self._chinese_help_option = click.Option(
                names,
                is_flag=True,
                expose_value=False,
                is_eager=True,
                help="显示这段帮助",
                callback=_show_help,
            )
        return self._chinese_help_option

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
