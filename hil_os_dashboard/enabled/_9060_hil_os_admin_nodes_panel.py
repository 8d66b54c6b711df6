# Admin > Bare Metal > Nodes: every node, its project and BMC.
PANEL = 'hil_nodes'
PANEL_DASHBOARD = 'admin'
PANEL_GROUP = 'hil_os'
ADD_PANEL = 'hil_os_dashboard.content.admin_nodes.panel.AdminNodes'
