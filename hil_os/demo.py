"""The demo lab: a fake switch, six nodes with fake BMCs, two projects.

Loaded by ``hil-os --demo`` into an empty database, so that every API call
can be tried at once. Nothing here talks to real hardware.
"""

from oslo_log import log

from hil_os.common import secrets
from hil_os.db import api as dbapi

LOG = log.getLogger(__name__)

SWITCH = 'demo-switch'
PROJECTS = {'node1': 'research-a', 'node2': 'research-a',
            'node3': 'research-b'}


def load():
    """Register the demo lab unless the database already has nodes."""
    if dbapi.node_list(limit=1):
        LOG.info('Demo lab not loaded: the database already has nodes.')
        return False
    switch = dbapi.switch_create({
        'name': SWITCH, 'driver': 'fake', 'device_type': 'fake',
        'address': '127.0.0.1', 'username': 'admin',
        'password': secrets.encrypt('demo-switch-password'),
        'options': {}})
    for i in range(1, 7):
        port = dbapi.port_create(switch.id, 'p%d' % i)
        node = dbapi.node_create({
            'name': 'node%d' % i, 'description': 'Demo node %d' % i,
            'bmc_driver': 'fake', 'bmc_address': '127.0.0.1',
            'bmc_port': 6230 + i, 'bmc_username': 'admin',
            'bmc_password': secrets.encrypt('demo-bmc-password')})
        dbapi.nic_create(node.id, {'name': 'eth0',
                                   'mac': '52:54:00:00:00:%02x' % i,
                                   'port_id': port.id})
        if node.name in PROJECTS:
            dbapi.node_assign(node.id, PROJECTS[node.name])
    LOG.info('Demo lab loaded: switch %s, nodes node1-node6; node1 and '
             'node2 held by research-a, node3 by research-b.', SWITCH)
    return True
