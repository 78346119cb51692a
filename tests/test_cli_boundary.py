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
    import buyer_helper.facts.hours as hours

    def boom(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(hours, "hours_command", boom)
    result = runner.invoke(main, ["hours"])
    assert result.exit_code == 70
    assert "程序内部出错" in result.output
    assert "数据没有丢失" in result.output


def test_usage_errors_are_said_in_chinese(runner):
    missing = runner.invoke(main, ["plan"])
    assert missing.exit_code == 2
    assert "缺少" in missing.output and "--answers" in missing.output
    typo = runner.invoke(main, ["plan", "--answers", "x", "--jsn"])
    assert typo.exit_code == 2
    assert "没有 --jsn 这个选项" in typo.output and "--json" in typo.output
    unknown = runner.invoke(main, ["nonsense"])
    assert unknown.exit_code == 2
    assert "没有 nonsense 这个命令" in unknown.output
    for result in (missing, typo, unknown):
        assert "Error" not in result.output and "Usage" not in result.output


def test_help_lists_the_values_a_buyer_must_type(runner):
    log_help = runner.invoke(main, ["log", "--help"]).output
    assert "hotline_called" in log_help and "已打消费者热线" in log_help
    letter_help = runner.invoke(main, ["letter", "--help"]).output
    assert "c12315_online" in letter_help and "黑猫投诉" in letter_help
    assert "Show this message" not in letter_help and "[required]" not in letter_help
