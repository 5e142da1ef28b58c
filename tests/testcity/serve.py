"""Serve Qinghe's backend and write its site files, to look at its wall by hand:

    .venv/bin/python -m tests.testcity.serve --sites /tmp/qinghe &
    .venv/bin/cockpit --site /tmp/qinghe/site-en.toml --screens 5 --screenshot /tmp/qinghe/en --quit-after 12

Prints the backend's URL; runs until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from cockpit.backend.server import DemoBackend
from tests.testcity.city import HERE, QingheCity


async def main(port: int, sites: Path | None) -> None:
    backend = DemoBackend(QingheCity(), heartbeat_ms=1000)  # type: ignore[arg-type]
    await backend.start(port=port)
    if sites is not None:
        sites.mkdir(parents=True, exist_ok=True)
        template = (HERE / "site.toml").read_text(encoding="utf-8")
        for lang in ("en", "zh_CN"):
            text = template.replace("BACKEND_URL", backend.url).replace("LANG", lang)
            text = text.replace('"qinghe.', f'"{HERE}/qinghe.')  # absolute paths: the file moves
            (sites / f"site-{lang}.toml").write_text(text + f'\n[recording]\ndir = "{sites}/rec"\n', encoding="utf-8")
    print(backend.url, flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await backend.stop()


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--sites", type=Path, help="write site-en.toml and site-zh_CN.toml here")
    args = p.parse_args()
    asyncio.run(main(args.port, args.sites))
