# Project > Bare Metal > Networks: the VLANs the project's NICs attach to.
PANEL = 'hil_networks'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'hil_os'
ADD_PANEL = 'hil_os_dashboard.content.networks.panel.Networks'
