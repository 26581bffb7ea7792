"""Stage 5, publishing: write site/ atomically, keep dated reports permanent, cache and rebuild, index for search."""
