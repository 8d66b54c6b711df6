"""Errors of hil-os as Horizon sorts them (see ADD_EXCEPTIONS).

Kept free of Django so that the enabled files can import it while Horizon
reads its settings.
"""

from hil_os.osc import client


class HilUnauthorized(client.HilError):
    """hil-os refused the token (401): Horizon's "not authorized" page."""


class HilNotFound(client.HilError):
    """hil-os does not know the resource, or hides it from the project."""


def classify(error):
    """The same error as the subclass Horizon handles by its HTTP code."""
    if error.code == 401:
        return HilUnauthorized(error.message, error.code)
    if error.code == 404:
        return HilNotFound(error.message, error.code)
    return error


# Horizon shows the message of these and carries on (see horizon.exceptions).
ADD_EXCEPTIONS = {
    'recoverable': (client.HilError,),
    'not_found': (HilNotFound,),
    'unauthorized': (HilUnauthorized,),
}
