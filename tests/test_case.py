"""case.yaml is written so a buyer can read it, and read back exactly as written."""

from hypothesis import given, settings
from hypothesis import strategies as st

from buyer_helper.case import read_yaml, write_yaml


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_story_round_trips(tmp_path_factory, story):
    path = tmp_path_factory.mktemp("c") / "case.yaml"
    data = {"story": story, "order": {"id": "231118-0945", "amount": "89.90"}}
    write_yaml(path, data)
    assert read_yaml(path) == data


def test_multi_line_story_is_a_readable_block(tmp_path):
    path = tmp_path / "case.yaml"
    write_yaml(path, {"story": "第一行\n商家说：“你是不是有病？”\n"})
    text = path.read_text(encoding="utf-8")
    assert "story: |" in text
    assert "  商家说：“你是不是有病？”" in text.splitlines()
