"""The categories stage: zero-shot scoring, cue evidence, the supervised model and its training."""
