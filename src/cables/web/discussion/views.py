"""The comment form's own page (a reply, a comment about one paragraph, a post with errors) and the
view every comment form posts to.

No JavaScript is needed: the form posts here; a good post redirects back to the cable page, at the
new comment when it is shown at once (``#comment-N``) or at the discussion (``#comments``) when it
waits, with a message saying which. A bad post is shown again here with every error and the
visitor's input (status 400; 429 when a rate limit is hit), and nothing of it is stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ...store.models import Cable
from ..links import cable_path
from . import moderation, ratelimit
from .clients import client_address
from .forms import CommentForm
from .links import NotFound
from .models import Comment, Status
from .queries import find_cable, visible_comment


def cable_or_404(ref: str) -> Cable:
    cable = find_cable(ref)
    if cable is None:
        raise NotFound(f"There is no cable {ref[:64]!r} in the archive to comment on.")
    return cable


@require_http_methods(["GET", "POST"])
def comment(request, ref: str):
    cable = cable_or_404(ref)
    if request.method == "GET":
        initial = {}
        reply_to = visible_comment(cable, request.GET.get("reply"))
        if reply_to is not None:
            initial["parent"] = reply_to.parent_id or reply_to.pk
        if (request.GET.get("paragraph") or "").isdigit():
            initial["paragraph"] = int(request.GET["paragraph"])
        form = CommentForm(initial=initial, cable=cable)
        if "paragraph" in initial and initial["paragraph"] not in dict(form.fields["paragraph"].choices):
            form.initial.pop("paragraph")
        return _page(request, cable, form, reply_to)
    form = CommentForm(request.POST, cable=cable)
    if not form.is_valid():
        return _page(request, cable, form, _replying_to(cable, request.POST.get("parent")), status=400)
    try:
        new = submit(form, cable, client_address(request))
    except ratelimit.RateLimited as exc:
        form.add_error(None, str(exc))
        response = _page(request, cable, form, _replying_to(cable, request.POST.get("parent")),
                         status=429)
        response["Retry-After"] = str(max(exc.retry_after, 1))
        return response
    page = cable_path(cable.canonical_id, cable.created)
    if new.status == Status.APPROVED:
        messages.success(request, "Thank you: your comment is published.")
        return HttpResponseRedirect(f"{page}#comment-{new.pk}")
    messages.info(request, "Thank you: your comment waits for a moderator. A first comment always "
                           "does; once one of yours is approved, the next ones appear at once.")
    return HttpResponseRedirect(f"{page}#comments")


def submit(form: CommentForm, cable: Cable, address: str | None) -> Comment:
    """Store a valid comment, counted against the rate limits, in one transaction: a refused post
    leaves neither a comment nor a count behind."""
    data = form.cleaned_data
    with transaction.atomic():
        ratelimit.hit(ratelimit.COMMENT_ADDRESS, address)
        ratelimit.hit(ratelimit.COMMENT_EMAIL, data["email"])
        new = Comment.objects.create(
            cable=cable, parent=data.get("parent"), name=data["name"], email=data["email"],
            website=data.get("website") or "", body=data["body"], paragraph=data.get("paragraph"),
            status=moderation.status_for_new_comment(data["email"]), client_address=address,
        )
    if new.pk % 100 == 0:       # now and then, without a scheduler: drop counters long expired
        ratelimit.forget_old()
    return new


def _replying_to(cable: Cable, parent) -> Comment | None:
    return visible_comment(cable, parent) if parent else None


def _page(request, cable: Cable, form: CommentForm, reply_to: Comment | None, status: int = 200):
    return render(request, "web/discussion/comment_page.html", {
        "cable": cable, "form": form, "reply_to": reply_to,
        "cable_url": cable_path(cable.canonical_id, cable.created),
    }, status=status)
