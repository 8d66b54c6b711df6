# Project > Bare Metal > Leases: the project's leases; extend one.
PANEL = 'hil_leases'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'hil_os'
ADD_PANEL = 'hil_os_dashboard.content.leases.panel.Leases'
