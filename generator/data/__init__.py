"""Stage 1, the inputs: read data/ and content/ safely, within limits, into a checked model of regions, snapshots and figures."""
