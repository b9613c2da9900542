from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cables.web"
    label = "web"
    verbose_name = "Reading room"
