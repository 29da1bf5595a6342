"""The network commands: send, the fake peers in the foreground, and fuzzing a receiver."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

import mm7codec
from mm7codec import wsgi
from mm7codec.__main__ import main
from mm7codec.testing import FakeMMSC

from .test_edge import wsgi_served

BUNDLED = Path(mm7codec.__file__).with_name("samples")
PROJECT = Path(__file__).resolve().parent.parent


def test_send_a_json_description_and_print_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeMMSC() as mmsc:
        assert main(["send", mmsc.url, str(BUNDLED / "submit-text.json")]) == 0
        assert [type(request).__name__ for request in mmsc.received] == ["SubmitReq"]
    assert "SubmitRsp" in capsys.readouterr().out


def test_send_reports_an_error_status_and_a_fault(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeMMSC() as mmsc:
        mmsc.respond_with(lambda request: request.reply(2002, message_id="m"))
        assert main(["send", mmsc.url, str(BUNDLED / "submit-text.http")]) == 1
        assert "2002" in capsys.readouterr().out
        mmsc.respond_with(lambda request: request.fault(4004))
        assert main(["send", mmsc.url, str(BUNDLED / "submit-text.http")]) == 1
        assert "Fault" in capsys.readouterr().out


def test_the_vasp_command_serves_until_its_request_count() -> None:
    environment = {**os.environ, "PYTHONPATH": str(PROJECT)}
    command = [sys.executable, "-m", "mm7codec", "vasp", "--requests", "1"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env=environment, cwd=PROJECT
    ) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            url = banner.split(" at ")[1].split()[0]
            report = mm7codec.DeliveryReportReq(
                transaction_id="cli-1",
                message_id="m-1",
                recipient=mm7codec.Address("15553199144"),
                sender=mm7codec.Address("12345", "ShortCode"),
                date=datetime(2026, 1, 1, tzinfo=UTC),
                mm_status="Retrieved",
            )
            with FakeMMSC() as mmsc:
                assert mmsc.push(report, url, retries=0).delivered
            logged = process.stdout.read()
            assert process.wait(timeout=20) == 0
        finally:
            process.kill()
    assert "DeliveryReportReq 'cli-1' -> 1000" in logged


def test_fuzz_passes_against_the_bundled_receiver(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("hypothesis", reason="the fuzz command generates with Hypothesis")
    with wsgi_served(wsgi.app(lambda request: None)) as url:
        status = main(["fuzz", url, "--count", "25", "--seed", "1", "--save", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "25 requests" in out and "0 failed" in out
    assert not list(tmp_path.iterdir())


def test_fuzz_names_the_requests_a_broken_receiver_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("hypothesis", reason="the fuzz command generates with Hypothesis")

    def wrong_transaction_id(request: mm7codec.Request) -> mm7codec.Response:
        return dataclasses.replace(request.reply(), transaction_id="not-yours")

    with wsgi_served(wsgi.app(wrong_transaction_id)) as url:
        status = main(["fuzz", url, "--count", "20", "--seed", "2", "--save", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1
    assert "TransactionID 'not-yours'" in out
    saved = sorted(tmp_path.iterdir())
    assert saved, "failing requests are saved for replay"
    assert mm7codec.looks_like_http(saved[0].read_bytes())

    def crash_on_dialects(request: mm7codec.Request) -> None:
        if request.deviations:
            raise RuntimeError("cannot read that")

    with wsgi_served(wsgi.app(crash_on_dialects)) as url:
        status = main(["fuzz", url, "--count", "30", "--seed", "3", "--save", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1
    assert "dialect" in out and "HTTP 500 Fault" in out
