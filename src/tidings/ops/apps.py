from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tidings.ops"
    label = "ops"

    def ready(self) -> None:
        from tidings.ops import task_metrics

        task_metrics.connect()
