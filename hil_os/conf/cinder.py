"""Options of the [cinder] group: the cinder image backend.

hil-os reaches Cinder as its own service user (keystoneauth options of this
group: ``auth_type``, ``auth_url``, ``username``, ``password``,
``project_name``, ``user_domain_name``, ``project_domain_name``...).
Images and disks are volumes of that user's project.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

group = cfg.OptGroup('cinder', title='Cinder image backend options')

opts = [
    cfg.StrOpt('region_name',
               help='Region of the Cinder endpoint in the catalog.'),
    cfg.StrOpt('interface',
               default='public',
               choices=['public', 'internal', 'admin'],
               help='Catalog interface of the Cinder endpoint.'),
    cfg.StrOpt('service_type',
               default='block-storage',
               help='Catalog service type of Cinder (block-storage or '
                    'volumev3).'),
    cfg.URIOpt('endpoint_override',
               help='Cinder endpoint to use instead of the catalog\'s, '
                    'e.g. http://cinder.example.org:8776/v3.'),
    cfg.StrOpt('volume_type',
               help='Volume type of images and disks (default: Cinder\'s '
                    'default type).'),
    cfg.StrOpt('availability_zone',
               help='Availability zone of images and disks.'),
    cfg.FloatOpt('poll_interval',
                 default=1.0, min=0.05,
                 help='Seconds between two reads of a volume\'s status '
                      'while waiting for Cinder.'),
    cfg.StrOpt('conductor_initiator_iqn',
               default='iqn.2026-11.org.hil-os:conductor',
               help='Initiator name the conductor attaches a new volume '
                    'with, to write an imported image into it (with '
                    'qemu-img\'s user-space iSCSI initiator).'),
]


def register_opts(conf):
    conf.register_group(group)
    conf.register_opts(opts, group=group)
    ks_loading.register_session_conf_options(conf, group.name)
    ks_loading.register_auth_conf_options(conf, group.name)


def list_opts():
    """The options of the group, keystoneauth's password plugin included."""
    return (opts + ks_loading.get_session_conf_options() +
            ks_loading.get_auth_common_conf_options() +
            ks_loading.get_auth_plugin_conf_options('password'))
