# Project > Bare Metal > Nodes: power, boot device, NIC attachments.
PANEL = 'hil_nodes'
PANEL_DASHBOARD = 'project'
PANEL_GROUP = 'hil_os'
ADD_PANEL = 'hil_os_dashboard.content.nodes.panel.Nodes'
