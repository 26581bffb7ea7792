"""Carrying a rebuild's kept files from the previous site into the fresh one, at the swap.

Why this module exists: a rebuild keeps nine in ten of a national site's
files (its unchanged dated reports: publish/rebuild.py). Linking them into
the fresh folder one by one made the folders they sit in, 33,000 of them,
and cost a new snapshot more than everything else it did. So write.py
carries them (Output.carry) and, just before the swap, carry_in moves each
folder of the previous site that holds kept files only (a dated report's
folder, its charts', its embeds') whole into the fresh folder, in one
rename, and links the rest; put_back undoes the moves if the swap fails.
A folder holding anything the new site does not keep (a file put there by
hand, a report made again) is not moved: its kept files are linked instead.
Which folders those are, the previous build's record says (rebuild._folders:
each folder's modification time and number of entries as the build left
it), so no folder is listed: a folder whose time has moved since, because
something was added to it or taken out, is linked file by file.
tests/test_carry.py fails it at each step.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

from generator.errors import CakupanError


def carry_in(carried: set[str], old: str, fresh: str, moved: list[tuple[str, str]],
             recorded: dict[str, list[int]]) -> None:
    """Put the files carried from the previous site (old) into fresh: a folder that fresh lacks and that
    holds carried files only moves whole (a dated report's folder: one rename for its files), other
    carried files are linked (or copied) one by one. recorded: each folder of old as its build left it
    (rebuild.Previous.folders). Each move is listed in moved as it is made."""
    within: dict[str, list[str]] = defaultdict(list)  # folder -> the carried files right in it
    for path in carried:
        within[path.rpartition("/")[0]].append(path)
    children: dict[str, set[str]] = defaultdict(set)  # folder -> its folders that hold carried files
    for folder in list(within):
        while folder:
            parent = folder.rpartition("/")[0]
            if folder in children[parent]:
                break  # (its parents are in already)
            children[parent].add(folder)
            folder = parent

    def holds_only(folder: str) -> bool:
        """Whether the previous site's folder holds the carried files under it and nothing else: each folder
        in it held as many entries as it has carried files and folders when its build recorded it, and
        has not changed since (its modification time). The carried files were in it (rebuild.py)."""
        pending = [folder]
        while pending:
            here = pending.pop()
            known = recorded.get(here)  # [modification time, entries]
            entries = len(within.get(here, ())) + len(children.get(here, ()))
            if not (isinstance(known, list) and len(known) == 2 and known[1] == entries):
                return False  # a file or folder this site does not keep: it must not come along
            try:
                if os.stat(os.path.join(old, here)).st_mtime_ns != known[0]:
                    return False  # something was added or taken out since
            except OSError:
                return False
            pending.extend(children.get(here, ()))
        return True

    def place(folder: str) -> None:  # (the folder is in fresh)
        for path in within.get(folder, ()):
            _link(os.path.join(old, path), os.path.join(fresh, path))
        for child in sorted(children.get(folder, ())):
            source, target = os.path.join(old, child), os.path.join(fresh, child)
            if not os.path.lexists(target) and holds_only(child):
                os.rename(source, target)
                moved.append((source, target))
            else:
                os.makedirs(target, exist_ok=True)
                place(child)

    if carried:
        place("")


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy
        shutil.copyfile(source, target)


def put_back(moved: list[tuple[str, str]], shown: str) -> None:
    """Undo carry_in's moves (the swap failed), last first; moved is emptied once all are back."""
    while moved:
        source, target = moved[-1]
        try:
            os.rename(target, source)
        except OSError as lost:
            raise CakupanError(f"{shown}: the new site could not be swapped in nor the previous "
                               f"one made whole again: {source} is in {target}") from lost
        moved.pop()
