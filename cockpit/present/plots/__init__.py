"""Plotting at the console (protocol §5.10, §7.10), Qt-free: the drawing tool's edit model with its
undo stack (:mod:`.editor`), the officer's refused changes kept as drafts (:mod:`.drafts`), the
symbols' names and the reasons in words (:mod:`.words`), plots as the widgets draw them
(:mod:`.shapes`) and tracing a fire line from the backend's fire-spread overlay (:mod:`.trace`)."""
