"""pytest fixtures for testing MM7 applications, registered through the ``pytest11`` entry
point (so they exist wherever mm7codec and pytest are both installed).

``mm7_mmsc`` is a running ``FakeMMSC`` to send requests to (point your VASP's client at
``mm7_mmsc.url``) and push MO messages and reports from; ``mm7_vasp`` is a running ``FakeVASP``
to deliver to. Each fixture serves for one test and stops after it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .testing import FakeMMSC, FakeVASP


@pytest.fixture
def mm7_mmsc() -> Iterator[FakeMMSC]:
    """A fake MMSC on 127.0.0.1 for the length of one test."""
    with FakeMMSC() as mmsc:
        yield mmsc


@pytest.fixture
def mm7_vasp() -> Iterator[FakeVASP]:
    """A fake VASP on 127.0.0.1 for the length of one test."""
    with FakeVASP() as vasp:
        yield vasp
