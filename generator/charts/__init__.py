"""Stage 3, the charts: Vega-Lite specs built with Altair from the facts, and their build-time drawings.

theme (fonts, colours, sizes, locales) and template (one Altair build per
shape) come first, then labels (percent axes, bar names, reference lines);
one module per chart kind (target, ranking, history, tiles, change, and the
front page's national); draw renders them with vl-convert, darkmode gives
the drawings their dark scheme.
"""
