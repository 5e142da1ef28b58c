"""Creating the cockpit's JetStream streams and buckets, and reading their epochs (layout.py)."""

from __future__ import annotations

from collections.abc import Iterable

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, RetentionPolicy, StorageType, StreamConfig, StreamInfo
from nats.js.kv import KeyValue

from cockpit.backend.gateway.layout import (
    ACKS_BUCKET,
    AUDIT_STREAM,
    COMMANDS_STREAM,
    CORE_STREAMS,
    DATA_STREAMS,
    LATEST_BUCKET,
    OPTIONAL_STREAMS,
    PREFIX,
    Retention,
    epoch_of,
)
from cockpit.protocol.messages import Stream


def stream_configs(r: Retention, optional: Iterable[str] = OPTIONAL_STREAMS) -> list[StreamConfig]:
    """The JetStream streams of the layout, with their retention: the core data streams, the
    ``optional`` ones named, the commands and the audit stream."""
    out = []
    wanted = set(optional)
    for stream, name in DATA_STREAMS.items():
        if stream not in CORE_STREAMS and stream not in wanted:
            continue
        out.append(
            StreamConfig(
                name=name,
                subjects=[f"{PREFIX}.{stream}.>"],
                storage=StorageType.FILE,
                retention=RetentionPolicy.LIMITS,
                max_age=r.sensors_s if stream == Stream.SENSORS else r.history_s,
                duplicate_window=r.dedupe_s,
                num_replicas=r.replicas,
            )
        )
    for name, subject, age in (
        (COMMANDS_STREAM, "commands", r.history_s),
        (AUDIT_STREAM, "audit", r.audit_s),
    ):
        out.append(
            StreamConfig(
                name=name,
                subjects=[f"{PREFIX}.{subject}.>"],
                storage=StorageType.FILE,
                retention=RetentionPolicy.LIMITS,
                max_age=age,
                duplicate_window=r.dedupe_s,
                num_replicas=r.replicas,
            )
        )
    return out


async def ensure_layout(
    js: JetStreamContext, retention: Retention | None = None, optional: Iterable[str] = ()
) -> None:
    """Create every stream and bucket that does not exist yet; leave existing ones as they are.

    Args:
        js: A JetStream context.
        retention: Retention of what it creates.
        optional: The optional streams to create too (layout.py: a publisher that fills them
            creates them; a gateway creates none, it offers those that exist).
    """
    r = retention or Retention()
    for config in stream_configs(r, optional):
        try:
            await js.stream_info(config.name or "")
        except nats.js.errors.NotFoundError:
            await js.add_stream(config)
    await latest_bucket(js, r)
    await acks_bucket(js, r)


async def latest_bucket(js: JetStreamContext, r: Retention | None = None) -> KeyValue:
    r = r or Retention()
    try:
        return await js.key_value(LATEST_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(bucket=LATEST_BUCKET, history=1, storage=StorageType.FILE, replicas=r.replicas)
        )


async def acks_bucket(js: JetStreamContext, r: Retention | None = None) -> KeyValue:
    r = r or Retention()
    try:
        return await js.key_value(ACKS_BUCKET)
    except nats.js.errors.BucketNotFoundError:
        return await js.create_key_value(
            KeyValueConfig(
                bucket=ACKS_BUCKET, history=1, storage=StorageType.FILE, replicas=r.replicas, ttl=r.history_s
            )
        )


async def stream_infos(js: JetStreamContext) -> dict[str, StreamInfo]:
    """The JetStream state of every data stream that exists, by protocol stream.

    Raises:
        nats.js.errors.NotFoundError: a core stream is missing (ensure_layout makes them).
    """
    out = {}
    for stream, name in DATA_STREAMS.items():
        try:
            out[stream] = await js.stream_info(name)
        except nats.js.errors.NotFoundError:
            if stream in CORE_STREAMS:
                raise
    return out


def epochs_of(infos: dict[str, StreamInfo]) -> dict[str, str]:
    """The protocol epoch of every stream in ``infos`` (from :func:`stream_infos`)."""
    return {stream: epoch_of(DATA_STREAMS[stream], info.created) for stream, info in infos.items()}


async def epochs(js: JetStreamContext) -> dict[str, str]:
    """The protocol epoch of every data stream that exists, from JetStream."""
    return epochs_of(await stream_infos(js))
