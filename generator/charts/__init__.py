"""Stage 3, the charts: Vega-Lite specs built with Altair from the facts, and their build-time drawings."""
