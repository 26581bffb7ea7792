"""Chart templates: one Altair build per chart shape, and a copy with the figures filled in for each chart.

Why this module exists: Altair takes 5-25 ms to make a spec, and a national
site has tens of thousands of charts that differ from their siblings in
figures, not in structure. So each chart kind (target.py, ranking.py,
history.py, tiles.py, change.py, national.py) builds its Altair chart once per
shape, with placeholders, and fills a plain-dict copy for every chart of
that shape: a fraction of a millisecond. This is that machinery, and the
check that a spec is valid Vega-Lite.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Sequence

import altair as alt

from generator.charts.theme import CONFIG

# --- templates: one Altair build per shape -----------------------------------
# (Most of Altair's 5-25 ms a spec goes into walking its own objects.) Every
# builder works in two halves:
#
# - The shape: what decides the structure of the spec (how many reference
#   lines; which optional layers, legends and tooltips there are; the number
#   of decimals in expressions). A shaped function builds the Altair chart
#   for one shape, once per process, with a placeholder, slot("name"),
#   wherever a value depends on the figures (scale domains, tick counts, sort
#   orders, the labels listed in a condition, label placements, the title),
#   and a one-row stand-in, table("role"), for each table of data. The
#   result is a Template: the spec as a plain dict, slots and all.
# - The figures: the builder works out every value in plain Python, as it
#   always has, and Template.fill puts them into a copy of the template,
#   in one walk over the dict. Each table gets the name Altair gives it (a
#   hash of its rows; equal tables are one table), so a spec is what Altair
#   would have built from the figures directly, to the byte.
#
# A slot receives the same kind of value for every chart of a shape (a
# domain is always two numbers; whether a label weight is a condition or a
# plain weight is part of the shape), so validate=True checks the first spec
# filled from each template: the shape, once. (The subtitle, a string or a
# list of lines, is valid either way.)

_SLOT = "\u2060slot:"  # WORD JOINER: in no label, name or expression of a chart


def slot(name: str) -> str:
    """The placeholder for the value `name`, given to Template.fill."""
    return _SLOT + name


def table(role: str) -> alt.InlineData:
    """The stand-in for the table `role`, given to Template.fill. Layers that
    share their data share one stand-in object (Altair moves data that every
    layer shares to the top level); stand-ins of one role are one table."""
    return alt.InlineData(values=[{_SLOT: role}])


def _table_name(rows: Any) -> str:
    """The name Altair gives a table in "datasets" (altair.vegalite.v6.api._dataset_name)."""
    if rows == [{}]:
        return "empty"
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _put(value: Any, slots: Mapping[str, Any]) -> Any:
    """A copy of value (plain dicts, lists and scalars), each string that is
    a key of slots replaced by a copy of its value."""
    kind = type(value)
    if kind is dict:
        return {k: _put(v, slots) for k, v in value.items()}
    if kind is list:
        return [_put(v, slots) for v in value]
    if kind is str and value in slots:
        return _plain(slots[value])
    return value


def _slots_in(value: Any) -> set[str]:
    """The names of the slots in value."""
    if isinstance(value, dict):
        return set().union(*map(_slots_in, value.values()))
    if isinstance(value, list):
        return set().union(*map(_slots_in, value))
    return {value[len(_SLOT):]} if isinstance(value, str) and value.startswith(_SLOT) else set()


class Template:
    """A chart's spec for one shape, with slots for the figures.

    Made from the Altair chart with the top-level properties every chart
    shares (set on the dict, as Altair's .properties() would check them):
    description, title (with the subtitle), width and height, the house
    config, and params or resolve when given."""

    def __init__(self, chart: alt.LayerChart, *, params: list[dict[str, Any]] | None = None,
                 resolve: Mapping[str, Any] | None = None):
        body = chart.to_dict(validate=False)
        # Altair has moved the stand-in tables to "datasets"; the template
        # keeps their order (the order Altair gives the real tables) and a
        # slot where each one's name is used.
        stand_ins = body.pop("datasets")
        self.roles = tuple(rows[0][_SLOT] for rows in stand_ins.values())
        body = _put(body, {name: slot(f"table:{rows[0][_SLOT]}") for name, rows in stand_ins.items()})
        spec: dict[str, Any] = {
            "$schema": body.pop("$schema"),
            "description": slot("description"),
            "title": slot("title"),
            # The plot's own width, from an estimate of what its axis labels
            # need, so that the whole chart comes out at about WIDTH. (autosize
            # "fit-x" would hit WIDTH exactly but makes Vega lay the chart out
            # twice: 10-30 ms more a chart, and the label placement here needs
            # the plot width anyway.)
            "width": slot("width"),
            "height": slot("height"),
        }
        if params:
            spec["params"] = params
        spec["config"] = CONFIG
        body.pop("config", None)  # Altair's default view size; ours is the width and height
        spec.update(body)
        spec["datasets"] = slot("datasets")
        if resolve:
            spec["resolve"] = resolve
        self.spec = _plain(spec)
        self.slots = frozenset(_slots_in(self.spec))
        self.validated = False

    def fill(
        self,
        tables: Mapping[str, list[dict[str, Any]]],
        values: Mapping[str, Any],
        *,
        title: str,
        subtitle: str | Sequence[str] | None,
        description: str,
        width: float,
        height: float,
        validate: bool,
    ) -> dict[str, Any]:
        """The spec for these figures: tables by role, the other values by
        slot name, and the top-level properties."""
        if tables.keys() != set(self.roles):
            raise ValueError(f"tables {sorted(tables)} for a template of {sorted(self.roles)}")
        names = {role: _table_name(rows) for role, rows in tables.items()}
        datasets = {}
        for role in self.roles:  # equal tables get one name, as in Altair
            datasets[names[role]] = tables[role]
        head: dict[str, Any] = {"text": title}
        if subtitle:
            head["subtitle"] = list(subtitle) if not isinstance(subtitle, str) else subtitle
        given = {
            "description": description, "title": head, "width": round(width), "height": height,
            "datasets": datasets, **{f"table:{role}": name for role, name in names.items()}, **values,
        }
        if given.keys() != self.slots:
            raise ValueError(f"slots {sorted(given)} for a template of {sorted(self.slots)}")
        spec = _put(self.spec, {slot(name): value for name, value in given.items()})
        if validate and not self.validated:
            validate_spec(spec)
            self.validated = True
        return spec


_SHAPED: list[Any] = []  # the cache of every shaped function, for _clear_templates()


def shaped(make: Any) -> Any:
    """A template maker, cached by its arguments (the shape). Altair's debug
    mode checks every object against the schema as it is made, whatever
    validate= says, and a slot is rarely what the schema expects there: off."""

    @functools.lru_cache(maxsize=128)
    @functools.wraps(make)
    def template(**shape: Any) -> Template:
        with alt.utils.schemapi.debug_mode(False):
            return make(**shape)

    _SHAPED.append(template)
    return template


def _clear_templates() -> None:
    """Forget every template (the next call of each shape builds it with Altair again)."""
    for template in _SHAPED:
        template.cache_clear()


@functools.cache
def _validator() -> Any:
    import jsonschema

    schema = alt.vegalite.v6.schema.core.load_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def validate_spec(spec: Mapping[str, Any]) -> None:
    """Raise ValueError unless spec is valid Vega-Lite for the version
    Altair ships (the version vl-convert renders with)."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(spec))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ValueError(f"invalid Vega-Lite spec at {where}: {error.message[:500]}")


def _plain(value: Any) -> Any:
    """A deep copy made only of dicts, lists and scalars (no shared objects)."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_SCALARS = frozenset((str, int, float, bool, type(None)))


