import copy
import socket

import pytest
from click.testing import CliRunner

from buyer_helper.casefile.sample_case import SAMPLE_ANSWERS


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing leaves the machine: any attempt to open a network connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def sample_answers():
    """A fresh deep copy of the built-in sample answers (a dict, as loaded from YAML)."""
    return copy.deepcopy(SAMPLE_ANSWERS)


@pytest.fixture
def write_answers(tmp_path):
    """Write an answers dict to a YAML file and return its path."""
    import yaml

    def write(data, name="case.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return write
