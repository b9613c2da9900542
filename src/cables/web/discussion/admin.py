"""The moderation queue, in the Django admin (``/admin/``): comments and mentions, what waits first.

Each list opens on what waits for a moderator and says how much waits in both queues; the
actions approve, mark as spam or delete the selected rows, and a row's page lets a moderator edit
the text. Moderators are staff users of the ``moderators`` group (``cables createmoderator``).
The e-mail address is shown here, to moderators only, to judge a commenter.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..links import cable_path
from . import moderation
from .links import absolute
from .markdown import render
from .models import Comment, Mention, Status
from .webmention import verify


class WaitingFirst(admin.SimpleListFilter):
    """Status filter whose default is "waiting": a moderator opens the queue, not the archive."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(Status.PENDING, "waiting"), (Status.APPROVED, "approved"), (Status.SPAM, "spam"),
                ("all", "all")]

    def choices(self, changelist):
        value = self.value() or Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {"selected": value == lookup, "display": title,
                   "query_string": changelist.get_query_string({self.parameter_name: lookup})}

    def queryset(self, request, queryset):
        value = self.value() or Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class ModerationAdmin(admin.ModelAdmin):
    list_filter = [WaitingFirst]
    actions = ["approve", "mark_spam", "delete_selected"]
    list_per_page = 50
    date_hierarchy = "created"
    change_list_template = "web/discussion/admin_change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "waiting": moderation.waiting()}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Approve the selected %(verbose_name_plural)s",
                  permissions=["change"])
    def approve(self, request, queryset):
        n = moderation.approve(queryset)
        self.message_user(request, f"{n} approved.", messages.SUCCESS)

    @admin.action(description="Mark the selected %(verbose_name_plural)s as spam",
                  permissions=["change"])
    def mark_spam(self, request, queryset):
        n = moderation.mark_spam(queryset)
        self.message_user(request, f"{n} marked as spam.", messages.SUCCESS)

    @admin.display(description="cable", ordering="cable__canonical_id")
    def cable_link(self, obj):
        return format_html('<a href="{}">{}</a>', cable_path(obj.cable.canonical_id, obj.cable.created),
                           obj.cable.canonical_id)

    def save_model(self, request, obj, form, change):
        if change:  # any edit is moderation, and moves the discussion's generation on
            obj.moderated = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    list_display = ["created", "cable_link", "name", "email", "about", "excerpt", "status",
                    "client_address"]
    list_select_related = ["cable"]
    search_fields = ["name", "email", "body", "cable__canonical_id", "client_address"]
    fields = ["cable", "parent", "name", "email", "website", "paragraph", "body", "preview",
              "status", "client_address", "created", "moderated"]
    readonly_fields = ["cable", "parent", "email", "preview", "client_address", "created", "moderated"]

    @admin.display(description="about")
    def about(self, obj):
        parts = [f"¶{obj.paragraph}"] if obj.paragraph else []
        if obj.parent_id:
            parts.append(f"reply to #{obj.parent_id}")
        return ", ".join(parts) or "—"

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.body).chars(160)

    @admin.display(description="as shown")
    def preview(self, obj):
        return mark_safe(render(obj.body)) if obj.body else "—"

    def has_add_permission(self, request):
        return False        # comments come from readers


@admin.register(Mention)
class MentionAdmin(ModerationAdmin):
    list_display = ["created", "cable_link", "kind", "source", "title", "blog_name", "verified",
                    "status", "client_address"]
    list_select_related = ["cable"]
    search_fields = ["source_url", "title", "blog_name", "excerpt", "cable__canonical_id"]
    fields = ["cable", "kind", "source_url", "title", "blog_name", "excerpt", "verified",
              "verification", "status", "client_address", "created", "moderated"]
    readonly_fields = ["cable", "kind", "source_url", "verified", "verification", "client_address",
                       "created", "moderated"]
    actions = ModerationAdmin.actions + ["check_source"]

    @admin.display(description="source")
    def source(self, obj):
        return format_html('<a href="{}" rel="nofollow ugc noopener noreferrer">{}</a>', obj.source_url,
                           Truncator(obj.source_url).chars(60))

    @admin.action(description="Check again that the source links to the cable (Webmention)",
                  permissions=["change"])
    def check_source(self, request, queryset):
        for mention in queryset.select_related("cable"):
            verify(mention.pk, absolute(request, cable_path(mention.cable.canonical_id, mention.cable.created)))
        self.message_user(request, f"{queryset.count()} checked.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False
