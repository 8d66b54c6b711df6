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

# Node actions run by conductors through the node-action handlers.
ACTION_POWER_ON = 'power_on'
ACTION_POWER_OFF = 'power_off'
ACTION_SOFT_OFF = 'soft_off'
ACTION_REBOOT = 'reboot'
ACTION_SET_BOOT_DEVICE = 'set_boot_device'

# Power states as read from a BMC; ERROR: the BMC could not be read.
POWER_ON = 'on'
POWER_OFF = 'off'
POWER_ERROR = 'error'

# Power targets a client may ask for, and the action each queues.
POWER_TARGETS = {'on': ACTION_POWER_ON, 'off': ACTION_POWER_OFF,
                 'soft_off': ACTION_SOFT_OFF, 'reboot': ACTION_REBOOT}

# Boot devices a client may choose.
BOOT_DEVICES = ('pxe', 'disk', 'cdrom', 'bios', 'default')

ACTION_PORT_RETRY = 'port_retry'

# Images and node disks.
STORE_CREATING = 'creating'
STORE_AVAILABLE = 'available'
STORE_DELETING = 'deleting'
STORE_ERROR = 'error'

# iSCSI exports of disks.
EXPORTING = 'exporting'
EXPORTED = 'active'

# Kinds of imaging actions.
ACTION_IMAGE_CREATE = 'image_create'
ACTION_IMAGE_IMPORT = 'image_import'
ACTION_IMAGE_COPY = 'image_copy'
ACTION_IMAGE_DELETE = 'image_delete'
ACTION_DISK_DELETE = 'disk_delete'
ACTION_PROVISION = 'provision'
ACTION_DEPROVISION = 'deprovision'
ACTION_SNAPSHOT = 'snapshot'
ACTION_REEXPORT = 'reexport'

# Leases: a project holds nodes from start to end.
LEASE_CREATED = 'created'
LEASE_ACTIVE = 'active'
LEASE_EXPIRED = 'expired'
LEASE_CANCELLED = 'cancelled'
LEASE_ERROR = 'error'
LEASE_STATES = (LEASE_CREATED, LEASE_ACTIVE, LEASE_EXPIRED, LEASE_CANCELLED,
                LEASE_ERROR)
# Leases that still hold or will hold their nodes.
LEASE_LIVE = (LEASE_CREATED, LEASE_ACTIVE)

# A node of a lease: reserved before the start, held while active, then
# handed back (releasing) until released or failed.
LEASE_NODE_RESERVED = 'reserved'
LEASE_NODE_HELD = 'held'
LEASE_NODE_RELEASING = 'releasing'
LEASE_NODE_RELEASED = 'released'
LEASE_NODE_FAILED = 'failed'
LEASE_NODE_DROPPED = 'dropped'

# The steps of a hand-back (the release action), in order.
HANDBACK_POWER_OFF = 'power_off'
HANDBACK_DETACH = 'detach_networks'
HANDBACK_CONSOLE = 'revoke_console'
HANDBACK_DISK = 'unexport_disk'
HANDBACK_STEPS = (HANDBACK_POWER_OFF, HANDBACK_DETACH, HANDBACK_CONSOLE,
                  HANDBACK_DISK)
