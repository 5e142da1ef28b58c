"""The TLS context the site's trust settings ask for (protocol §3, issue 8: wss with a site CA)."""

from __future__ import annotations

import ssl
from pathlib import Path


def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """A client context that verifies backends against ``ca_file`` (or the system's CAs if ``None``).

    Hostname checking stays on: a certificate signed by the site CA for another machine is refused.

    Raises:
        OSError: ``ca_file`` cannot be read.
        ssl.SSLError: ``ca_file`` holds no PEM certificates.
    """
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file is not None else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
