"""Token revocation, offline: a list file that ``cockpit-token revoke`` keeps and that the demo
backend and the gateway follow (``--revoked-file``), refusing revoked tokens at the hello with
``token_revoked`` and closing sessions whose token becomes revoked.

Real loopback websockets, real tokens signed with the test site's secret, a real FeedClient, the
real ``cockpit-token`` and ``cockpit-backend`` commands, and (for the gateway) a real nats-server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import pytest
import websockets

from cockpit.backend.gateway.main import main as gateway_main
from cockpit.backend.gateway.server import Gateway, GatewayConfig
from cockpit.backend.server import CLOSE_REFUSED
from cockpit.config.revocation import (
    Revocation,
    RevocationError,
    RevocationFile,
    append,
    parse,
    read_list,
    utc_text,
)
from cockpit.feed import ConnectionState
from cockpit.present.i18n import untranslated
from cockpit.present.words import Words
from cockpit.protocol.codec import encode_frame
from cockpit.protocol.messages import Hello, Refused, Welcome
from cockpit.protocol.tokens import REFUSAL_CODES, TOKEN_REVOKED, Claims, issue, new_token_id, peek, verify
from tests.conftest import TIME_SCALE
from tests.gateway.conftest import NatsServer
from tests.gateway.support import start_bridge
from tests.helpers import wait_until
from tests.security.support import SECRET, VERIFIER, Sink, make_backend, make_feed
from tests.security.test_auth import raw_hello

_SERVER = msgspec.msgpack.Decoder(list[Welcome | Refused])
NOW = 1_700_000_000


def signed(operator: str = "li.wei", issued_at: int | None = None, token_id: str | None = None) -> str:
    """A real operator token; a fresh random id unless ``token_id`` is given ("" for an old, id-less one)."""
    iat = int(time.time()) - 60 if issued_at is None else issued_at
    jti = new_token_id() if token_id is None else token_id
    return issue(SECRET, Claims(operator, "operator", (), iat, iat + 3600 + 120, jti))


def write_list(path: Path, text: str) -> None:
    """Replace the list in one step, as ``cockpit-token revoke`` does."""
    spare = path.with_suffix(".new")
    spare.write_text(text, encoding="utf-8")
    os.replace(spare, path)


def following(path: Path) -> RevocationFile:
    """The server side of a list, checked every 0.1 s (2 s by default) to keep the tests short."""
    return RevocationFile(path, check_every_s=0.1)


class RawSession:
    """One welcomed connection seen from the wire, to watch what the server sends and how it closes."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(cls, url: str, tok: str) -> RawSession:
        ws = await websockets.connect(url)
        await ws.send(encode_frame([Hello(v=1, client_id="raw", operator="x", role="viewer", token=tok)]))
        frame = await asyncio.wait_for(ws.recv(), 10)
        assert isinstance(frame, bytes)
        assert isinstance(_SERVER.decode(frame)[0], Welcome)
        return cls(ws)

    async def refusal(self) -> tuple[Refused, int | None]:
        """The ``refused`` the server sends (heartbeats before it are skipped) and the close code."""
        async with asyncio.timeout(20 * TIME_SCALE):  # heartbeats keep coming until then
            while True:
                frame = await self.ws.recv()
                assert isinstance(frame, bytes)
                refused = [m for m in msgspec.msgpack.decode(frame) if m.get("t") == "refused"]
                if refused:
                    with pytest.raises(websockets.ConnectionClosed):
                        await self.ws.recv()
                    return msgspec.convert(refused[0], Refused), self.ws.close_code


# ------------------------------------------------------------------------------------ the list


def test_a_token_is_revoked_by_its_id_or_by_operator_and_issue_time(tmp_path: Path) -> None:
    text = (
        "# revoked at this site\n"
        "\n"
        "id 3f9a1c2b7d4e5f60   # laptop stolen\n"
        "operator li.wei before 2023-11-14T22:20:00Z\n"
        'operator "Zhao Lei" before 2023-11-15T06:20:00+08:00  # left the service\n'
    )
    revocations = parse(text)
    assert [(r.line, r.note) for r in revocations.entries] == [
        (3, "laptop stolen"),
        (4, ""),
        (5, "left the service"),
    ]
    cutoff = 1_700_000_400  # 2023-11-14T22:20:00Z, 2023-11-15T06:20:00+08:00
    one = Claims("wang.fang", "operator", (), NOW, NOW + 60, "3f9a1c2b7d4e5f60")
    assert revocations.revoking(one) == revocations.entries[0]
    assert (
        revocations.revoking(Claims("wang.fang", "operator", (), NOW, NOW + 60, "0000aaaa0000bbbb")) is None
    )
    # By operator: tokens issued before the time, with an id or without; a later one still holds.
    assert revocations.revoking(Claims("li.wei", "operator", (), cutoff - 1, cutoff + 60)) is not None
    assert revocations.revoking(Claims("li.wei", "operator", (), cutoff - 1, cutoff + 60, "abc")) is not None
    assert revocations.revoking(Claims("li.wei", "operator", (), cutoff, cutoff + 60)) is None
    assert revocations.revoking(Claims("Zhao Lei", "viewer", (), cutoff - 1, cutoff + 60)) is not None
    assert revocations.revoking(Claims("zhao.lei", "viewer", (), cutoff - 1, cutoff + 60)) is None
    # A list written back reads the same.
    path = tmp_path / "revoked"
    for entry in revocations.entries:
        append(path, entry)
    assert [(r.token_id, r.operator, r.before, r.note) for r in read_list(path).entries] == [
        (r.token_id, r.operator, r.before, r.note) for r in revocations.entries
    ]
    assert TOKEN_REVOKED in REFUSAL_CODES


def test_new_tokens_carry_an_id_and_old_tokens_without_one_still_verify() -> None:
    new = signed(token_id="0a1b2c3d4e5f6071")
    assert verify(SECRET, new, int(time.time())).token_id == "0a1b2c3d4e5f6071"
    old = issue(SECRET, Claims("li.wei", "operator", (), NOW, NOW + 3600))
    assert verify(SECRET, old, NOW + 1) == Claims("li.wei", "operator", (), NOW, NOW + 3600, "")
    assert new_token_id() != new_token_id() and len(new_token_id()) == 16
    with pytest.raises(ValueError, match="token id"):
        issue(SECRET, Claims("li.wei", "operator", (), NOW, NOW + 3600, "no spaces allowed"))


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("id", "is not a revocation"),
        ("id 12 34", "is not a revocation"),
        ("id ab/cd", "not a token id"),
        ("operator li.wei", "is not a revocation"),
        ("operator li.wei after 2026-11-22T23:40:00Z", "is not a revocation"),
        ("operator li.wei before yesterday", "is not a time"),
        ("operator li.wei before 2026-11-22T23:40:00", "has no time zone"),
        ('operator "li wei before 2026-11-22T23:40:00Z', "quoted name is not closed"),
        ("revoke everything", "is not a revocation"),
    ],
)
def test_a_malformed_line_is_an_error_naming_file_and_line(tmp_path: Path, line: str, says: str) -> None:
    path = tmp_path / "revoked"
    path.write_text(f"# list\nid 3f9a1c2b7d4e5f60\n{line}\n", encoding="utf-8")
    with pytest.raises(RevocationError) as err:
        read_list(path)
    assert f"{path}:3: " in str(err.value) and says in str(err.value)
    with pytest.raises(RevocationError, match=f"{path}:3: "):
        RevocationFile(path)  # a server does not start on it
    with pytest.raises(RevocationError, match="no such revocation list"):
        RevocationFile(tmp_path / "missing")


def test_a_list_that_turns_malformed_keeps_the_last_good_one_until_it_is_fixed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "revoked"
    path.write_text("id aaaa0000bbbb1111\n", encoding="utf-8")
    live = following(path)
    revoked = Claims("li.wei", "operator", (), NOW, NOW + 60, "aaaa0000bbbb1111")
    assert live.revoking(revoked) is not None and not live.refresh()
    write_list(path, "id aaaa0000bbbb1111\nid cccc2222dddd3333\noperator li.wei before\n")
    with caplog.at_level(logging.ERROR, logger="cockpit.config.revocation"):
        assert not live.refresh()
    assert f"{path}:3: " in live.error and f"{path}:3: " in caplog.text and "last good list" in caplog.text
    assert live.revoking(revoked) is not None  # the last good list holds
    assert live.revoking(Claims("li.wei", "operator", (), NOW, NOW + 60, "cccc2222dddd3333")) is None
    write_list(path, "id cccc2222dddd3333\n")
    assert live.refresh() and not live.error
    assert live.revoking(revoked) is None
    assert live.revoking(Claims("li.wei", "operator", (), NOW, NOW + 60, "cccc2222dddd3333")) is not None


# ------------------------------------------------------------------------------------ cockpit-token


def test_cockpit_token_revoke_and_revoked_round_trip_without_printing_a_token(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "cockpit.config.tokens"]

    def token_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*run, *args], capture_output=True, text=True, timeout=60)

    secret_file, listed = tmp_path / "site.secret", tmp_path / "revoked"
    assert token_cli("secret", str(secret_file)).returncode == 0
    tok_file = tmp_path / "li.wei.token"
    issued = token_cli("issue", "--secret-file", str(secret_file), "--operator", "li.wei", "--role", "operator",
                       "--out", str(tok_file))  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    tok = tok_file.read_text().strip()
    token_id = peek(tok).token_id
    assert token_id and f"token id {token_id}" in issued.stderr  # to revoke that one token later

    by_file = token_cli(
        "revoke", "--list", str(listed), "--token-file", str(tok_file), "--reason", "laptop lost"
    )
    assert by_file.returncode == 0, by_file.stderr
    old_file = tmp_path / "old.token"  # issued before tokens had ids: revoked by operator and issue time
    old_file.write_text(
        issue(secret_file.read_text().strip().encode(), Claims("wang.fang", "viewer", (), NOW, NOW + 60))
    )
    by_old = token_cli("revoke", "--list", str(listed), "--token-file", str(old_file))
    assert by_old.returncode == 0 and "has no id" in by_old.stderr
    by_name = token_cli(
        "revoke", "--list", str(listed), "--operator", "Zhao Lei", "--before", "2026-11-22T23:40:00Z"
    )
    by_id = token_cli("revoke", "--list", str(listed), "--id", "0a1b2c3d4e5f6071")
    assert by_name.returncode == 0 and by_id.returncode == 0

    shown = token_cli("revoked", "--list", str(listed))
    assert shown.returncode == 0, shown.stderr
    assert f"{listed}: 4 revocation(s)" in shown.stdout
    assert f"token id {token_id}" in shown.stdout and "laptop lost" in shown.stdout
    assert f"tokens of wang.fang issued before {utc_text(NOW + 1)}" in shown.stdout
    assert "tokens of Zhao Lei issued before 2026-11-22T23:40:00Z" in shown.stdout
    assert "token id 0a1b2c3d4e5f6071" in shown.stdout
    everything = (
        issued.stdout + issued.stderr + by_file.stdout + by_file.stderr + shown.stdout + by_old.stderr
    )
    assert tok not in everything and old_file.read_text() not in everything + listed.read_text()

    revocations = read_list(listed)
    assert revocations.revoking(peek(tok)) is not None
    assert revocations.revoking(peek(old_file.read_text())) is not None
    assert revocations.revoking(Claims("wang.fang", "viewer", (), NOW + 1, NOW + 60)) is None  # a newer one

    # Bad input: the file is left as it was, and the error names it (and the line).
    before = listed.read_text()
    listed.write_text(before + "operator nobody\n", encoding="utf-8")
    broken = token_cli("revoke", "--list", str(listed), "--id", "ffff")
    assert broken.returncode == 2 and f"{listed}:6: " in broken.stderr
    assert listed.read_text() == before + "operator nobody\n"
    assert token_cli("revoke", "--list", str(listed), "--id", "no/slashes").returncode == 2
    when = token_cli("revoke", "--list", str(tmp_path / "l2"), "--operator", "x", "--before", "tomorrow")
    assert when.returncode == 2 and "is not a time" in when.stderr and not (tmp_path / "l2").exists()


def test_cockpit_backend_does_not_start_on_a_malformed_list(tmp_path: Path) -> None:
    secret_file, listed = tmp_path / "site.secret", tmp_path / "revoked"
    secret_file.write_text(SECRET.decode() + "\n")
    listed.write_text("# ok\nid 0a1b2c3d4e5f6071\noperator li.wei before noon\n")
    started = subprocess.run(
        [sys.executable, "-m", "cockpit.backend.main", "--port", "0", "--secret-file", str(secret_file),
         "--revoked-file", str(listed)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert started.returncode == 2 and f"{listed}:3: " in started.stderr and "noon" in started.stderr
    alone = subprocess.run(
        [sys.executable, "-m", "cockpit.backend.main", "--port", "0", "--revoked-file", str(listed)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert alone.returncode == 2 and "needs --jwks" in alone.stderr


def test_cockpit_gateway_does_not_start_on_a_malformed_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_file, listed = tmp_path / "site.secret", tmp_path / "revoked"
    secret_file.write_text(SECRET.decode() + "\n")
    listed.write_text("id 0a1b2c3d4e5f6071 0a1b\n")
    args = ["--nats", "nats://127.0.0.1:1", "--secret-file", str(secret_file), "--revoked-file", str(listed)]
    assert gateway_main(args) == 2
    assert f"{listed}:1: " in capsys.readouterr().err
    assert gateway_main(args[:2] + args[4:]) == 2
    assert "needs --jwks" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ the demo backend


def test_the_demo_backend_refuses_a_revoked_token_at_the_hello_and_takes_the_operators_new_one(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        listed = tmp_path / "revoked"
        stolen, other = signed(), signed()
        write_list(listed, f"id {peek(stolen).token_id}\n")
        backend = make_backend()
        backend.revocations = following(listed)
        async with backend:
            refused, close = await raw_hello(backend.url, stolen)
            assert (refused.code, close) == (TOKEN_REVOKED, CLOSE_REFUSED)
            assert "li.wei" in refused.detail and stolen not in refused.detail
            assert backend.refusals == [TOKEN_REVOKED]
            sink = Sink()
            feed = make_feed(backend.url, sink, other)  # the same operator's other token holds
            feed.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await feed.stop()
            # Revoked by operator and issue time: the older tokens go, a newer one holds.
            now = int(time.time())
            write_list(listed, f"operator li.wei before {utc_text(now)}\n")
            refused, _ = await raw_hello(backend.url, signed(issued_at=now - 10, token_id=""))
            assert refused.code == TOKEN_REVOKED and "issued before" in refused.detail
            refused, _ = await raw_hello(backend.url, signed(issued_at=now - 10))
            assert refused.code == TOKEN_REVOKED
            welcomed = await RawSession.open(backend.url, signed(issued_at=now + 1))
            await welcomed.ws.close()

    asyncio.run(body())


def test_the_demo_backend_closes_a_session_whose_token_is_revoked_and_the_wall_says_why(
    tmp_path: Path,
) -> None:
    async def body() -> None:
        listed = tmp_path / "revoked"
        write_list(listed, "# nothing revoked yet\n")
        tok, kept = signed(), signed("wang.fang")
        backend = make_backend()
        backend.revocations = following(listed)
        async with backend:
            raw = await RawSession.open(backend.url, tok)
            sink, sink2 = Sink(), Sink()
            feed = make_feed(backend.url, sink, tok)
            other = make_feed(backend.url, sink2, kept, operator="wang.fang")
            feed.start()
            other.start()
            await wait_until(lambda: feed.state is ConnectionState.LIVE, what="live")
            await wait_until(lambda: other.state is ConnectionState.LIVE, what="the other live")
            append(listed, Revocation(0, token_id=peek(tok).token_id, note="stolen"))
            refused, close = await raw.refusal()
            assert (refused.code, close) == (TOKEN_REVOKED, CLOSE_REFUSED)
            await wait_until(lambda: feed.refused.startswith(TOKEN_REVOKED), what="the wall's refusal")
            assert Words(untranslated).refusal(feed.refused).startswith("the operator token has been revoked")
            # It comes back, and is refused at the hello from then on; the other operator stays.
            await wait_until(lambda: backend.refusals.count(TOKEN_REVOKED) >= 3, what="refused again")
            assert feed.state is not ConnectionState.LIVE and other.state is ConnectionState.LIVE
            # A connection of the revoked wall may be mid-handshake (no operator yet): never admitted.
            assert {c.operator for c in backend.clients if c.operator} == {"wang.fang"}
            await feed.stop()
            await other.stop()

    asyncio.run(body())


def test_the_demo_backend_keeps_the_last_good_list_when_the_file_breaks(tmp_path: Path) -> None:
    async def body() -> None:
        listed = tmp_path / "revoked"
        revoked, later = signed(), signed()
        write_list(listed, f"id {peek(revoked).token_id}\n")
        backend = make_backend()
        backend.revocations = following(listed)
        async with backend:
            raw = await RawSession.open(backend.url, later)
            write_list(listed, f"id {peek(revoked).token_id}\nid {peek(later).token_id}\nid\n")
            await wait_until(
                lambda: f"{listed}:3: " in (backend.revocations.error if backend.revocations else "")
            )
            refused, _ = await raw_hello(backend.url, revoked)
            assert refused.code == TOKEN_REVOKED  # the last good list still holds
            assert not raw.ws.close_code  # and the broken file revoked nothing new
            write_list(listed, f"id {peek(revoked).token_id}\nid {peek(later).token_id}\n")
            refused, close = await raw.refusal()
            assert (refused.code, close) == (TOKEN_REVOKED, CLOSE_REFUSED)

    asyncio.run(body())


# ------------------------------------------------------------------------------------ the gateway


@pytest.mark.slow
def test_the_gateway_refuses_a_revoked_token_and_closes_its_session(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    async def body() -> None:
        listed = tmp_path / "revoked"
        stolen, tok = signed(), signed()
        write_list(listed, f"id {peek(stolen).token_id}\n")
        bridge = await start_bridge(nats_server.url)
        gw = Gateway(
            GatewayConfig(
                [nats_server.url],
                server_id="gw-rev",
                heartbeat_ms=300,
                verifier=VERIFIER,
                revocations=following(listed),
            )
        )
        await gw.start()
        try:
            refused, close = await raw_hello(gw.url, stolen)
            assert (refused.code, close) == (TOKEN_REVOKED, CLOSE_REFUSED) and gw.stats.refused_hellos == 1
            raw = await RawSession.open(gw.url, tok)
            append(listed, Revocation(0, token_id=peek(tok).token_id))
            refused, close = await raw.refusal()
            assert (refused.code, close) == (TOKEN_REVOKED, CLOSE_REFUSED) and gw.stats.revoked_sessions == 1
        finally:
            await gw.stop()
            await bridge.stop()

    asyncio.run(body())
