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
