"""The scale-out gateway: protocol v1 clients served from NATS JetStream (docs/operations.md).

Modules: ``layout`` (subjects, streams, payloads), ``jetstream`` (creating them), ``view`` (the
in-memory ring and latest state), ``server`` (the gateway), ``publisher`` (how a backend writes
into NATS and takes commands from it), ``main`` (``cockpit-gateway``).

Errors: :class:`~cockpit.backend.gateway.layout.LayoutError` (a district or theme that cannot be a
subject token); NATS errors are retried, never fatal to a client connection.
"""
