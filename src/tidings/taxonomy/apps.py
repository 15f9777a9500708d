from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save


class TaxonomyConfig(AppConfig):
    name = "tidings.taxonomy"
    label = "taxonomy"

    def ready(self) -> None:
        from tidings.taxonomy import signals

        for model in signals.LINK_MODELS:
            post_save.connect(signals.link_saved, sender=model, dispatch_uid=f"listing_saved_{model.__name__}")
            post_delete.connect(signals.link_deleted, sender=model, dispatch_uid=f"listing_deleted_{model.__name__}")
        pre_save.connect(signals.article_saving, sender="articles.Article", dispatch_uid="trend_article_saving")
        post_save.connect(signals.article_saved, sender="articles.Article", dispatch_uid="trend_article_saved")
        pre_delete.connect(signals.article_deleting, sender="articles.Article", dispatch_uid="trend_article_deleting")
