"""Version of the installed hil-os package."""

import pbr.version

version_info = pbr.version.VersionInfo('hil-os')
