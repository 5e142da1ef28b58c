"""One view-model per panel kind: ``update(situation, frame)`` returns what to show, or ``None`` when
nothing on screen would change; intents are methods that return the command to send (or ``None``)."""
