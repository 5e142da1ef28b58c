"""The sans-I/O command queue (§7.4), with fake time: what is sent when, and what the officer is told."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.protocol.commands import CommandQueue, CommandStatus
from cockpit.protocol.messages import AckResult, Command, CommandAck, Dispatch, Geometry, Plot, PlotBody


def cmd(n: int = 1, **kw: object) -> Command:
    return Command(id=f"c{n}", kind="dispatch", event_id="E1", unit_id="U1", **kw)  # type: ignore[arg-type]


def statuses(q: CommandQueue) -> list[tuple[str, CommandStatus, int]]:
    return [(u.command.id, u.status, u.tries) for u in q.take_updates()]


def test_queued_offline_then_sent_after_welcome_with_epoch_stamp() -> None:
    q = CommandQueue()
    q.submit(cmd(), 0)
    assert q.take_to_send() == []
    assert statuses(q) == [("c1", CommandStatus.QUEUED, 0)]
    q.link_opened("ep1", 100)
    assert [c.id for c in q.take_to_send()] == ["c1"]
    assert statuses(q) == [("c1", CommandStatus.SENT, 0)]
    q.submit(cmd(2), 200)
    sent = q.take_to_send()
    assert [c.epoch for c in sent] == ["ep1"], "a command is stamped with the epoch the wall shows"


def test_three_live_timeouts_make_it_unanswered_but_it_is_kept_and_resent() -> None:
    q = CommandQueue(timeout_ms=3000, tries=3, unanswered_retry_ms=10_000)
    q.link_opened("e", 0)
    q.submit(cmd(), 0)
    q.take_to_send()
    q.take_updates()
    for t in (3000, 6000):
        q.tick(t)
        assert len(q.take_to_send()) == 1
        assert statuses(q)[-1][1] is CommandStatus.SENT
    q.tick(9000)
    assert len(q.take_to_send()) == 1, "an unanswered command is sent again, never dropped"
    assert statuses(q) == [("c1", CommandStatus.UNANSWERED, 3)]
    assert q.status("c1") is CommandStatus.UNANSWERED and q.status("c1").pending  # type: ignore[union-attr]
    q.tick(12_000)
    assert q.take_to_send() == [], "after its tries, sent again less often"
    q.tick(19_000)
    assert len(q.take_to_send()) == 1
    q.acked(CommandAck(id="c1", result=AckResult.ACCEPTED))
    assert statuses(q)[-1][1] is CommandStatus.ACCEPTED
    assert len(q) == 0


def test_a_stalled_link_never_counts_tries() -> None:
    """Issue 14 case 3: kill -STOP the backend mid-dispatch. The wait ran while nothing arrived: no try
    counts, so the command never reads 'no response' while the backend may still act on it."""
    q = CommandQueue(timeout_ms=3000, tries=3)
    q.link_opened("e", 0)
    q.submit(cmd(), 0)
    q.take_to_send()
    q.take_updates()
    q.set_live(False, 1500)  # the backend stops: heartbeats stop, the session goes stale
    for t in range(1500, 60_000, 250):
        q.tick(t)
    assert q.take_to_send() == [], "nothing is pushed into a stalled link"
    assert all(s is CommandStatus.SENT for _, s, _ in statuses(q))
    q.set_live(True, 60_000)  # SIGCONT
    q.tick(60_000)
    resent = q.take_to_send()
    assert len(resent) == 1
    assert statuses(q) == [("c1", CommandStatus.SENT, 0)], "the stalled wait did not count"
    # The backend answers the resend with the first answer (§7.3): the command is accepted.
    q.acked(CommandAck(id="c1", result=AckResult.DUPLICATE, original=AckResult.ACCEPTED))
    assert statuses(q) == [("c1", CommandStatus.ACCEPTED, 0)]


def test_the_dispatch_stream_settles_a_command_whose_ack_was_lost() -> None:
    q = CommandQueue()
    q.link_opened("e", 0)
    q.submit(cmd(), 0)
    q.take_to_send()
    q.take_updates()
    q.observe([Dispatch(stream="dispatch", seq=1, prev=0, ts=1, command_id="c1", event_id="E1", unit_id="U1", state="accepted")])
    assert statuses(q) == [("c1", CommandStatus.ACCEPTED, 0)]
    q.tick(100_000)
    assert q.take_to_send() == []


def test_the_plots_stream_settles_a_create_whose_ack_was_lost_and_nothing_else() -> None:
    q = CommandQueue()
    q.link_opened("e", 0)
    point = Geometry(type="Point", coordinates=[106.45, 29.55])
    body = PlotBody(id="p1", kind="command_post", geometry=point, event_id="E1")
    q.submit(Command(id="c1", kind="plot_create", event_id="E1", plot=body), 0)
    q.submit(Command(id="c2", kind="plot_edit", event_id="E1", plot=body, base=1), 0)
    q.take_to_send()
    q.take_updates()
    shown = Plot(
        stream="plots", seq=1, prev=0, ts=1, id="p1", kind="command_post", active=True, geometry=point,
        event_id="E1", district="d", version=1, author="li.wei", created=1, updated=1,
    )  # fmt: skip
    q.observe([shown])
    assert statuses(q) == [("c1", CommandStatus.ACCEPTED, 0)], "the plot the create made is its effect"
    assert q.status("c2") is CommandStatus.SENT, "an edit is settled by its ack only"


def test_a_cut_resends_without_counting_and_another_epoch_expires() -> None:
    q = CommandQueue(timeout_ms=3000, tries=1)
    q.link_opened("e1", 0)
    q.submit(cmd(1), 0)
    q.take_to_send()
    q.link_closed(1000)
    assert statuses(q)[-1][1] is CommandStatus.QUEUED
    q.link_opened("e1", 5000)
    assert len(q.take_to_send()) == 1
    q.tick(8000)
    assert statuses(q)[-1] == ("c1", CommandStatus.UNANSWERED, 1), "only the full live wait counted"
    q.link_closed(8500)
    q.link_opened("e2", 9000)
    assert q.take_to_send() == []
    assert statuses(q)[-1] == ("c1", CommandStatus.EXPIRED, 1)


def test_held_after_a_long_wait_blocks_those_behind_until_confirmed_or_discarded() -> None:
    q = CommandQueue(reconfirm_after_ms=120_000)
    q.submit(cmd(1), 0)
    q.submit(cmd(2), 130_000)
    q.link_opened("e", 130_500)
    assert q.take_to_send() == []
    assert statuses(q)[-1] == ("c1", CommandStatus.HELD, 0)
    assert q.discard("c1", 131_000)
    assert [c.id for c in q.take_to_send()] == ["c2"]
    assert [s for _, s, _ in statuses(q)] == [CommandStatus.DISCARDED, CommandStatus.SENT]


def test_abandon_only_an_unanswered_command() -> None:
    q = CommandQueue(timeout_ms=10, tries=1)
    q.link_opened("e", 0)
    q.submit(cmd(), 0)
    assert not q.abandon("c1")
    q.tick(10)
    assert q.abandon("c1")
    assert statuses(q)[-1][1] is CommandStatus.ABANDONED
    assert not CommandStatus.ABANDONED.settled, "the backend's word may still come"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["submit", "open", "close", "stall", "resume", "tick", "ack", "confirm", "discard"]),
            st.integers(0, 5),
            st.integers(1, 5000),
        ),
        max_size=60,
    )
)
def test_any_history_keeps_the_queue_consistent(ops: list[tuple[str, int, int]]) -> None:
    """Whatever happens, a command is reported settled at most once, only settled commands leave the
    queue, and nothing is ever sent while the link is closed."""
    q = CommandQueue(timeout_ms=1000, tries=2, unanswered_retry_ms=2000, reconfirm_after_ms=20_000)
    now, is_open, settled = 0, False, set()
    for op, n, dt in ops:
        now += dt
        if op == "submit":
            # An id answered and gone may be submitted again (an outbox restored, a gateway test's
            # resend): it is a new submission, sent again, and the backend's duplicate ack answers it.
            if q.status(f"c{n}") is None:
                settled.discard(f"c{n}")
            q.submit(cmd(n), now)
        elif op == "open":
            q.link_opened("e", now)
            is_open = True
        elif op == "close":
            q.link_closed(now)
            is_open = False
        elif op == "stall":
            q.set_live(False, now)
        elif op == "resume":
            q.set_live(True, now)
        elif op == "tick":
            q.tick(now)
        elif op == "ack":
            q.acked(CommandAck(id=f"c{n}", result=AckResult.ACCEPTED))
        elif op == "confirm":
            q.confirm(f"c{n}", now)
        else:
            q.discard(f"c{n}", now)
        sent = q.take_to_send()
        assert is_open or not sent
        for u in q.take_updates():
            if not u.status.pending:
                assert u.command.id not in settled or u.status is CommandStatus.ABANDONED
                settled.add(u.command.id)
                assert q.status(u.command.id) is None or u.command.id in {c.id for c in q.pending()}


def test_a_command_submitted_again_after_its_answer_is_sent_again_and_the_duplicate_answers_it() -> None:
    """Found by the history test above (submit, ack, submit, ack): an answered id submitted again is
    a new submission (a restored outbox, a resend through another gateway): it is sent again and the
    backend's duplicate ack, carrying the first answer, settles it once more."""
    q = CommandQueue(timeout_ms=1000, tries=2, unanswered_retry_ms=2000, reconfirm_after_ms=20_000)
    q.link_opened("e", 0)
    q.submit(cmd(0), 1)
    assert [c.id for c in q.take_to_send()] == ["c0"]
    q.acked(CommandAck(id="c0", result=AckResult.ACCEPTED))
    assert [u.status for u in q.take_updates() if not u.status.pending] == [CommandStatus.ACCEPTED]
    q.submit(cmd(0), 2)
    assert [c.id for c in q.take_to_send()] == ["c0"]
    q.acked(CommandAck(id="c0", result=AckResult.DUPLICATE, original=AckResult.ACCEPTED))
    assert [u.status for u in q.take_updates() if not u.status.pending] == [CommandStatus.ACCEPTED]
    assert q.status("c0") is None
