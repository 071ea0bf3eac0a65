"""The load check's pure parts: percentiles and the loopback-only rule."""

from __future__ import annotations

import pytest

from canbo.eval.load_check import is_loopback, main, percentile


def test_percentiles_interpolate_between_order_statistics():
    values = [40.0, 10.0, 30.0, 20.0, 50.0]
    assert percentile(values, 50) == 30.0
    assert percentile(values, 95) == pytest.approx(48.0)  # 4 * 0.95 = 3.8: 40 + 0.8 * 10
    assert percentile(values, 99) == pytest.approx(49.6)
    assert percentile([7.0], 99) == 7.0


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://127.8.9.1:1", True),
        ("http://localhost:8000/", True),
        ("http://[::1]:8000", True),
        ("http://10.0.0.5:8000", False),
        ("http://192.168.1.2", False),
        ("http://example.org", False),
    ],
)
def test_only_loopback_addresses_are_targets(url, ok):
    assert is_loopback(url) is ok


def test_a_remote_url_is_refused_before_any_request(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--url", "http://192.168.1.2:8000", "--requests", "1"])
    assert exit_info.value.code == 2
    assert "not a loopback address" in capsys.readouterr().err
