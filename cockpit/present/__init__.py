"""The Qt-free presentation layer: what every screen and the console show, and what a click sends.

It reads the model once per painted frame and hands the Qt shell plain values (``widgets.values``)
to put on its widgets; the shell hands it the officer's intents and sends the commands it returns.
It imports the model and the protocol, never Qt (import-linter enforces it); it is tested in plain
Python with fake time (tests/present/).

Modules:
    commands: the command book, one record and one status per command.
    selection: the one selection and the one rule for "nobody chose".
    frame, wall: the wall's state worked out once per frame; the frame every view-model gets.
    alarms, console: the console's alarm board and its other view-models.
    runway, panels/: one view-model per runway panel kind.
    names, words, i18n: codes and states in the operator's words; the translator is passed in.
    runway_spec, wall_layout, cadence: runway files, wall layouts, each screen's periodic moments.
"""
