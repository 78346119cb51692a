"""The case folder on disk: its fixed names (case.yaml, evidence/, out/) and the one reader and
writer of its YAML files. Kept apart from case.py (the answers' meaning) so that what reads a
case folder without building a Case (scan, quotes) imports no Case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import BuyerHelperError
from .fileio import read_text, write_text_atomic

CASE_FILE = "case.yaml"
EVIDENCE_DIR = "evidence"
OUT_DIR = "out"


MAX_CASE_BYTES = 1024 * 1024  # a real case.yaml is a few KB; its story a few thousand characters
MAX_YAML_DEPTH = 32  # nesting of lists and mappings (a case file needs 3)


def _tag_words(tag: str) -> str:
    """A tag as the file writes it ("!!python/object", "!foo"), at most 60 characters."""
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
    return tag[:60]


def _yaml_refusal(what: str, node_start) -> BuyerHelperError:
    """Raised by the case loader on the first node a case file has no use for."""
    where = f"第 {node_start.line + 1} 行" if node_start is not None else ""
    return BuyerHelperError(what.replace("{where}", where))


def _refuse_unneeded_yaml(events, path: Path) -> None:
    """Go through the parser's events (nothing is built yet) and refuse, at the first one, what
    a case file has no use for: anchors and aliases, explicit tags, nesting deeper than
    MAX_YAML_DEPTH."""
    import yaml

    depth = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _yaml_refusal(
                f"{path} {{where}}用了 YAML 锚点或别名（&名字 / *名字）：案子文件用不到它们，"
                "而且它们能让一个小文件展开成巨大的数据，所以不读取。请把 *名字 处改成直接"
                "写出内容，并删掉 &名字。",
                event.start_mark,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise _yaml_refusal(
                f"{path} {{where}}用了 YAML 标签（{_tag_words(tag)}）：案子文件用不到标签，"
                "所以不读取。请删掉以 ! 开头的标签，只写值本身。",
                event.start_mark,
            )
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if depth + 1 > MAX_YAML_DEPTH:
                raise _yaml_refusal(
                    f"{path} {{where}}的列表或映射嵌套超过 {MAX_YAML_DEPTH} 层，"
                    "不像案子文件，所以不读取。",
                    event.start_mark,
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1


def read_yaml(path: Path) -> Any:
    """Read a case file (YAML); a missing, non-UTF-8 or non-YAML file is a BuyerHelperError.

    A case file is plain keys, text, dates and lists, so the loader refuses, before building
    anything, what it has no use for: anchors and aliases (&a / *a: an alias bomb expands a few
    hundred bytes into gigabytes), explicit tags (!!python/…, !foo), nesting deeper than
    MAX_YAML_DEPTH, and files over MAX_CASE_BYTES."""
    import yaml

    path = Path(path)
    text = read_text(
        path,
        limit=MAX_CASE_BYTES,
        too_big="真实的案子文件只有几 KB（上限 1 MiB），这么大的文件多半是选错了，请检查。",
    )

    # libyaml's parser when PyYAML has it: ~8× faster on a long timeline (`log`)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        try:
            _refuse_unneeded_yaml(yaml.parse(text, Loader=loader), path)
        except yaml.YAMLError:
            # libyaml scans ahead and stops at its own nesting limit with a bare parse error;
            # the pure-Python parser reaches the refusal above first, where that is the cause
            _refuse_unneeded_yaml(yaml.parse(text, Loader=yaml.SafeLoader), path)
            raise
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        where = ""
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列附近）"
        raise BuyerHelperError(f"{path} 不是有效的 YAML 文件{where}，请检查格式") from None
    except (ValueError, OverflowError) as e:  # a date like 2026-13-45, a 5000-digit number
        raise BuyerHelperError(f"{path} 里有无法读取的值（{str(e)[:100]}），请检查格式") from None


def write_yaml(path: Path, data: Any) -> None:
    """Write YAML a buyer can read and edit: multi-line text as `|` blocks, Chinese as is."""
    import yaml

    class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's when there
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        # Block style cannot keep trailing spaces on a line; control characters (and NEL,
        # which PyYAML mangles in plain and single-quoted style) need double quotes.
        lines = value.split("\n")
        if not all(ln.isprintable() for ln in lines):
            style = '"'
        elif len(lines) > 1 and all(ln == ln.rstrip() for ln in lines):
            style = "|"
        else:
            style = None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    write_text_atomic(Path(path), text)
