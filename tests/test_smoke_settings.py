import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_tests_use_the_immediate_task_backend():
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


def test_settings_turn_the_model_hubs_offline_whatever_the_environment_says(tmp_path):
    """Every process loads these settings first, so the flags are set before any hub library is imported."""
    env = {k: v for k, v in os.environ.items() if k not in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}}
    env.update(TRANSFORMERS_OFFLINE="0", TIDINGS_VAR_DIR=str(tmp_path), TIDINGS_SECRET_KEY="x" * 50)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent / "src")
    code = "import os, tidings.settings; print(os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "1"]
