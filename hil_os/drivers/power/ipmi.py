"""IPMI power driver over pyghmi.

pyghmi pitfalls this driver avoids (see RECIPES.md): credentials are
passed as bytes and one ``Command`` is kept per BMC (a second ``Command``
with ``str`` credentials can hang forever); ``wait=True`` is never used
(it hangs when several threads wait; the conductor polls instead); a
failed session is dropped so that the next call logs in afresh; pyghmi's
two global locks are made one (it takes them in opposite orders). pyghmi
gives up on a BMC that does not answer after about 5 s of retransmits.

One pump thread per process runs pyghmi's event loop while any session
is open: it delivers Serial-over-LAN output and sends the keepalives that
stop a BMC from closing an idle session (pyghmi sends them only from its
event loop; without them the first request after a quiet minute waits out
a dead session).
"""

import collections
from concurrent import futures
import threading

from oslo_config import cfg
from oslo_log import log
from pyghmi import exceptions as pyghmi_exc
from pyghmi.ipmi import command
from pyghmi.ipmi import console
from pyghmi.ipmi.private import session as pyghmi_session

from hil_os.common import exception
from hil_os.drivers.power import base

CONF = cfg.CONF
LOG = log.getLogger(__name__)

_TO_IPMI_BOOT = {'pxe': 'network', 'disk': 'hd', 'cdrom': 'cd',
                 'bios': 'setup', 'default': 'default'}
_FROM_IPMI_BOOT = {v: k for k, v in _TO_IPMI_BOOT.items()}
_TO_IPMI_POWER = {base.ON: 'on', base.OFF: 'off', base.SOFT_OFF: 'shutdown'}
_AUTH_ERRORS = ('password', 'unauthorized', 'username', 'privilege',
                'rakp')
# pyghmi says None (or nothing) when a BMC never answered.
_NO_ANSWER = ('', 'None')
_TIMEOUTS = ('timeout', 'timed out', 'no longer connected')


# pyghmi takes its two global locks in opposite orders: send_payload holds
# KEEPALIVE_SESSIONS and then takes WAITING_SESSIONS, while awaitresponse
# holds WAITING_SESSIONS when a retry timer fires and resends, which takes
# KEEPALIVE_SESSIONS. A request to a dead BMC timing out while another
# thread sends deadlocks every IPMI call of the process for good. With one
# reentrant lock under both names the orders cannot cross. (pyghmi 1.6.19;
# the names are looked up at each use, so the module sees the change.)
pyghmi_session.KEEPALIVE_SESSIONS = pyghmi_session.WAITING_SESSIONS

# pyghmi shares one session per BMC between Command and Console objects,
# but does not lock its creation: a Console made while a Command to the
# same BMC is still being set up loses its log-on callback, and its SOL
# never starts. Sessions to one BMC are therefore created one at a time.
_SESSION_LOCKS = collections.defaultdict(threading.Lock)
_SESSION_LOCKS_GUARD = threading.Lock()


def _session_lock(credentials):
    with _SESSION_LOCKS_GUARD:
        return _SESSION_LOCKS[credentials['bmc'], credentials['port']]


class IpmiPowerDriver(base.PowerDriver):
    """Drives one BMC over IPMI 2.0 (lanplus) with pyghmi."""

    def __init__(self, bmc):
        super().__init__(bmc)
        if not bmc.get('address'):
            # pyghmi without an address drives the local BMC: the
            # conductor's own machine.
            raise exception.BmcError(
                node=self.node, reason='no BMC address is registered; set '
                                       'bmc.address (PATCH /v1/nodes).')
        self._command = None
        self._lock = threading.Lock()
        self._pending = None

    def _credentials(self):
        return {'bmc': self.bmc['address'],
                'userid': (self.bmc['username'] or '').encode(),
                'password': (self.bmc['password'] or '').encode(),
                'port': self.bmc['port'] or 623}

    def _error(self, error):
        """The hil-os exception for a pyghmi failure (no credentials)."""
        reason = str(error)
        if any(word in reason.lower() for word in _AUTH_ERRORS):
            return exception.BmcAuthFailed(
                node=self.node, reason=reason,
                address='%s:%s' % (self.bmc['address'],
                                   self.bmc['port'] or 623))
        if isinstance(error, OSError) or reason in _NO_ANSWER or any(
                word in reason.lower() for word in _TIMEOUTS):
            return self._unreachable(
                'no answer' if reason in _NO_ANSWER else reason)
        return exception.BmcError(node=self.node, reason=reason)

    def _call(self, name, *args, **kwargs):
        """Call a pyghmi Command method with a deadline.

        The call runs in a thread of its own: a BMC that stops answering
        mid-session keeps pyghmi retrying for about 30 s, longer than a
        worker may wait. Until that thread ends, calls fail at once.
        """
        with self._lock:
            if self._pending is not None and not self._pending.done():
                raise self._unreachable('an earlier request is still '
                                        'unanswered')
            pending = self._pending = futures.Future()
        threading.Thread(target=self._invoke, name='hil-os-ipmi',
                         args=(pending, name, args, kwargs),
                         daemon=True).start()
        timeout = CONF.power.bmc_timeout
        try:
            result = pending.result(timeout=timeout)
        except futures.TimeoutError:
            raise self._unreachable('no answer within %s s' % timeout)
        if isinstance(result, dict) and 'error' in result:
            raise exception.BmcError(node=self.node, reason=result['error'])
        return result

    def _invoke(self, pending, name, args, kwargs):
        try:
            if self._command is None:
                credentials = self._credentials()
                with _session_lock(credentials):
                    self._command = command.Command(**credentials)
                _PUMP.add(self)
            pending.set_result(getattr(self._command, name)(*args, **kwargs))
        except (pyghmi_exc.PyghmiException, OSError) as e:
            self._drop_session()
            pending.set_exception(self._error(e))
        except Exception as e:
            self._drop_session()
            pending.set_exception(e)

    def _drop_session(self):
        self._command = None
        _PUMP.remove(self)

    def _unreachable(self, reason):
        return exception.BmcUnreachable(
            node=self.node, reason=reason,
            address='%s:%s' % (self.bmc['address'], self.bmc['port'] or 623))

    def get_power_state(self):
        return self._call('get_power')['powerstate']

    def set_power_state(self, request):
        self._call('set_power', _TO_IPMI_POWER[request], wait=False)

    def set_boot_device(self, device, persistent):
        self._call('set_bootdev', _TO_IPMI_BOOT[device], persist=persistent)

    def get_boot_device(self):
        result = self._call('get_bootdev')
        return {'device': _FROM_IPMI_BOOT.get(result.get('bootdev')),
                'persistent': result.get('persistent')}

    def open_console(self, on_output):
        session = IpmiConsole(self, on_output)
        _PUMP.add(session)
        return session

    def close(self):
        self._drop_session()


class IpmiConsole(base.ConsoleSession):
    """A Serial-over-LAN session through pyghmi."""

    def __init__(self, driver, on_output):
        self._on_output = on_output
        self._node = driver.node
        self.error = None
        self._closing = False
        credentials = driver._credentials()
        try:
            with _session_lock(credentials):
                self._console = console.Console(
                    iohandler=self._received, force=True, **credentials)
        except (pyghmi_exc.PyghmiException, OSError) as e:
            raise driver._error(e)

    def _received(self, data):
        if isinstance(data, dict):
            if 'error' in data:
                self.error = data['error']
                if not self._closing:
                    LOG.warning('Serial console of node %s ended: %s',
                                self._node, self.error)
            return
        if isinstance(data, str):
            data = data.encode()
        self._on_output(data)

    def send(self, data):
        if not self.alive():
            raise exception.ConsoleUnavailable(
                node=self._node, reason=self.error or 'session closed')
        self._console.send_data(data)
        _PUMP.wake()

    def close(self):
        self._closing = True
        _PUMP.remove(self)
        try:
            self._console.close()
        except Exception:
            LOG.debug('Closing the console of node %s failed.', self._node,
                      exc_info=True)

    def alive(self):
        return self.error is None and not self._console.broken


class _EventPump:
    """Runs pyghmi's event loop while sessions are open (one thread).

    It turns quickly while a console is open (its output is delivered from
    the loop) and slowly otherwise (keepalives are due every ~25 s).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._sessions = set()
        self._thread = None
        self._wake = threading.Event()

    def add(self, session):
        with self._lock:
            self._sessions.add(session)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name='hil-os-sol', daemon=True)
                self._thread.start()

    def remove(self, session):
        with self._lock:
            self._sessions.discard(session)

    def wake(self):
        self._wake.set()

    def _loop(self):
        while True:
            with self._lock:
                if not self._sessions:
                    self._thread = None
                    return
                consoles = any(isinstance(s, IpmiConsole)
                               for s in self._sessions)
            try:
                console.Console.wait_for_rsp(0.1 if consoles else 1.0)
            except Exception:
                LOG.exception('The Serial-over-LAN event loop failed.')
                self._wake.wait(0.1)
            self._wake.clear()


_PUMP = _EventPump()
