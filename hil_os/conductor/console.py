"""Serial consoles: Serial-over-LAN sessions held by a conductor.

While a node has a live console token, one conductor holds its session
(a claim on the node_consoles row, renewed like a heartbeat) and appends
its output to the node's console log in the database, where the API's
readers find it. Input reaches the holding conductor by RPC. Sessions
close once no token of the node is valid (expiry, revocation, or the
node leaving its project); another conductor takes over a dead holder's
consoles when its claim expires.
"""

import codecs
import datetime
import threading

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.db import api as dbapi

CONF = cfg.CONF
LOG = log.getLogger(__name__)


class _Session:
    """One node's open console and its not yet written output."""

    def __init__(self, node):
        self.node = node
        self.console = None
        self.lock = threading.Lock()
        self.pending = []
        self._decoder = codecs.getincrementaldecoder('utf-8')('replace')

    def received(self, data):
        text = self._decoder.decode(data)
        if text:
            with self.lock:
                self.pending.append(text)

    def take(self):
        with self.lock:
            text, self.pending = ''.join(self.pending), []
        return text


class ConsoleManager:
    """The console sessions of one conductor, with a flusher thread."""

    def __init__(self, hostname, power_drivers):
        self.hostname = hostname
        self._drivers = power_drivers
        self._lock = threading.Lock()
        self._sessions = {}
        self._stopping = threading.Event()
        self._thread = None
        self._last_check = 0.0

    def _expired_before(self):
        return timeutils.utcnow() - datetime.timedelta(
            seconds=CONF.conductor.claim_timeout)

    def start(self, node_uuid):
        """Open a node's console here unless it is open or held elsewhere."""
        with self._lock:
            if node_uuid in self._sessions:
                return True
        node = dbapi.node_get(node_uuid)
        if not dbapi.console_tokens(node.id):
            return False
        if not dbapi.console_claim(node.id, self.hostname,
                                   self._expired_before()):
            return False
        session = _Session(node)
        try:
            session.console = self._drivers.get(node).open_console(
                session.received)
        except exception.HilOsException as e:
            LOG.warning('Console of node %s could not be opened: %s',
                        node.name, e.message)
            dbapi.console_append(node.id, '\r\n[hil-os: %s]\r\n' %
                                 e.message, CONF.console.log_size)
            dbapi.console_unclaim(node.id, self.hostname)
            return False
        with self._lock:
            self._sessions[node_uuid] = session
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name='hil-os-console', daemon=True)
                self._thread.start()
        LOG.info('Conductor %s opened the console of node %s.',
                 self.hostname, node.name)
        return True

    def send(self, node_uuid, data):
        """Type text into a node's console held here."""
        with self._lock:
            session = self._sessions.get(node_uuid)
        if session is None:
            raise exception.ConsoleUnavailable(
                node=node_uuid, reason='no session is open on conductor '
                                       '%s' % self.hostname)
        session.console.send(data.encode())

    def stop(self, node_uuid):
        """Close a node's console session (flushing its output)."""
        with self._lock:
            session = self._sessions.pop(node_uuid, None)
        if session is None:
            return
        session.console.close()
        self._flush(session)
        dbapi.console_unclaim(session.node.id, self.hostname)
        LOG.info('Conductor %s closed the console of node %s.',
                 self.hostname, session.node.name)

    def sweep(self):
        """Open, close and renew console sessions as the tokens say.

        Wanted consoles nobody holds open here; sessions without a live
        token (or whose BMC ended them) close; the others' claims renew.
        """
        for node_id, node_uuid in dbapi.consoles_wanted(
                self._expired_before()):
            try:
                self.start(node_uuid)
            except Exception:
                LOG.exception('Opening the console of node %s failed.',
                              node_uuid)
        with self._lock:
            sessions = list(self._sessions.items())
        for node_uuid, session in sessions:
            if (not dbapi.console_tokens(session.node.id) or
                    not session.console.alive()):
                self.stop(node_uuid)
            else:
                dbapi.console_claim(session.node.id, self.hostname,
                                    self._expired_before())

    def close(self):
        self._stopping.set()
        with self._lock:
            nodes = list(self._sessions)
        for node_uuid in nodes:
            self.stop(node_uuid)

    def flush_all(self):
        """Write every session's buffered output to the database."""
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            self._flush(session)

    def _flush(self, session):
        text = session.take()
        if text:
            dbapi.console_append(session.node.id, text,
                                 CONF.console.log_size)

    def _loop(self):
        while not self._stopping.wait(CONF.console.flush_interval):
            try:
                self.flush_all()
            except Exception:
                LOG.exception('Writing console output failed.')
            with self._lock:
                if not self._sessions:
                    self._thread = None
                    return
