"""The switch driver interface.

A driver configures the VLANs of ports of one switch and reads them back.
The conductor computes the whole desired configuration of each port it
applies (never a delta), so applying twice is harmless.
"""

import abc
import dataclasses

ACCESS = 'access'
TRUNK = 'trunk'
# Read back only: a trunk without an allowed-VLAN list carries every VLAN.
TRUNK_ALL = 'trunk-all'


@dataclasses.dataclass(frozen=True)
class PortConfig:
    """The VLAN configuration of one switch port.

    ``access``: untagged traffic on ``native_vlan``, nothing else.
    ``trunk``: untagged traffic on ``native_vlan`` (None: no untagged VLAN)
    and exactly the VLANs of ``tagged`` tagged (an exact allowed list, never
    "all"). ``trunk-all`` is what a switch may hold but hil-os never sets: a
    trunk carrying every VLAN.
    """

    mode: str
    native_vlan: int | None
    tagged: tuple = ()

    @classmethod
    def access(cls, vlan):
        return cls(ACCESS, vlan)

    @classmethod
    def trunk(cls, native_vlan, tagged):
        return cls(TRUNK, native_vlan,
                   tuple(sorted(set(tagged) - {native_vlan})))

    @classmethod
    def trunk_all(cls, native_vlan):
        return cls(TRUNK_ALL, native_vlan)

    def vlans(self):
        """Every VLAN the port carries (None: all of them)."""
        if self.mode == TRUNK_ALL:
            return None
        return {v for v in (self.native_vlan,) + self.tagged
                if v is not None}

    def describe(self):
        """A short human-readable form, for logs and error messages."""
        if self.mode == ACCESS:
            return 'access VLAN %s' % self.native_vlan
        native = ('native VLAN %s' % self.native_vlan
                  if self.native_vlan is not None else 'no native VLAN')
        if self.mode == TRUNK_ALL:
            return 'trunk %s carrying EVERY VLAN (no allowed list)' % native
        return 'trunk %s tagged %s' % (
            native, ','.join(map(str, self.tagged)) or 'none')


def describe(config):
    """describe() of a read-back result, which may be None."""
    if config is None:
        return 'no VLAN configuration (the port carries every VLAN)'
    return config.describe()


class SwitchDriver(abc.ABC):
    """Configures and reads back the ports of one switch.

    :param switch: a dict with the switch's ``name``, ``driver``,
        ``device_type``, ``address``, ``ssh_port``, ``username``,
        ``password``, ``enable_secret`` (decrypted) and ``options``.
    """

    def __init__(self, switch):
        self.switch = switch
        self.name = switch['name']

    @classmethod
    def validate(cls, values):
        """Refuse switch fields this driver cannot work with.

        Called by the API on registration and update; never talks to the
        switch.

        :param values: the switch's fields (secrets excluded).
        :raises: InvalidParameter naming the field.
        """

    @abc.abstractmethod
    def apply(self, configs):
        """Bring ports to the given configurations, in one session.

        VLANs the configurations use are created first on switches that
        keep a VLAN table.

        :param configs: dict of port name to :class:`PortConfig`.
        :returns: dict of port name to the error the switch answered for
            that port's commands (empty when it answered none).
        :raises: SwitchUnreachable if the switch cannot be reached (the
            conductor retries); SwitchError if it refused the session (for
            instance, wrong credentials).
        """

    @abc.abstractmethod
    def read_ports(self, names):
        """Read the configuration of ports back from the switch.

        :param names: port names.
        :returns: dict of port name to :class:`PortConfig`, or to None for
            a port that carries no VLAN configuration at all. A port the
            switch does not have is left out of the dict.
        :raises: SwitchUnreachable, SwitchError as for :meth:`apply`.
        """

    def close(self):
        """Close any connection to the switch."""
