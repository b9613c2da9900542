"""``cables createmoderator``: a login for the moderation queue (the Django admin at ``/admin/``).

A moderator is a staff user in the ``moderators`` group, which may view, change and delete
comments and mentions and nothing else: approving, marking as spam, editing and deleting are all
changes or deletions of those two tables. Run again for an existing user, the command makes them
a moderator and, if a password is given, resets it.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from .archive import add_db_option, open_archive

GROUP = "moderators"
PERMISSIONS = [f"{action}_{model}" for model in ("comment", "mention")
               for action in ("view", "change", "delete")]
MIN_PASSWORD = 10


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "createmoderator", help="create a moderator of comments and pings",
        description="Create (or update) a user who may moderate comments and mentions in the "
                    "reading room's admin (/admin/). The password is asked twice on a terminal, "
                    "or read from the first line of standard input with --password-stdin.",
    )
    p.add_argument("username", help="the login name")
    p.add_argument("--email", default="", help="the moderator's e-mail address (optional)")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from standard input (for scripts)")
    p.add_argument("--keep-password", action="store_true",
                   help="for an existing user: grant moderation, leave the password as it is")
    add_db_option(p)
    p.set_defaults(run=run)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise ValueError("the two passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    open_archive(args)
    from django.contrib.auth.models import Group, Permission, User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    user = User.objects.filter(username=args.username).first()
    password = None
    if user is None or not args.keep_password:
        try:
            password = _password(args)
        except ValueError as exc:
            print(f"cables: {exc}", file=sys.stderr)
            return 1
        if password is None:
            print("cables: no password: run on a terminal or pass --password-stdin", file=sys.stderr)
            return 1
        problems = [] if len(password) >= MIN_PASSWORD else [
            f"the password must have at least {MIN_PASSWORD} characters"]
        try:
            validate_password(password, user)
        except ValidationError as exc:
            problems.extend(exc.messages)
        if problems:
            print("cables: " + "; ".join(problems), file=sys.stderr)
            return 1
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label="web",
                                                        codename__in=PERMISSIONS))
        created = user is None
        if created:
            user = User(username=args.username)
        user.is_staff = True
        user.is_active = True
        if args.email:
            user.email = args.email
        if password is not None:
            user.set_password(password)
        user.save()
        user.groups.add(group)
    print(f"{'created' if created else 'updated'} moderator {user.username}: log in at /admin/ "
          f"to approve, mark as spam, edit or delete comments and mentions")
    return 0
