from llmrelay.router import Router


def test_pick_prefix():
    assert Router(providers=["anthropic"]).pick("anthropic/claude") == "anthropic"


def test_default():
    assert Router().pick("gpt-x") == "openai"
