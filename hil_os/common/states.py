"""Names of the states of actions, attachments and switch ports."""

# Actions: queued work that a client can poll.
PENDING = 'pending'
RUNNING = 'running'
SUCCEEDED = 'succeeded'
FAILED = 'failed'
ACTION_STATES = (PENDING, RUNNING, SUCCEEDED, FAILED)
ACTION_DONE = (SUCCEEDED, FAILED)

# Attachments of a NIC to a network.
ATTACHING = 'attaching'
ACTIVE = 'active'
DETACHING = 'detaching'
ATTACHMENT_STATES = (ATTACHING, ACTIVE, DETACHING)

# Channels of an attachment.
ACCESS = 'access'
TAGGED = 'tagged'
CHANNELS = (ACCESS, TAGGED)

# Switch ports: whether the switch holds the configuration the DB asks for.
IN_SYNC = 'in_sync'
SYNC_PENDING = 'pending'
SYNC_FAILED = 'failed'

# Nodes.
NODE_FREE = 'free'
NODE_ALLOCATED = 'allocated'
NODE_RELEASING = 'releasing'
NODE_RELEASE_FAILED = 'handback_failed'
NODE_STATES = (NODE_FREE, NODE_ALLOCATED, NODE_RELEASING,
               NODE_RELEASE_FAILED)

# Kinds of actions.
ACTION_ATTACH = 'attach'
ACTION_DETACH = 'detach'
ACTION_RELEASE = 'release'
ACTION_PORT_REVERT = 'port_revert'
