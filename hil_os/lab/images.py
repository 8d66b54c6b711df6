"""The boot images a lab starts with: ``lab-token`` and ``lab-linux``.

Built from Debian packages by ``hil_os.lab.payloads`` (the packages are
kept in a cache directory, ~/.cache/hil-os/lab by default) and imported
into hil-os from the lab's image directory (hil-os's ``[image]
import_dirs``).
"""

import os
import secrets
import time

from hil_os.lab import payloads
from hil_os.lab import system

TOKEN_IMAGE, LINUX_IMAGE = 'lab-token', 'lab-linux'


def import_image(api, name, path, timeout=300):
    """Import ``path`` as image ``name`` unless it exists; its body."""
    image = api.get('/v1/images/%s' % name)
    if image is None:
        api.call('post', '/v1/images', {'name': name, 'source': path})
    deadline = time.monotonic() + timeout
    while True:
        image = api.get('/v1/images/%s' % name)
        if image['status'] == 'available':
            return image
        if image['status'] == 'error' or time.monotonic() > deadline:
            raise system.LabError('import of image %s from %s: %s' % (
                name, path, image['status']))
        time.sleep(0.2)


def build_and_import(api, state, cache_dir, linux=True, say=print):
    """Build the payloads the lab lacks and import them into hil-os."""
    images = state.path_of('images')
    os.makedirs(images, exist_ok=True)
    token = state.get('token') or 'tok-%s' % secrets.token_hex(6)
    state.set('token', token)
    path = os.path.join(images, TOKEN_IMAGE + '.raw')
    if not os.path.exists(path):
        payloads.build_token_image(path, token)
    import_image(api, TOKEN_IMAGE, path)
    say('image %s imported (its token: %s)' % (TOKEN_IMAGE, token))
    if linux:
        path = os.path.join(images, LINUX_IMAGE + '.raw')
        if not os.path.exists(path):
            payloads.build_linux_image(path, cache_dir)
        import_image(api, LINUX_IMAGE, path)
        say('image %s imported' % LINUX_IMAGE)
