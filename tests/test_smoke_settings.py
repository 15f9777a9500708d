from django.conf import settings


def test_tests_use_the_immediate_task_backend():
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
