"""Tests of the feed farm itself (tools/feedfarm)."""
