"""Image backends, one instance per enabled backend and process."""

import threading

from hil_os.drivers import loader

_LOCK = threading.Lock()
_BACKENDS = {}


def get(name):
    """The enabled backend ``name``; raise DriverNotFound otherwise."""
    with _LOCK:
        backend = _BACKENDS.get(name)
        if backend is None:
            backend = _BACKENDS[name] = loader.driver_class('image',
                                                            name)(name)
        return backend


def reset():
    """Forget the backend instances (tests, configuration changes)."""
    with _LOCK:
        _BACKENDS.clear()
