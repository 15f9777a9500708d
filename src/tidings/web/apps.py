from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "tidings.web"
    label = "web"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from tidings.web.gc_freeze import freeze_after_first_request

        request_finished.connect(freeze_after_first_request, dispatch_uid="tidings.web.gc_freeze")
