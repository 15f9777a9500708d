"""Tests of the feed farm itself (tests/feedfarm)."""
