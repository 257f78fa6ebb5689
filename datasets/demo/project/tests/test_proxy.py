import json

from llmrelay.proxy.proxy_server import handle


def test_rejects_bad_key():
    assert handle(b"{}", "a", "b")["status"] == 401


def test_relays():
    assert handle(json.dumps({"model": "mistral/small"}).encode(), "k", "k")["provider"] == "mistral"
