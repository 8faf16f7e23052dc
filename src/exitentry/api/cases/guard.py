"""The one guard of the case endpoints: each declares the lifecycle action it takes (``takes``), and the
guard answers before the view runs.

401 signed out (the router's session auth, ``SignedIn``); 403 for an officer's, supervisor's or
administrator's session that has not given its second factor yet; 404 for a case (or a material, a task) the user may not see,
as if it did not exist; 403 for one they see but whose side may not take the action. The services then
answer 409 where the case's state does not allow it and 422 where the rules refuse (``api.errors``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.shortcuts import get_object_or_404

from exitentry.api.auth import SignedIn
from exitentry.api.cases import reading
from exitentry.api.errors import ApiError
from exitentry.api.routing import Router
from exitentry.cases import access
from exitentry.law.text import Text

router = Router(tags=["cases"], auth=SignedIn(), errors=[409])  # 409: the case's state does not allow it


def _may(request, actions: tuple[str, ...]) -> None:
    """Refuse (403) unless the user's side may take one of ``actions`` on a case it sees (a user sees a
    case on one footing whatever the action, so on a visible case the side alone decides)."""
    if not any(access.grants(request.user, a) for a in actions):
        raise PermissionDenied(f"not allowed to {actions[0].replace('_', ' ')} this case")


def takes(
    action: str | tuple[str, ...], via: tuple[type[Model], str] | None = None, from_path: bool = False
) -> Callable:
    """The endpoint takes ``action`` (one of the lifecycle table's; a tuple: any one of them, as each side
    names its own) on the case at ``{case_id}``, or, with ``via=(Model, "name")``, on the case of the
    object at ``{name_id}``; with ``from_path``, the one of ``action`` its ``{action}`` names (404 naming
    them for any other).

    The view receives the case (or the object, its case read with it) in place of the id, once the guard
    let it through; ``view.action`` names what it takes, for the permission matrix and the docs.
    """

    def decorate(view: Callable) -> Callable:
        actions = (action,) if isinstance(action, str) else action
        name = "case" if via is None else via[1]
        param = f"{name}_id"

        @wraps(view)
        def guarded(request, **kwargs):
            if from_path and kwargs["action"] not in actions:
                named = kwargs["action"]
                raise ApiError(
                    404,
                    "action",
                    Text(
                        f"No action {named!r}; the steps are {', '.join(actions)}.",
                        f"没有“{named}”这一步骤；可用的步骤为：{'、'.join(actions)}。",
                    ),
                )
            pk = kwargs.pop(param)
            seen = access.cases_for(request.user)
            if via is None:
                obj = get_object_or_404(reading.whole(seen), pk=pk)
            else:
                obj = get_object_or_404(via[0].objects.filter(case__in=seen).select_related("case"), pk=pk)
            _may(request, (kwargs["action"],) if from_path else actions)
            return view(request, obj, **kwargs)

        signature = inspect.signature(view, eval_str=True)  # the view's own names, not the guard's
        guarded.__signature__ = signature.replace(
            parameters=[
                p.replace(name=param, annotation=int) if p.name == name else p
                for p in signature.parameters.values()
            ]
        )
        guarded.action = actions
        return guarded

    return decorate
