"""The comment form: every field size-limited, a honeypot, a reply only to a shown top-level comment.

The form is checked whole before anything is stored (see :func:`.views.submit`), so a post with
one bad field stores nothing and comes back with every error and the visitor's input.
"""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.db import connections

from ...store.models import Paragraph
from ...store.routing import read_alias
from .markdown import MAX_LINKS, count_links, without_controls
from .models import (
    BODY_MAX,
    EMAIL_MAX,
    NAME_MAX,
    WEBSITE_MAX,
    Comment,
    Status,
    normalise_email,
)

BODY_MIN = 2
HONEYPOT = "homepage"


def paragraph_numbers(cable) -> list[int]:
    """The numbers of a cable's paragraphs, which a comment may be about (in SQL: every first
    visit of a cable page asks, and the ORM takes ten times SQLite's time to build the query)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT number FROM {Paragraph._meta.db_table} WHERE cable_id = %s "
                       "ORDER BY number ASC", [cable.pk])
        return [number for number, in cursor.fetchall()]


class CommentForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX, label="Name",
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=EMAIL_MAX, label="E-mail",
                             help_text="Never shown. A first comment waits for a moderator; once one "
                                       "is approved, your next comments appear at once.",
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = forms.URLField(max_length=WEBSITE_MAX, required=False, label="Website (optional)",
                             assume_scheme="https",
                             validators=[URLValidator(schemes=["http", "https"])],
                             widget=forms.URLInput(attrs={"autocomplete": "url"}))
    paragraph = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                       label="About paragraph (optional)")
    body = forms.CharField(max_length=BODY_MAX, min_length=BODY_MIN, label="Comment",
                           help_text="Plain text with a little Markdown: *emphasis*, **strong**, "
                                     "[a link](https://example.org), > a quote, a blank line between "
                                     "paragraphs. HTML is shown as typed, not run.",
                           widget=forms.Textarea(attrs={"rows": 7, "cols": 60}))
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # The honeypot: hidden from people (the template wraps it in a `hidden` element), filled by
    # robots that fill every field.
    homepage = forms.CharField(required=False, label="Leave this field empty",
                               widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, cable, numbers: list[int] | None = None, **kwargs):
        kwargs.setdefault("auto_id", "comment-field-%s")   # unique beside the page's other forms
        super().__init__(*args, **kwargs)
        self.cable = cable
        numbers = paragraph_numbers(cable) if numbers is None else numbers
        self.fields["paragraph"].choices = [("", "the whole cable")] + [(n, f"¶{n}") for n in numbers]
        for field in ("name", "email", "body"):
            self.fields[field].widget.attrs["required"] = True
        self.fields["body"].widget.attrs["maxlength"] = BODY_MAX

    def clean_homepage(self) -> str:
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError("This field is a trap for robots and must stay empty.")
        return ""

    def clean_name(self) -> str:
        name = " ".join(without_controls(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError("Please give a name.")
        return name

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def clean_body(self) -> str:
        body = without_controls(self.cleaned_data["body"]).strip()
        if len(body) < BODY_MIN:
            raise forms.ValidationError("Please write a comment.")
        if count_links(body) > MAX_LINKS:
            raise forms.ValidationError(f"At most {MAX_LINKS} links in a comment.")
        return body

    def clean_parent(self) -> Comment | None:
        number = self.cleaned_data.get("parent")
        if not number:
            return None
        parent = Comment.objects.filter(pk=number, cable=self.cable, status=Status.APPROVED).first()
        if parent is None:
            raise forms.ValidationError("The comment you reply to is not shown on this cable.")
        # One level of replies: answering a reply answers its thread.
        return parent.parent if parent.parent_id else parent
