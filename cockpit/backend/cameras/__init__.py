"""The demo's cameras: their catalog and the RTSP server that serves them (docs/video.md)."""
