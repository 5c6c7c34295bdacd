"""The log net (observability.mask) skips a pattern on a line that cannot match it; it must still catch
every case it caught when all patterns ran on every line."""
from __future__ import annotations

import pytest

from chalicelib import observability
from chalicelib.observability import mask

LINES = [
    '{"message":"request","timestamp":"2026-11-27T12:00:00.000+00:00","status":200}',
    "to ana@example.com / +34600111222: https://x.example/b/s/manage/R?token=abc123&x=1",
    '{"body": {"manage_token": "abc"}, "auth": "BEARER eyJ.abc.def", "b": "bearer x.y", "c": "BeArEr z"}',
    'token=abc "token": "def" ?token=ghi mail: A.B+c@Sub.Example.ES phone +4420 7946 0958 +442079460958',
    "nothing here at all",
    "",
]


def every_pattern(line: str) -> str:
    """What the net wrote when every pattern ran on every line."""
    for _, pattern, replacement in observability._MASKS:
        line = pattern.sub(replacement, line)
    return line


@pytest.mark.parametrize("line", LINES)
def test_the_net_writes_what_every_pattern_wrote(line):
    assert mask(line) == every_pattern(line)

