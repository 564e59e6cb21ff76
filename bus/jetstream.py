"""JetStream set-up: the event stream that records every household message, and KV buckets."""

from __future__ import annotations

from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue

from bus import subjects
from bus.messages import ALL_TYPES

EVENT_STREAM = "HEARTH_EVENTS"
STATE_BUCKETS = ("timers", "dialogue", "household",
                 "skills", "schedules",  # declared skills: state, announcements due
                 "anticipation",  # goal prediction + proactive: learned links, home state
                 "learning", "privacy")  # rewrites, few-shot intents, stats; the DP budget


# Raw sound is never written to disk: microphone and loudspeaker frames pass on the bus only.
UNRECORDED_TYPES = ("device.audio", "device.speaker")


# People's words are never recorded raw either. A stream records whole subjects and cannot
# rewrite what it stores, so the types that carry words (any of these fields) are left out of
# the stream, and the privacy agent (agents/privacy.py) records a scrubbed copy of each as a
# `privacy.record`. One place scrubs, the raw words stay live on the bus for the agents that
# need them, and the replay/report (which listen live, not to the stream) see what they did.
PRIVATE_FIELDS = frozenset({"text", "say", "accept_say", "source_text", "original_text",
                            "slots", "data", "head", "error", "reason", "said", "meant",
                            "examples"})


def private_types() -> list[str]:
    """Message types that carry people's words (recorded only as scrubbed `privacy.record`)."""
    return sorted(name for name, cls in ALL_TYPES.items()
                  if name not in UNRECORDED_TYPES and PRIVATE_FIELDS & set(cls.model_fields))


def recorded_subjects() -> list[str]:
    """The subject of every message type except raw audio frames and raw words (streams
    cannot exclude)."""
    private = set(private_types())
    return sorted({
        subjects.pattern(cls) for name, cls in ALL_TYPES.items()
        if name not in UNRECORDED_TYPES and name not in private
    })


def event_stream_config(max_bytes: int = 1 << 30) -> StreamConfig:
    return StreamConfig(
        name=EVENT_STREAM,
        subjects=recorded_subjects(),
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        max_bytes=max_bytes,
        max_age=7 * 24 * 3600.0,
        # Requests travel on hh.> too: without no_ack the stream would answer them with its
        # own publish acknowledgement before the real responder could.
        no_ack=True,
        duplicate_window=120.0,
    )


async def ensure_event_stream(js: JetStreamContext) -> None:
    config = event_stream_config()
    try:
        await js.stream_info(EVENT_STREAM)
    except Exception:
        await js.add_stream(config)
    else:
        await js.update_stream(config)


async def ensure_bucket(js: JetStreamContext, bucket: str) -> KeyValue:
    try:
        return await js.key_value(bucket)
    except BucketNotFoundError:
        return await js.create_key_value(KeyValueConfig(bucket=bucket, history=1))


async def ensure_all(js: JetStreamContext) -> None:
    await ensure_event_stream(js)
    for bucket in STATE_BUCKETS:
        await ensure_bucket(js, bucket)
