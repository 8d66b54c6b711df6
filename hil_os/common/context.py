"""The request context: who is calling, in which project, with which roles."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """Identity of the caller of an API request or of a conductor job."""


def get_admin_context():
    """A context for work that hil-os does on its own behalf."""
    return RequestContext(roles=['admin'], user_id='hil-os', overwrite=False)
