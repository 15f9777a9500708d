"""bench/ingest.py's RESULT line: ratios against reader's fastest setting, one key per configuration."""

from bench._ingest_result import Scores, best_baseline, result_line, speedup_vs_best, worst

SERIAL, THREADED = "reader 3.26 (workers=1, default)", "reader 3.26 (workers=16)"


def fields(line: str) -> dict[str, str]:
    assert line.startswith("RESULT ")
    return dict(pair.split("=", 1) for pair in line.removeprefix("RESULT ").split())


def test_the_faster_setting_is_the_baseline_whichever_it_is():
    assert best_baseline({SERIAL: 126.0, THREADED: 30.0}) == (THREADED, 30.0)
    assert best_baseline({SERIAL: 20.0, THREADED: 21.0}) == (SERIAL, 20.0)


def test_a_setting_that_did_not_finish_is_never_the_baseline():
    assert best_baseline({SERIAL: None, THREADED: 30.0}) == (THREADED, 30.0)
    assert best_baseline({SERIAL: None, THREADED: None}) is None
    assert best_baseline({}) is None


def test_speedup_is_against_the_best_setting():
    ratio, name = speedup_vs_best(7.5, {SERIAL: 126.0, THREADED: 30.0})
    assert name == THREADED
    assert ratio == 4.0


def test_no_speedup_without_our_time_or_a_baseline():
    assert speedup_vs_best(None, {SERIAL: 126.0}) == (None, SERIAL)
    assert speedup_vs_best(7.5, {SERIAL: None}) == (None, None)


def test_worst_takes_each_score_at_its_lowest():
    assert worst([Scores(1.0, 0.13), Scores(0.99, 0.2)]) == Scores(0.99, 0.13)
    assert worst([]) is None


def line(**overrides: object) -> dict[str, str]:
    args: dict = {
        "speedup": 4.0,
        "speedup_no_latency": 1.2,
        "revalidation_304_ratio": 1.0,
        "revalidation_speedup": 2.5,
        "peak_rss_mb": 177.0,
        "feeds_only": Scores(1.0, 0.132),
        "full_text": Scores(0.999, 0.983),
        "first_refresh_s_full_text": 43.11,
        "reader_workers": 16,
        "reader_workers_no_latency": 1,
    }
    return fields(result_line(**{**args, **overrides}))


def test_each_configuration_keeps_its_own_keys():
    result = line()
    assert result["dedup_precision_feeds_only"] == "1.000"
    assert result["dedup_recall_feeds_only"] == "0.132"
    assert result["dedup_precision_full_text"] == "0.999"
    assert result["dedup_recall_full_text"] == "0.983"
    assert result["first_refresh_s_full_text"] == "43.11"
    assert result["speedup_vs_reader"] == "4.00"
    assert result["reader_best_workers"] == "16"
    assert result["reader_best_workers_no_latency"] == "1"
    assert "dedup_recall" not in result and "dedup_precision" not in result


def test_a_configuration_not_run_gives_na_not_another_ones_figure():
    result = line(full_text=None, first_refresh_s_full_text=None)
    assert result["dedup_recall_full_text"] == "n/a"
    assert result["dedup_precision_full_text"] == "n/a"
    assert result["first_refresh_s_full_text"] == "n/a"
    assert result["dedup_recall_feeds_only"] == "0.132"


def test_a_zero_score_is_reported_not_hidden():
    assert line(feeds_only=Scores(0.0, 0.0))["dedup_recall_feeds_only"] == "0.000"
