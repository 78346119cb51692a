"""`buyer-helper demo`: the README's first command builds a whole sample case."""

from pypdf import PdfReader

from buyer_helper.cli import main
from buyer_helper.sample import SAMPLE_ANSWERS, SAMPLE_NOW


def test_demo_builds_plan_letters_and_pdf(runner, tmp_path):
    folder = tmp_path / "示例"
    result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output

    evidence = sorted(p.name for p in (folder / "evidence").iterdir())
    assert evidence == sorted(SAMPLE_ANSWERS["evidence_notes"])

    out = folder / "out"
    texts = sorted(p.name for p in out.glob("*.txt"))
    assert "00-维权计划.txt" in texts
    assert any("12315" in name for name in texts)
    assert any("黑猫" in name for name in texts)
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1
    assert str(pdfs[0].resolve()) in result.output

    reader = PdfReader(pdfs[0])
    text = "".join(page.extract_text() for page in reader.pages)
    assert SAMPLE_ANSWERS["order"]["id"] in text
    for name in evidence:
        assert name in text

    # The printed plan names the seller's rejection → the platform's intervention next.
    assert "官方客服" in result.output
    assert "不是法律意见" in result.output


def test_demo_runs_again_in_its_own_folder(runner, tmp_path):
    folder = tmp_path / "demo"
    for _ in range(2):
        result = runner.invoke(main, ["demo", str(folder), "--now", SAMPLE_NOW])
        assert result.exit_code == 0, result.output


def test_demo_never_overwrites_a_buyers_folder(runner, tmp_path):
    folder = tmp_path / "我的案子"
    folder.mkdir()
    (folder / "case.yaml").write_text("platform: pdd\n", encoding="utf-8")
    result = runner.invoke(main, ["demo", str(folder)])
    assert result.exit_code == 2
    assert "不是示例案子" in result.output
    assert (folder / "case.yaml").read_text(encoding="utf-8") == "platform: pdd\n"
