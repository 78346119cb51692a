"""Where the shipped data files live: inside the wheel, or at the top of a source checkout."""

from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # buyer_helper/ (this file is in facts/)


def data_path(name: str) -> Path:
    """Path of a top-level data file or folder (`channels.yaml`, `templates`).

    A wheel carries them in `buyer_helper/_data/`; a source checkout (editable install,
    tests) has them beside the package.
    """
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(name)


def data_files(shipped: str, extra: Path | None, env_var: str) -> tuple[Path, ...]:
    """The shipped data file `shipped` (if present), then the user's extra file: `extra` (a
    command-line option), else the one the environment variable `env_var` names."""
    import contextlib
    import os

    files = []
    with contextlib.suppress(FileNotFoundError):
        files.append(data_path(shipped))
    user = extra or (Path(os.environ[env_var]) if os.environ.get(env_var) else None)
    if user is not None:
        files.append(user)
    return tuple(files)


class YamlSyntaxError(ValueError):
    """A data file that is not YAML; `where` is "第N行附近" (or "" when unknown)."""

    def __init__(self, where: str):
        super().__init__(where)
        self.where = where


def parse_yaml(text: str):
    """YAML text as plain data, through libyaml's safe loader when present (about ten times
    faster than the pure-Python one). A syntax error raises YamlSyntaxError."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise YamlSyntaxError(f"第{mark.line + 1}行附近" if mark is not None else "") from None
