"""Every error the library raises survives pickling with its attributes (errors cross process
pools and task queues in gateways)."""

from __future__ import annotations

import copy
import pickle

import pytest

import mm7codec
from mm7codec import Deviation


def _errors() -> list[mm7codec.MM7Error]:
    return [
        mm7codec.MM7Error("plain", where="/a", offset=3, status_code=2000),
        mm7codec.DecodeError(
            "bad", where="/b", transaction_id="t", version="6.8.0", namespace="urn:x"
        ),
        mm7codec.DeviationError((Deviation("bare-lf", "a bare LF", "body"),)),
        mm7codec.LimitExceeded("max_xml_depth", 32, where="/c"),
        mm7codec.EncodeError("cannot", where="subject"),
        mm7codec.UsageError("twice"),
        mm7codec.AddressError("not a number"),
    ]


@pytest.mark.parametrize("error", _errors(), ids=lambda error: type(error).__name__)
def test_errors_pickle_and_copy_with_their_attributes(error: mm7codec.MM7Error) -> None:
    for restored in (pickle.loads(pickle.dumps(error)), copy.deepcopy(error)):
        assert type(restored) is type(error)
        assert str(restored) == str(error)
        assert vars(restored) == vars(error)
