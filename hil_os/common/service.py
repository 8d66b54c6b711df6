"""Start-up shared by the hil-os commands: configuration and logging."""

from oslo_log import log

from hil_os.common import rpc
from hil_os import conf
from hil_os.conf import opts
from hil_os import version

CONF = conf.CONF


def prepare(argv, default_config_files=None):
    """Parse the command line and config files, then set up logging."""
    log.register_options(CONF)
    opts.update_opt_defaults()
    rpc.set_defaults()
    CONF(argv, project='hil-os',
         version=version.version_info.release_string(),
         default_config_files=default_config_files)
    log.setup(CONF, 'hil-os')
