"""wss:// with the site's CA bundle: a real TLS server on loopback with certificates made here."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cockpit.config import tls_context
from cockpit.feed import Backoff, ConnectionState, FeedClient
from tests.feed.test_live import IDENTITY, Recorder, make_backend
from tests.helpers import wait_until
from tests.tls import Pki, TlsFront, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


async def _feed_through_tls(ca: Path, pki: Pki) -> tuple[FeedClient, ConnectionState, str]:
    """Run a feed through a TLS front trusting ``ca``; the state and detail it reached, then stop."""
    backend = make_backend()
    await backend.start()
    front = TlsFront(pki, backend.port)
    await front.start()
    feed = FeedClient(
        [front.url()], IDENTITY, Recorder(), backoff=Backoff(base_s=0.05, cap_s=0.3), ssl_context=tls_context(ca)
    )
    feed.start()
    try:
        await wait_until(
            lambda: feed.state is ConnectionState.LIVE or "TLS" in feed.detail, what="live or a TLS verdict"
        )
        return feed, feed.state, feed.detail
    finally:
        await feed.stop()
        await front.stop()
        await backend.stop()


def test_feed_goes_live_over_wss_verified_by_the_site_ca(pki: Pki) -> None:
    feed, state, detail = asyncio.run(_feed_through_tls(pki.ca, pki))
    assert state is ConnectionState.LIVE, detail
    assert feed.counters.frames > 0


def test_feed_refuses_a_backend_signed_by_another_ca_and_says_why(pki: Pki) -> None:
    feed, state, detail = asyncio.run(_feed_through_tls(pki.other_ca, pki))
    assert state is ConnectionState.OFFLINE
    assert feed.counters.frames == 0, "no protocol frame may cross an untrusted link"
    assert "certificate is not trusted" in detail
    assert "CA bundle" in detail
    assert feed.url in detail


def test_tls_context_refuses_a_file_that_is_not_pem(tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n")
    with pytest.raises(OSError):  # ssl.SSLError is an OSError
        tls_context(bad)
