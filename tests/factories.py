"""Test data made through the DB API."""

import itertools

from oslo_utils import uuidutils

from hil_os.common import secrets
from hil_os.common import states
from hil_os.db import api as dbapi
from hil_os.db import models

_counter = itertools.count(1)


def create_test_switch(**kw):
    values = {'name': 'switch-%d' % next(_counter), 'driver': 'fake',
              'device_type': 'fake', 'address': '127.0.0.1',
              'username': 'admin', 'password': secrets.encrypt('swpass'),
              'options': {}}
    values.update(kw)
    return dbapi.switch_create(values)


def create_test_port(switch, **kw):
    return dbapi.port_create(switch.id,
                             kw.get('name', 'p%d' % next(_counter)))


def create_test_node(**kw):
    values = {'name': 'node-%d' % next(_counter), 'bmc_driver': 'fake',
              'bmc_address': '127.0.0.1', 'bmc_port': 623,
              'bmc_username': 'admin',
              'bmc_password': secrets.encrypt('bmcpass')}
    project_id = kw.pop('project_id', None)
    values.update(kw)
    node = dbapi.node_create(values)
    if project_id:
        node = dbapi.node_assign(node.id, project_id)
    return node


def create_test_nic(node, port=None, **kw):
    n = next(_counter)
    values = {'name': 'eth%d' % n,
              'mac': '52:54:00:%02x:%02x:%02x' % (n >> 16 & 255,
                                                  n >> 8 & 255, n & 255),
              'port_id': port.id if port is not None else None}
    values.update(kw)
    return dbapi.nic_create(node.id, values)


def create_test_network(project_id, **kw):
    return dbapi.network_create(project_id,
                                kw.pop('name', 'net-%d' % next(_counter)),
                                **kw)


def create_cabled_node(project_id=None, switch=None):
    """A node with one NIC cabled to a new port; returns (node, nic, port)."""
    switch = switch or create_test_switch()
    port = create_test_port(switch)
    node = create_test_node(project_id=project_id)
    nic = create_test_nic(node, port)
    return node, nic, port


def create_test_image(project_id, name=None, size=1048576, **kw):
    """An available image stored on the fake backend's bookkeeping only."""
    image, _action = dbapi.image_create(
        project_id, dict({'name': name or 'image-%d' % next(_counter),
                          'backend': 'fake', 'size': size}, **kw),
        states.ACTION_IMAGE_CREATE)
    return dbapi.image_stored(image.id, 'image-%s' % image.uuid, size)


def create_test_disk(project_id, name=None, node=None, size=1048576,
                     export=False):
    """An available disk, on ``node`` if given (exported if asked)."""
    with dbapi._writer() as session:
        disk = models.Disk(
            uuid=uuidutils.generate_uuid(), project_id=project_id,
            name=name or 'disk-%d' % next(_counter),
            node_id=node.id if node else None, status=states.STORE_AVAILABLE,
            backend='fake', size=size)
        disk.backend_ref = 'disk-%s' % disk.uuid
        session.add(disk)
    if export:
        dbapi.export_begin(disk.id, node.id, 'iqn.2026-11.test:%s' % node.name,
                           'hiltest', secrets.encrypt('chap-secret-123456'))
        dbapi.export_active(disk.id, 'target-of-' + disk.backend_ref,
                            '192.0.2.10', 3260,
                            'iqn.2026-11.test:disk:%s' % disk.uuid, 1,
                            'hiltest',
                            secrets.encrypt('chap-secret-123456'))
    return disk
