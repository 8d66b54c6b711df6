"""Device families the ngs driver supports: exact commands and read-back.

NGS opens and reuses the SSH sessions; its own command templates change a
port by deltas (add a VLAN to a trunk, clear a port), which can leave a
trunk carrying every VLAN. A family here writes a port's whole
configuration in one step, with an exact allowed-VLAN list, reads ports
back, and recognises the switch's error messages. Behaviour lives in
:class:`Family`; each device family is mostly data.
"""

import json
import re

from hil_os.drivers.switch import base


class Family:
    """What differs between device families."""

    #: NGS device types (``device_type`` of a switch) of this family.
    device_types = ()
    #: Device options this family needs unless the switch sets them.
    device_defaults = {}
    #: Regular expressions of output lines that report a failed command.
    error_patterns = ()
    #: Commands that read the state :meth:`parse` understands.
    read_commands = ()
    #: Whether the switch has a VLAN table that access/trunk VLANs need.
    vlan_table = False

    def vlan_commands(self, vlans):
        """Commands that create VLANs (on switches with a VLAN table)."""
        return []

    def port_commands(self, port, config):
        """Commands that give ``port`` exactly ``config``."""
        raise NotImplementedError()

    def port_header(self, port):
        """A regex matching the echo of the first command of a port block."""
        raise NotImplementedError()

    def parse(self, outputs):
        """Port configurations from the outputs of :attr:`read_commands`.

        :returns: dict of every port name the switch has to a
            :class:`base.PortConfig`, or to None for no VLAN configuration.
        """
        raise NotImplementedError()

    def errors(self, output, ports):
        """Error lines of ``output``, by the port whose commands caused them.

        The echo of each command precedes its answer (NGS devices run with
        global_cmd_verify), so an error belongs to the last port block
        started before it; errors before any port block are keyed None.
        """
        patterns = [re.compile(p) for p in self.error_patterns]
        headers = [(port, re.compile(self.port_header(port)))
                   for port in ports]
        found = {}
        current = None
        for line in output.splitlines():
            line = line.strip()
            for port, header in headers:
                if header.search(line):
                    current = port
                    break
            else:
                if any(p.search(line) for p in patterns):
                    found.setdefault(current, []).append(line)
        return found


class OvsLinux(Family):
    """Open vSwitch on Linux, driven with ovs-vsctl over SSH."""

    device_types = ('netmiko_ovs_linux',)
    # OVS keeps its database across restarts; there is nothing to save.
    device_defaults = {'ngs_save_configuration': 'false',
                       'ngs_ovs_bridge': 'br0'}
    error_patterns = (r'^ovs-vsctl: ', r'command not found',
                      r'^-?bash: ', r'Permission denied')
    read_commands = ('ovs-vsctl --format=json --columns=name,tag,trunks,'
                     'vlan_mode list port',)

    def port_commands(self, port, config):
        # One ovs-vsctl call is one OVSDB transaction: the port never
        # passes through a state with no tag (which would carry every VLAN).
        if config.mode == base.ACCESS:
            return ['ovs-vsctl set port %s vlan_mode=access tag=%d '
                    '-- clear port %s trunks' % (port, config.native_vlan,
                                                 port)]
        trunks = sorted({config.native_vlan} | set(config.tagged))
        return ['ovs-vsctl set port %s vlan_mode=native-untagged tag=%d '
                'trunks=%s' % (port, config.native_vlan,
                               ','.join(map(str, trunks)))]

    def port_header(self, port):
        return r'ovs-vsctl set port %s ' % re.escape(port)

    @staticmethod
    def _set(value):
        """An OVSDB JSON value as a list ("set" pairs or a single atom)."""
        if isinstance(value, list) and value and value[0] == 'set':
            return list(value[1])
        return [value]

    def parse(self, outputs):
        text = outputs[0]
        start = text.find('{')
        try:
            table = json.loads(text[start:text.rindex('}') + 1])
        except ValueError:
            raise ValueError(
                'unexpected answer to "%s": %s' %
                (self.read_commands[0], text.strip()[:200]))
        columns = table['headings']
        ports = {}
        for row in table['data']:
            row = dict(zip(columns, row))
            tag = self._set(row['tag'])
            trunks = self._set(row['trunks'])
            mode = self._set(row['vlan_mode'])
            tag = tag[0] if tag else None
            mode = mode[0] if mode else ('access' if tag is not None
                                         else 'trunk')
            ports[row['name']] = self._config(mode, tag, trunks)
        return ports

    @staticmethod
    def _config(mode, tag, trunks):
        if mode == 'access':
            return base.PortConfig.access(tag)
        if mode == 'trunk':
            tag = None          # a trunk port has no untagged VLAN
        if not trunks:
            return (None if tag is None and mode == 'trunk'
                    else base.PortConfig.trunk_all(tag))
        # A native-* port always carries its native VLAN (see the trunks
        # column in ovs-vswitchd.conf.db(5)).
        return base.PortConfig.trunk(tag, trunks)


def parse_vlan_list(text):
    """VLAN IDs of a Cisco list such as ``1,5-7``."""
    vlans = set()
    for part in text.split(','):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition('-')
        vlans.update(range(int(first), int(last or first) + 1))
    return vlans


class CiscoIos(Family):
    """Cisco IOS (and CLIs like it, such as fake-switches' cisco models)."""

    device_types = ('netmiko_cisco_ios',)
    error_patterns = (r'^% ', r'Command rejected', r'^ERROR',
                      r'^No such command')
    read_commands = ('show running-config',)
    vlan_table = True

    def vlan_commands(self, vlans):
        commands = []
        for vlan in sorted(vlans):
            commands += ['vlan %d' % vlan, 'exit']
        return commands

    def port_commands(self, port, config):
        # Each block ends back in global configuration mode through "end"
        # and "configure terminal" (not "exit"): if "interface" fails, IOS
        # stays in the previous interface's mode and the next lines would
        # configure that interface; this way they fail harmlessly instead.
        if config.mode == base.ACCESS:
            lines = ['switchport access vlan %d' % config.native_vlan,
                     'switchport mode access',
                     'switchport trunk allowed vlan none',
                     'no switchport trunk native vlan']
        else:
            allowed = sorted({config.native_vlan} | set(config.tagged))
            # The allowed list is set before trunk mode: the port never
            # trunks every VLAN, not even between two commands.
            allowed = ','.join(map(str, allowed))
            lines = ['switchport trunk allowed vlan %s' % allowed,
                     'switchport trunk native vlan %d' % config.native_vlan,
                     'switchport mode trunk',
                     'no switchport access vlan']
        return ['interface %s' % port] + lines + ['end',
                                                  'configure terminal']

    def port_header(self, port):
        return r'(^|#)\s*interface %s\s*$' % re.escape(port)

    def parse(self, outputs):
        ports = {}
        current = None
        for line in outputs[0].splitlines():
            if line.startswith('interface '):
                current = {'name': line.split(None, 1)[1].strip()}
                ports[current['name']] = current
                continue
            if current is None:
                continue
            if not line.startswith(' '):
                current = None
                continue
            words = line.split()
            if words[:2] == ['switchport', 'mode']:
                current['mode'] = words[2]
            elif words[:3] == ['switchport', 'access', 'vlan']:
                current['access'] = int(words[3])
            elif words[:4] == ['switchport', 'trunk', 'native', 'vlan']:
                current['native'] = int(words[4])
            elif words[:4] == ['switchport', 'trunk', 'allowed', 'vlan']:
                current.setdefault('allowed', set())
                rest = words[4:]
                if rest[:1] == ['add']:
                    rest = rest[1:]
                if rest != ['none']:
                    current['allowed'] |= parse_vlan_list(''.join(rest))
        return {name: self._config(state) for name, state in ports.items()}

    @staticmethod
    def _config(state):
        mode = state.get('mode')
        if mode == 'access':
            return base.PortConfig.access(state.get('access', 1))
        if mode != 'trunk':
            return None
        native = state.get('native', 1)
        if 'allowed' not in state:
            return base.PortConfig.trunk_all(native)
        allowed = state['allowed']
        if native not in allowed:
            return base.PortConfig(base.TRUNK, None, tuple(sorted(allowed)))
        return base.PortConfig.trunk(native, allowed)


FAMILIES = (OvsLinux(), CiscoIos())
BY_DEVICE_TYPE = {device_type: family for family in FAMILIES
                  for device_type in family.device_types}


def supported_device_types():
    """NGS device types the ngs driver can configure and read back."""
    return sorted(BY_DEVICE_TYPE)
