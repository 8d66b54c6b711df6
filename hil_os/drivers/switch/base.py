"""The switch driver interface.

A driver configures the VLANs of ports of one switch and reads them back.
The conductor computes the whole desired configuration of each port it
applies (never a delta), so applying twice is harmless.
"""

import abc
import dataclasses

ACCESS = 'access'
TRUNK = 'trunk'


@dataclasses.dataclass(frozen=True)
class PortConfig:
    """The VLAN configuration of one switch port.

    ``access``: untagged traffic on ``native_vlan``, nothing else.
    ``trunk``: untagged traffic on ``native_vlan`` and exactly the VLANs of
    ``tagged`` tagged (an exact allowed list, never "all").
    """

    mode: str
    native_vlan: int
    tagged: tuple = ()

    @classmethod
    def access(cls, vlan):
        return cls(ACCESS, vlan)

    @classmethod
    def trunk(cls, native_vlan, tagged):
        return cls(TRUNK, native_vlan, tuple(sorted(set(tagged))))

    def describe(self):
        """A short human-readable form, for logs and error messages."""
        if self.mode == ACCESS:
            return 'access VLAN %d' % self.native_vlan
        return 'trunk native VLAN %d tagged %s' % (
            self.native_vlan, ','.join(map(str, self.tagged)) or 'none')


class SwitchDriver(abc.ABC):
    """Configures and reads back the ports of one switch.

    :param switch: a dict with the switch's ``name``, ``driver``,
        ``device_type``, ``address``, ``ssh_port``, ``username``,
        ``password``, ``enable_secret`` (decrypted) and ``options``.
    """

    def __init__(self, switch):
        self.switch = switch
        self.name = switch['name']

    @abc.abstractmethod
    def apply(self, configs):
        """Bring ports to the given configurations, in one session.

        :param configs: dict of port name to :class:`PortConfig`.
        :raises: SwitchUnreachable if the switch cannot be reached (the
            conductor retries); SwitchError if it refused a command.
        """

    @abc.abstractmethod
    def read_ports(self, names):
        """Read the configuration of ports back from the switch.

        :param names: port names.
        :returns: dict of port name to :class:`PortConfig`, or to None for
            a port that carries no VLAN configuration at all.
        :raises: SwitchUnreachable, SwitchError as for :meth:`apply`.
        """

    def close(self):
        """Close any connection to the switch."""
