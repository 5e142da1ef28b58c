"""Write docs/contract/ from the message types: the AsyncAPI 3.0 document and the golden frames.

    .venv/bin/python docs/tools/gen_contract.py            # write docs/contract/
    .venv/bin/python docs/tools/gen_contract.py --check    # exit 1 if docs/contract/ differs from the code

docs/contract/asyncapi.json   AsyncAPI 3.0, a JSON Schema of every message (cockpit/protocol/contract.py)
docs/contract/golden/T.msgpack   one frame holding one message of type T, as the code encodes it
                                 (T.case.msgpack: one more example of T, e.g. command.plot_edit)
docs/contract/golden/T.json      that frame decoded (bin fields base64), for people and other languages
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import msgspec

from cockpit.protocol.contract import as_json, asyncapi, golden_frame, golden_messages

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "contract"


def files() -> dict[Path, bytes]:
    out = {OUT / "asyncapi.json": (json.dumps(asyncapi(), indent=2, ensure_ascii=False) + "\n").encode()}
    for t, message in golden_messages().items():
        frame = golden_frame(message)
        out[OUT / "golden" / f"{t}.msgpack"] = frame
        tag = str(type(message).__struct_config__.tag)
        decoded = {"t": tag, "hex": frame.hex(" "), "frame": as_json(msgspec.msgpack.decode(frame))}
        if t != tag:  # a second example of a type: one case of it (e.g. command.plot_edit)
            decoded = {"t": tag, "example": t, **{k: v for k, v in decoded.items() if k != "t"}}
        out[OUT / "golden" / f"{t}.json"] = (json.dumps(decoded, indent=2, ensure_ascii=False) + "\n").encode()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare with docs/contract/ instead of writing")
    args = p.parse_args()
    wanted = files()
    if args.check:
        stale = [str(path.relative_to(ROOT)) for path, data in wanted.items() if not path.exists() or path.read_bytes() != data]
        extra = [str(p.relative_to(ROOT)) for p in (OUT / "golden").glob("*") if p not in wanted]
        if stale or extra:
            print(f"docs/contract/ is out of date: {stale + extra}; run docs/tools/gen_contract.py", file=sys.stderr)
            return 1
        return 0
    for path, data in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
