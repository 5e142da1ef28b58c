"""The machine-readable contract (docs/contract/) is the code's: the AsyncAPI document validates
against the official AsyncAPI 3.0 schema, every message type has a golden frame, the golden frames
round-trip through the cockpit's own decoder and encoder and validate against their JSON Schemas, and
what is on disk is what the code generates."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path

import jsonschema
import msgspec
import pytest

from cockpit.protocol.codec import decode_client_frame, decode_server_frame, encode_frame
from cockpit.protocol.contract import as_json, asyncapi, golden_messages
from cockpit.protocol.messages import ClientMessage, ServerMessage

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "contract"
ASYNCAPI_SCHEMA = Path(__file__).parent / "data" / "asyncapi-3.0.0.schema.json"
SERVER_TAGS = {t.__struct_config__.tag for t in typing.get_args(ServerMessage)}
CLIENT_TAGS = {t.__struct_config__.tag for t in typing.get_args(ClientMessage)}


def test_the_asyncapi_document_validates_against_the_asyncapi_3_schema() -> None:
    schema = json.loads(ASYNCAPI_SCHEMA.read_text(encoding="utf-8"))
    document = json.loads((CONTRACT / "asyncapi.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    assert document["asyncapi"] == "3.0.0"
    assert set(document["components"]["messages"]) == SERVER_TAGS | CLIENT_TAGS


def test_a_broken_asyncapi_document_is_refused_by_the_schema() -> None:
    """The validation can fail: the vendored schema really checks."""
    schema = json.loads(ASYNCAPI_SCHEMA.read_text(encoding="utf-8"))
    document = asyncapi()
    del document["info"]["version"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(document)


def test_docs_contract_is_what_the_code_generates() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "tools" / "gen_contract.py"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("tag", sorted(SERVER_TAGS | CLIENT_TAGS))
def test_every_message_has_a_golden_frame_that_round_trips_and_fits_its_schema(tag: str) -> None:
    assert tag in golden_messages(), f"no golden example of {tag!r}: add one in cockpit/protocol/contract.py"
    frame = (CONTRACT / "golden" / f"{tag}.msgpack").read_bytes()
    shown = json.loads((CONTRACT / "golden" / f"{tag}.json").read_text(encoding="utf-8"))
    assert bytes.fromhex(shown["hex"].replace(" ", "")) == frame
    decoded = []
    if tag in SERVER_TAGS:
        d = decode_server_frame(frame, 1 << 20)
        assert d.issues == []
        decoded.append(d.messages)
    if tag in CLIENT_TAGS:
        c = decode_client_frame(frame, 1 << 20)
        assert c.issues == []
        decoded.append(c.messages)
    for messages in decoded:
        assert encode_frame(messages) == frame, "decoding and encoding again gives the same bytes"
    plain = msgspec.msgpack.decode(frame)
    assert as_json(plain) == shown["frame"]
    document = asyncapi()
    components = document["components"]["schemas"]
    name = document["components"]["messages"][tag]["title"]
    resolver_doc = {"components": {"schemas": components}}
    validator = jsonschema.Draft7Validator(
        {**components[name], "components": resolver_doc["components"]},
    )
    validator.validate(shown["frame"][0])
    broken = dict(shown["frame"][0])
    broken.pop("t")
    assert not validator.is_valid(broken), "the schema requires t"
