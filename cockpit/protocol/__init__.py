"""Protocol v1: the wire format, its message types, and sans-I/O client and server cores (docs/protocol.md).

Nothing here touches a socket, an event loop or a clock. Bad input never raises past this package:
it becomes a counted :class:`~cockpit.protocol.events.FrameProblem` event.

Exceptions raised here are programming errors by the caller (``RuntimeError`` when a session is used
out of order, ``ValueError`` when a single outgoing message exceeds the frame limit).
"""

from cockpit.protocol.codec import decode_client_frame, decode_server_frame, encode_frame
from cockpit.protocol.messages import PROTOCOL_VERSION
from cockpit.protocol.server import ServerProtocol
from cockpit.protocol.session import ClientSession, Counters, Cursors

__all__ = [
    "PROTOCOL_VERSION",
    "ClientSession",
    "Counters",
    "Cursors",
    "ServerProtocol",
    "decode_client_frame",
    "decode_server_frame",
    "encode_frame",
]
