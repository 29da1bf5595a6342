"""``prepare`` moves a message to the version a peer takes only when ``for_version`` shows that
nothing is lost, and otherwise refuses, naming what would be lost."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings

from mm7codec import MM7Version, Recipients, SubmitReq, peers
from mm7codec.peers import PeerRefusal
from mm7codec.strategies import messages

# A NowSMS account set to 5.3.0 alone (the pairing it quotes, REL-5-MM7-1-2): every 6.8.0
# SubmitReq has to be moved there.
_nowsms = peers.get("nowsms")
NOWSMS = replace(_nowsms, versions=replace(_nowsms.versions, accept=("5.3.0",)))
_standard = MM7Version.parse("5.3.0").namespace or ""
TARGET = ("5.3.0", _standard.replace("REL-5-MM7-1-0", "REL-5-MM7-1-2"))


@settings(max_examples=40, deadline=None)
@given(messages(version="6.8.0", message_type=SubmitReq))
def test_a_move_to_an_older_version_happens_only_without_loss(message: SubmitReq) -> None:
    version, namespace = TARGET
    losses = message.for_version(version, namespace=namespace).losses
    try:
        prepared = NOWSMS.prepare(message)
    except PeerRefusal as refusal:
        version_findings = [f for f in refusal.findings if f.where == "version"]
        if losses:
            [finding] = version_findings
            for loss in losses:
                assert loss.field in finding.message
        else:  # refused for what the peer lints, never for the move
            assert not version_findings
        return
    assert not losses
    assert (prepared.message.version, prepared.message.namespace) == TARGET
    assert prepared.message.peer_pairing == TARGET


def test_a_release_6_element_stops_the_move_and_is_named() -> None:
    message = SubmitReq(recipients=Recipients(["15553199144"]), applic_id="com.example.app")
    with pytest.raises(PeerRefusal) as refused:
        NOWSMS.prepare(message)
    [finding] = [f for f in refused.value.findings if f.where == "version"]
    assert "applic_id" in finding.message
    assert finding.code == NOWSMS.versions.unsupported_version_code
