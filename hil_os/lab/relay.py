"""The boot relay: the nodes' only path to hil-os.

``python -m hil_os.lab.relay --netns NS --listen ADDR:PORT --to URL
--pidfile PATH``
listens inside the provisioning namespace (the socket is made there, the
process stays in the root namespace) and forwards ``GET /v1/boot/<mac>``
to hil-os; everything else is refused, so a node can read its own boot
script and reach nothing else of the machine.
"""

import argparse
import ctypes
import http.server
import os
import re
import socketserver
import urllib.error
import urllib.parse
import urllib.request

CLONE_NEWNET = 0x40000000
BOOT_PATH = re.compile(r'^/v1/boot/[0-9A-Fa-f:-]{11,23}$')


def _setns(fd):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns failed')


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def serve(netns, address, port, target):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            # iPXE percent-encodes the colons of ${net0/mac}.
            path = urllib.parse.unquote(self.path)
            if not BOOT_PATH.match(path):
                self.send_error(404)
                return
            try:
                with urllib.request.urlopen(target + path,
                                            timeout=10) as answer:
                    status, body = answer.status, answer.read()
            except urllib.error.HTTPError as e:
                status, body = e.code, e.read()
            except OSError:
                self.send_error(502)
                return
            self.send_response(status)
            self.send_header('Content-Type', 'text/plain')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            print('%s %s' % (self.client_address[0], fmt % args),
                  flush=True)

    root = os.open('/proc/self/ns/net', os.O_RDONLY)
    lab = os.open('/var/run/netns/%s' % netns, os.O_RDONLY)
    _setns(lab)
    try:
        server = _Server((address, port), Handler)
    finally:
        _setns(root)
        os.close(root)
        os.close(lab)
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--netns', required=True)
    parser.add_argument('--listen', required=True)
    parser.add_argument('--to', required=True)
    parser.add_argument('--pidfile', required=True)
    args = parser.parse_args()
    with open(args.pidfile, 'w') as f:
        f.write('%d\n' % os.getpid())
    address, port = args.listen.rsplit(':', 1)
    serve(args.netns, address, int(port), args.to.rstrip('/'))


if __name__ == '__main__':
    main()
