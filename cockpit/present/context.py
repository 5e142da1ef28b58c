"""What every view-model of one cockpit shares, handed to each in its constructor (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cockpit.present.commands import CommandBook
from cockpit.present.i18n import Translate
from cockpit.present.names import Names
from cockpit.present.selection import Selection
from cockpit.present.words import Words
from cockpit.video.tiles import VideoTiles


@dataclass(slots=True)
class Context:
    """The operator's language, the command book and the one selection.

    Attributes:
        lang: Language of titles from runway and plan files (``en``, ``zh_CN``).
        translate: The translator for everything else.
        book: Every command this cockpit issued.
        selection: The event the officer works on (console and every screen).
        video: The wall's camera tiles, if it has video panels.
    """

    lang: str
    translate: Translate
    book: CommandBook
    selection: Selection = field(default_factory=Selection)
    video: VideoTiles | None = None
    """The wall's camera tiles (one decoder pool for every video panel); None: no video panels."""
    names: Names = field(init=False)
    words: Words = field(init=False)

    def __post_init__(self) -> None:
        names = self.book.names
        self.names = names if names.lang == self.lang else Names(self.translate, names.catalog, self.lang)
        self.words = Words(self.translate)
