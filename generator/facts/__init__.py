"""Stage 2, the facts: indicators computed on intervals from the model, and the Indonesian numbers and sentences that state them."""
