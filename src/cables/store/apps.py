from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "cables.store"
    label = "store"
    verbose_name = "Cable archive"
    default_auto_field = "django.db.models.BigAutoField"
