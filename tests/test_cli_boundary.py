"""One error boundary: the buyer sees a Chinese message and an exit code, never a traceback."""

from buyer_helper.cli import main


def test_unknown_command_is_a_usage_error(runner):
    result = runner.invoke(main, ["nonsense"])
    assert result.exit_code == 2


def test_missing_answers_file_is_a_chinese_error(runner, tmp_path):
    result = runner.invoke(main, ["plan", "--answers", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "找不到文件" in result.output
    assert "Traceback" not in result.output


def test_internal_errors_are_caught(runner, monkeypatch):
    import buyer_helper.hours as hours

    def boom(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(hours, "hours_command", boom)
    result = runner.invoke(main, ["hours"])
    assert result.exit_code == 70
    assert "程序内部出错" in result.output
    assert "数据没有丢失" in result.output
