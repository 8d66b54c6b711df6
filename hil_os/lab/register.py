"""The lab in hil-os's inventory, through its HTTP API (idempotent).

The switch ``lab-switch`` with one port per data NIC, nodes node1..nodeN
with their ipmi_sim BMCs, and two NICs each: ``boot`` (its MAC finds the
node's boot script; no switch port: the provisioning VLAN is the lab's)
and ``data``, cabled to its port. What exists is updated to match; what
is missing is created. Calls carry no identity headers: a noauth hil-os
takes them as its admin.
"""

import json
import urllib.error
import urllib.request

from hil_os.lab import state as lab_state
from hil_os.lab import switch
from hil_os.lab import system

SWITCH = 'lab-switch'


class Api:
    """A small JSON client of the hil-os API."""

    def __init__(self, url, headers=None):
        self.url = url.rstrip('/')
        self.headers = dict(headers or {})

    def call(self, method, path, body=None, ok=(200, 201, 202, 204)):
        """(status, decoded body); LabError unless the status is in ok."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method.upper(),
            headers=dict(self.headers, **{'Content-Type':
                                          'application/json'}))
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        except OSError as e:
            raise system.LabError('hil-os at %s: %s' % (self.url, e))
        try:
            decoded = json.loads(raw) if raw else None
        except ValueError:
            decoded = raw.decode(errors='replace')
        if status not in ok:
            raise system.LabError('%s %s answered %d: %s' % (
                method.upper(), path, status, decoded))
        return status, decoded

    def get(self, path):
        """The decoded body, or None on 404."""
        status, body = self.call('get', path, ok=(200, 404))
        return body if status == 200 else None


def register(api, state):
    """Register (or update) the lab's switch, ports, nodes and NICs."""
    body = switch.ngs_body(state, SWITCH)
    if api.get('/v1/switches/%s' % SWITCH) is None:
        api.call('post', '/v1/switches', body)
    else:
        api.call('patch', '/v1/switches/%s' % SWITCH, {
            k: v for k, v in body.items() if k not in ('name', 'driver')})
    ports = {p['name'] for p in api.get(
        '/v1/switches/%s/ports?limit=1000' % SWITCH)['ports']}
    for name, node in sorted(state['nodes'].items()):
        if node['data_port'] not in ports:
            api.call('post', '/v1/switches/%s/ports' % SWITCH,
                     {'name': node['data_port']})
        bmc = {'driver': 'ipmi', 'address': '127.0.0.1',
               'port': node['bmc_port'], 'username': lab_state.USER,
               'password': lab_state.PASSWORD}
        if api.get('/v1/nodes/%s' % name) is None:
            api.call('post', '/v1/nodes', {'name': name, 'bmc': bmc})
        else:
            api.call('patch', '/v1/nodes/%s' % name, {'bmc': bmc})
        nics = {n['name']: n for n in api.get(
            '/v1/nodes/%s/nics' % name)['nics']}
        _nic(api, name, nics, {'name': 'boot', 'mac': node['boot_mac']})
        _nic(api, name, nics, {'name': 'data', 'mac': node['data_mac'],
                               'switch': SWITCH,
                               'port': node['data_port']})


def _nic(api, node, nics, want):
    have = nics.get(want['name'])
    if have is not None and have['mac'].lower() != want['mac']:
        api.call('delete', '/v1/nodes/%s/nics/%s' % (node, want['name']))
        have = None
    if have is None:
        api.call('post', '/v1/nodes/%s/nics' % node, want)
    elif 'port' in want and have.get('port') != want['port']:
        api.call('patch', '/v1/nodes/%s/nics/%s' % (node, want['name']),
                 {'switch': want['switch'], 'port': want['port']})


def registered(api, state):
    """{node: 'yes' | 'missing' | 'differs'} as hil-os has them."""
    result = {}
    for name, node in sorted(state['nodes'].items()):
        row = api.get('/v1/nodes/%s' % name)
        if row is None:
            result[name] = 'missing'
            continue
        nics = {n['name']: n for n in api.get(
            '/v1/nodes/%s/nics' % name)['nics']}
        same = (row['bmc'].get('port') == node['bmc_port'] and
                nics.get('boot', {}).get('mac') == node['boot_mac'] and
                nics.get('data', {}).get('mac') == node['data_mac'])
        result[name] = 'yes' if same else 'differs'
    return result
