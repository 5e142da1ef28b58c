"""``cockpit-conformance URL``: check a protocol v1 server against docs/protocol.md, clause by clause.

A district team points it at its server. It speaks to the server as a cockpit would, but judges
every byte itself (it decodes the frames as plain MessagePack, not through the cockpit's own
session), and prints one line per clause of the document with its section, MUST or SHOULD, PASS,
FAIL or SKIP, and the evidence (docs/conformance.md). No Qt.

Modules: :mod:`~cockpit.conformance.probe` (a raw protocol connection that records every frame and
when it arrived), :mod:`~cockpit.conformance.clauses` (the clauses), :mod:`~cockpit.conformance.checks`
(the checks that decide them), :mod:`~cockpit.conformance.report` (lines and JSON),
:mod:`~cockpit.conformance.cli` (the command).

Exceptions: :class:`ConformanceError` (the base) and :class:`~cockpit.conformance.probe.ProbeError`
(a connection did not do what the check needed; the check fails with it as the evidence).
"""


class ConformanceError(Exception):
    """The base of the conformance tool's exceptions."""
