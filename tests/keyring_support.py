"""A PC without a system keyring, for the tests of the token's encrypted fallback.

No test lives here. ``no_keyring`` makes this process and every process a test
starts (the real ``gongkai`` command line) use keyring's own ``fail`` backend,
as on an office PC with no Secret Service, and points the per-user config
folder (where the encrypted token goes) at the test's own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app.sync import exchange

FAIL_BACKEND = "keyring.backends.fail.Keyring"


@pytest.fixture
def no_keyring(own_user_config: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No usable keyring, here and in child processes; yields the per-user config folder.

    The folder is the test's own (conftest's ``own_user_config``), as for every test.
    """
    config = own_user_config
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FAIL_BACKEND)
    monkeypatch.delenv(exchange.TOKEN_ENV, raising=False)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield config / "gongkai"
    keyring.set_keyring(before)
