"""The discussion of the reading room: comments, TrackBack and Webmention pings, Atom feeds.

Readers comment on a cable (a small Markdown subset, one level of replies, optionally about one
paragraph); a first-time commenter's words wait for a moderator, and once one of them is approved
the next ones appear at once. Blogs ping a cable with TrackBack or Webmention; every ping waits for
a moderator and approved ones show as "Mentions". Atom feeds follow new cables (the archive, a tag,
an origin, a release, a search) and the comments.

Modules, in the order a request meets them: :mod:`.urls` → :mod:`.views` (comment form and
page) and :mod:`.pings` (TrackBack / Webmention endpoint) → :mod:`.forms`, :mod:`.clients` (who is
asking), :mod:`.ratelimit` (how often, counted in the database so every worker process shares the
counts) → :mod:`.moderation` (what is shown) → :mod:`.models`. Display: :mod:`.markdown` (the
only way a comment's text becomes HTML), :mod:`.queries` (counts, latest comments, one cable's
discussion), the ``discussion`` template tags, :mod:`.feeds`. Moderators work in the Django admin
(:mod:`.admin`), created by ``cables createmoderator``.
"""
