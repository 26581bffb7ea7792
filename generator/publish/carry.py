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
tests/test_carry.py fails it at each step.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

from generator.errors import CakupanError


def carry_in(carried: set[str], old: str, fresh: str, moved: list[tuple[str, str]]) -> None:
    """Put the files carried from the previous site (old) into fresh: a folder that fresh lacks and that
    holds carried files only moves whole (a dated report's folder: one rename for its files), other
    carried files are linked (or copied) one by one. Each move is listed in moved as it is made."""
    within: dict[str, list[str]] = defaultdict(list)  # folder -> the carried files right in it
    for path in carried:
        within[path.rpartition("/")[0]].append(path)
    below: dict[str, int] = defaultdict(int)  # folder -> how many carried files are anywhere under it
    children: dict[str, set[str]] = defaultdict(set)
    for folder, paths in within.items():
        while folder:
            below[folder] += len(paths)
            parent = folder.rpartition("/")[0]
            children[parent].add(folder)
            folder = parent

    def place(folder: str) -> None:  # (the folder is in fresh)
        for path in within.get(folder, ()):
            _link(os.path.join(old, path), os.path.join(fresh, path))
        for child in sorted(children.get(folder, ())):
            source, target = os.path.join(old, child), os.path.join(fresh, child)
            if not os.path.lexists(target) and _holds_only(source, child, below[child], carried):
                os.rename(source, target)
                moved.append((source, target))
            else:
                os.makedirs(target, exist_ok=True)
                place(child)

    if carried:
        place("")


def _holds_only(folder: str, rel: str, count: int, carried: set[str]) -> bool:
    """Whether the folder (rel in the site) holds these count carried files and nothing else but folders."""
    found, pending = 0, [(folder, rel)]
    while pending:
        here, rel_here = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                name = f"{rel_here}/{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, name))
                elif entry.is_file(follow_symlinks=False) and name in carried:
                    found += 1
                else:
                    return False  # a file this site does not keep (or a link): it must not come along
    return found == count


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
