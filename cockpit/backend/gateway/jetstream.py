"""Creating the cockpit's JetStream streams and buckets, and reading their epochs (layout.py)."""

from __future__ import annotations

import nats.js.errors
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.kv import KeyValue

from cockpit.backend.gateway.layout import (
    ACKS_BUCKET,
    COMMANDS_STREAM,
    DATA_STREAMS,
    LATEST_BUCKET,
    PREFIX,
    Retention,
    epoch_of,
)
from cockpit.protocol.messages import Stream


def stream_configs(r: Retention) -> list[StreamConfig]:
    """The JetStream streams of the layout, with their retention."""
    out = []
    for stream, name in DATA_STREAMS.items():
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
    out.append(
        StreamConfig(
            name=COMMANDS_STREAM,
            subjects=[f"{PREFIX}.commands.>"],
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            max_age=r.history_s,
            duplicate_window=r.dedupe_s,
            num_replicas=r.replicas,
        )
    )
    return out


async def ensure_layout(js: JetStreamContext, retention: Retention | None = None) -> None:
    """Create every stream and bucket that does not exist yet; leave existing ones as they are."""
    r = retention or Retention()
    for config in stream_configs(r):
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


async def epochs(js: JetStreamContext) -> dict[str, str]:
    """The protocol epoch of every data stream, from JetStream."""
    out = {}
    for stream, name in DATA_STREAMS.items():
        info = await js.stream_info(name)
        out[stream] = epoch_of(name, info.created)
    return out
