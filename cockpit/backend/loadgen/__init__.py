"""City-scale load: every centre of a city on the NATS JetStream gateways (issue 22).

A platform team runs this against its gateways before go-live, and ``cockpit-bench city`` and the slow
tests run it on loopback. Modules:

- ``city``: a synthetic city (1 city centre, 41 district centres, 1,031 street centres by default),
  each centre's level and area scope, and the city's message plan (what the n-th message is).
- ``publisher``: the city's publisher, paced at the city's rate, restartable without losing or
  repeating a message (``Nats-Msg-Id`` numbering that continues from JetStream).
- ``walls``: worker processes, each holding hundreds of protocol connections (one per centre) on the
  sans-I/O :class:`~cockpit.protocol.session.ClientSession`, with the cockpit's failover and resume,
  counting every seq and timing publish → delivery from the stamps in the data.
- ``published``: reads back what JetStream holds and checks each centre against it (lost, duplicated).
- ``cluster``: a NATS JetStream cluster and gateway processes on loopback (tests, benchmarks, trials).
- ``scenario``: the whole run, with faults (a NATS node, a gateway, the publisher), and its figures.
- ``main``: ``cockpit-loadgen``.

Errors: :class:`LoadgenError` (a part did not start, a worker failed).
"""


class LoadgenError(RuntimeError):
    """A part of the load run did not start or failed (the message says which and why)."""
