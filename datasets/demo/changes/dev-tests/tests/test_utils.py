from llmrelay.utils import redact, truncate


def test_redact():
    assert redact("sk-123456") == "*****3456"


def test_truncate():
    assert truncate("abc", 2) == "a…"
