"""Stage 6, the commands: `cakupan build`, `validate`, `serve`, `new`, `freeze`, `verify`, each a recipe of earlier stages."""
