"""Optional behaviour mods, loaded from the `mods/` folder next to the game."""

import importlib
import pathlib


def load_mods(folder: str = "mods") -> list:
    mods = []
    for path in sorted(pathlib.Path(folder).glob("*.py")):
        mods.append(importlib.import_module(f"mods.{path.stem}"))
    return mods
