"""The nodes' serial lines: ``python -m hil_os.lab.serialhub RUN_DIR``.

ipmi_sim's Serial-over-LAN talks to a TCP "serial port", and a SOL
session stops carrying output once that connection drops, which it would
each time a node's QEMU is killed. So the lab keeps the ports itself:
for each node (``RUN_DIR/state.json``) this process listens on the BMC's
TCP serial port (127.0.0.1, ipmi_sim connects there) and on a unix socket
that QEMU connects to as a client at every start (QEMU runs in the switch
namespace; a unix socket is reachable from any namespace). Bytes flow
both ways between the node's current QEMU and its BMC; each end connecting
or going away is printed (the lab logs it to serialhub.log).
"""

import json
import os
import selectors
import socket
import sys


class _Line:
    """One node's serial line: a QEMU end and a BMC end."""

    def __init__(self, name):
        self.name = name
        self.ends = {'qemu': None, 'bmc': None}


def _say(line, end, what):
    print('%s: %s %s' % (line.name, end, what), flush=True)


def _listener(family, address):
    sock = socket.socket(family)
    if family == socket.AF_INET:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    elif os.path.exists(address):
        os.unlink(address)
    sock.bind(address)
    sock.listen(4)
    sock.setblocking(False)
    return sock


def serve(run_dir):
    with open(os.path.join(run_dir, 'state.json')) as f:
        nodes = json.load(f)['nodes']
    selector = selectors.DefaultSelector()
    for name, node in nodes.items():
        line = _Line(name)
        selector.register(
            _listener(socket.AF_UNIX, os.path.join(node['dir'],
                                                   'serial.sock')),
            selectors.EVENT_READ, ('accept', line, 'qemu'))
        selector.register(
            _listener(socket.AF_INET, ('127.0.0.1', node['serial_port'])),
            selectors.EVENT_READ, ('accept', line, 'bmc'))
    while True:
        for key, _ in selector.select():
            kind, line, end = key.data
            if kind == 'accept':
                conn, _ = key.fileobj.accept()
                conn.setblocking(False)
                old = line.ends[end]
                if old is not None:
                    selector.unregister(old)
                    old.close()
                line.ends[end] = conn
                selector.register(conn, selectors.EVENT_READ,
                                  ('data', line, end))
                _say(line, end, 'connected')
                continue
            try:
                data = key.fileobj.recv(65536)
            except OSError:
                data = b''
            if not data:
                selector.unregister(key.fileobj)
                key.fileobj.close()
                line.ends[end] = None
                _say(line, end, 'disconnected')
                continue
            other = line.ends['bmc' if end == 'qemu' else 'qemu']
            if other is not None:
                try:
                    other.setblocking(True)
                    other.settimeout(1)
                    other.sendall(data)
                    other.setblocking(False)
                except OSError:
                    pass


if __name__ == '__main__':
    serve(sys.argv[1])
