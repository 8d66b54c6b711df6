"""The power driver interface: one object per node's BMC.

Drivers only ask; they never wait for a state to settle. The conductor
reads the state back until it matches (or times out), so that a call
never blocks a worker for long and one slow BMC cannot stall others.
Drivers are used from several threads, one call at a time per object.
"""

import abc

# Power requests a driver accepts in set_power_state.
ON = 'on'
OFF = 'off'
SOFT_OFF = 'soft_off'
REQUESTS = (ON, OFF, SOFT_OFF)


class ConsoleSession(abc.ABC):
    """An open serial console of a node."""

    @abc.abstractmethod
    def send(self, data):
        """Type ``data`` (bytes) into the console.

        :raises: ConsoleUnavailable if the session has ended.
        """

    @abc.abstractmethod
    def close(self):
        """End the session; output stops arriving."""

    def alive(self):
        """Whether the session still delivers output."""
        return True


class PowerDriver(abc.ABC):
    """Controls the power, boot device and console of one node.

    :param bmc: a dict with the node's ``node`` (name), ``driver``,
        ``address``, ``port``, ``username`` and ``password`` (decrypted;
        never to be logged).
    """

    def __init__(self, bmc):
        self.bmc = bmc
        self.node = bmc['node']

    @abc.abstractmethod
    def get_power_state(self):
        """Read the power state from the BMC.

        :returns: ``'on'`` or ``'off'``.
        :raises: BmcUnreachable if the BMC does not answer in time;
            BmcAuthFailed if it refuses the credentials; BmcError for any
            other refusal.
        """

    @abc.abstractmethod
    def set_power_state(self, request):
        """Ask the BMC to power on, off, or off softly (ACPI).

        Returns once the BMC accepted the request, not once the state
        changed.

        :param request: one of :data:`REQUESTS`.
        :raises: BmcUnreachable, BmcAuthFailed, BmcError as for
            :meth:`get_power_state`.
        """

    @abc.abstractmethod
    def set_boot_device(self, device, persistent):
        """Choose the device the node boots from next.

        :param device: ``pxe``, ``disk``, ``cdrom``, ``bios`` or
            ``default``.
        :param persistent: True for every later boot, False for the next
            one only.
        :raises: BmcUnreachable, BmcAuthFailed, BmcError as for
            :meth:`get_power_state`.
        """

    @abc.abstractmethod
    def get_boot_device(self):
        """Read the boot device from the BMC.

        :returns: a dict with ``device`` (as for :meth:`set_boot_device`,
            or None if the BMC names another) and ``persistent`` (bool or
            None when unknown).
        :raises: BmcUnreachable, BmcAuthFailed, BmcError as for
            :meth:`get_power_state`.
        """

    @abc.abstractmethod
    def open_console(self, on_output):
        """Open the node's serial console.

        :param on_output: called with each chunk of output (bytes), from a
            thread of the driver; it must not block.
        :returns: a :class:`ConsoleSession`.
        :raises: ConsoleUnavailable if the BMC offers no console or
            refuses one; BmcUnreachable, BmcAuthFailed as for
            :meth:`get_power_state`.
        """

    def close(self):
        """Drop any session with the BMC."""
