"""The reading room's own tables. Django looks for an app's models here; they live, with the rest of
the discussion, in :mod:`.discussion.models`, and the kept renders of cable pages in
:mod:`.version_render`."""

from .discussion.models import Comment, Mention, RateCounter  # noqa: F401
from .version_render import CarriedGeneration, RenderUse, VersionRender  # noqa: F401
