"""cakupan: a static report site for Jamsostek coverage, built from dated YAML snapshots."""

__version__ = "0.1.0"
