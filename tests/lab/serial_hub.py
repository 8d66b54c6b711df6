"""Serial ports of simulated nodes, for ipmi_sim's Serial-over-LAN.

usage: serial_hub.py PORTFILE SOL_FIRST SOL_LAST N

For each of N nodes it listens on two TCP ports on 127.0.0.1: a "serial"
port that ipmi_sim connects to (its ``sol "tcp:..."`` device) and a
"node" port that tests connect to. Bytes written to the node port come
out of the node's serial port (so through SOL to the console client);
bytes typed into the console reach every node-port client. The serial
ports are taken from SOL_FIRST..SOL_LAST (the first free ones), the
node ports are chosen by the OS; PORTFILE gets "serial node" per line.
Runs until killed.
"""

import selectors
import socket
import sys


def listen(port=0):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(('127.0.0.1', port))
    sock.listen(4)
    sock.setblocking(False)
    return sock


def free_serial_ports(first, last, count):
    ports = []
    for port in range(first, last + 1):
        try:
            ports.append(listen(port))
        except OSError:
            continue
        if len(ports) == count:
            return ports
    sys.exit('not enough free ports in %d-%d' % (first, last))


def main():
    portfile, first, last, count = (sys.argv[1], int(sys.argv[2]),
                                    int(sys.argv[3]), int(sys.argv[4]))
    sel = selectors.DefaultSelector()
    nodes = []
    for serial in free_serial_ports(first, last, count):
        node = {'serial': [], 'node': []}
        nodes.append((serial, listen(), node))
    with open(portfile + '.tmp', 'w') as f:
        for serial, listener, _node in nodes:
            f.write('%d %d\n' % (serial.getsockname()[1],
                                 listener.getsockname()[1]))
    import os
    os.rename(portfile + '.tmp', portfile)
    for serial, listener, node in nodes:
        sel.register(serial, selectors.EVENT_READ, ('accept', node, 'serial'))
        sel.register(listener, selectors.EVENT_READ, ('accept', node, 'node'))
    while True:
        for key, _ in sel.select():
            what, node, side = key.data
            if what == 'accept':
                conn, _ = key.fileobj.accept()
                conn.setblocking(True)
                node[side].append(conn)
                sel.register(conn, selectors.EVENT_READ, ('data', node, side))
                continue
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b''
            if not data:
                sel.unregister(key.fileobj)
                node[side].remove(key.fileobj)
                key.fileobj.close()
                continue
            other = 'node' if side == 'serial' else 'serial'
            for conn in list(node[other]):
                try:
                    conn.sendall(data)
                except OSError:
                    pass


if __name__ == '__main__':
    main()
