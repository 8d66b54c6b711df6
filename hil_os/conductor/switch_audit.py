"""Drift audit: read every port of a switch back and compare with the DB.

A port is compared only while its intent is stable (in sync before and
after the read); others are reported as pending or failed, so work in
flight is never mistaken for drift.
"""

from oslo_config import cfg
from oslo_log import log
from oslo_utils import timeutils

from hil_os.common import exception
from hil_os.common import states
from hil_os.conductor import switch_queue
from hil_os.db import api as dbapi
from hil_os.drivers.switch import base

CONF = cfg.CONF
LOG = log.getLogger(__name__)

OK = 'ok'
DRIFT = 'drift'
MISSING = 'missing'
PENDING = 'pending'
FAILED = 'failed'


def config_dict(config):
    """A PortConfig as JSON (None: no VLAN configuration)."""
    if config is None:
        return None
    return {'mode': config.mode, 'native_vlan': config.native_vlan,
            'tagged': list(config.tagged)}


def audit(switch, driver):
    """Read a switch's ports back; return the report (a JSON-able dict).

    :raises: SwitchUnreachable, SwitchError if the switch cannot be read.
    """
    before = dbapi.port_generations(switch.id)
    desired = dbapi.switch_desired_ports(switch.id)
    actual = driver.read_ports([port.name for port, _ in desired])
    after = dbapi.port_generations(switch.id)
    entries = []
    for port, attachments in desired:
        want = switch_queue.desired_config(attachments)
        stable = (before.get(port.id) == after.get(port.id) ==
                  (port.desired_generation, states.IN_SYNC))
        got = actual.get(port.name)
        if port.name not in actual:
            status = MISSING
        elif not stable:
            status = (FAILED if after.get(port.id, (0, ''))[1] ==
                      states.SYNC_FAILED else PENDING)
        else:
            status = OK if got == want else DRIFT
        entries.append({
            'uuid': port.uuid, 'name': port.name,
            'generation': port.desired_generation,
            'sync_state': after.get(port.id, (0, port.sync_state))[1],
            'status': status,
            'desired': config_dict(want),
            'desired_description': want.describe(),
            'actual': config_dict(got),
            'actual_description': (base.describe(got)
                                   if port.name in actual else
                                   'port not found on the switch'),
        })
    summary = {}
    for entry in entries:
        summary[entry['status']] = summary.get(entry['status'], 0) + 1
    return {'switch_uuid': switch.uuid, 'switch_name': switch.name,
            'audited_at': timeutils.utcnow().isoformat(timespec='seconds'),
            'summary': summary, 'ports': entries}


def record(switch, report, repair):
    """Log and record the drift of a report; queue repairs if asked.

    Returns the number of repairs queued.
    """
    repaired = 0
    for entry in report['ports']:
        if entry['status'] not in (DRIFT, MISSING):
            continue
        message = ('Drift on switch %s port %s: the database wants %s, the '
                   'switch holds %s.%s' % (
                       switch.name, entry['name'],
                       entry['desired_description'],
                       entry['actual_description'],
                       ' Re-applying it.' if repair else ''))
        LOG.warning('%s', message)
        port = dbapi.port_get(switch.id, entry['uuid'])
        if dbapi.port_drift(port.id, entry['generation'], message, repair):
            repaired += 1
    return repaired


def audit_all(queue, hostname):
    """The periodic audit: every switch this conductor can claim.

    Each switch is isolated: a failure is logged and the rest carry on.
    """
    for switch_id in dbapi.switch_ids():
        if not switch_queue.claim(switch_id, hostname):
            continue
        repaired = 0
        try:
            switch = dbapi.switch_get(switch_id)
            report = audit(switch, queue.driver(switch))
            repaired = record(switch, report,
                              CONF.conductor.switch_audit_repair)
            LOG.info('Audit of switch %s: %s.', switch.name, ', '.join(
                '%d %s' % (n, status)
                for status, n in sorted(report['summary'].items())) or
                'no ports')
        except exception.HilOsException as e:
            LOG.warning('Audit of switch %s failed: %s', switch_id,
                        e.message)
        except Exception:
            LOG.exception('Audit of switch %s failed unexpectedly.',
                          switch_id)
        finally:
            dbapi.switch_release(switch_id, hostname)
        if repaired:
            queue.submit(switch_id)
