"""The image backend interface.

A backend stores images and node disks and exports a disk to one node over
iSCSI. The conductor calls it; every method is idempotent for the same
arguments (a conductor that takes over a half-done action calls it again),
and names what it stores by the hil-os UUID it is given, so a repeated call
finds what an interrupted one made.

References (``ref``) are opaque strings the backend returns and the
database keeps: a file name, ``volume:<id>``, ``snapshot:<id>``...
"""

import abc
import dataclasses


@dataclasses.dataclass(frozen=True)
class Stored:
    """Something a backend stores: its reference and size in bytes."""

    ref: str
    size: int


@dataclasses.dataclass(frozen=True)
class Export:
    """How one node reaches its disk: the iSCSI target and CHAP login.

    ``ref`` names the export on the backend (a target, an attachment).
    """

    ref: str
    portal_host: str
    portal_port: int
    target_iqn: str
    lun: int
    chap_username: str
    chap_secret: str = dataclasses.field(repr=False)


class ImageBackend(abc.ABC):
    """Stores images and disks and exports disks over iSCSI.

    :param name: the backend's entry-point name, for messages.
    """

    #: Whether :meth:`clone` shares blocks with the image (copy-on-write)
    #: rather than copying them; reported by the benchmark and the docs.
    copy_on_write = False

    def __init__(self, name):
        self.name = name

    @abc.abstractmethod
    def create_image(self, image_uuid, size):
        """Make an empty (zero-filled, sparse where possible) image.

        :param image_uuid: the image's hil-os UUID.
        :param size: size in bytes; a backend may round it up.
        :returns: :class:`Stored`.
        :raises: ImageBackendError naming what failed.
        """

    @abc.abstractmethod
    def import_image(self, image_uuid, source):
        """Make an image from an import source (a raw or qcow2 file).

        :param source: a local path or an http(s) URL the conductor can
            read, or a backend-specific reference (``cinder`` accepts
            ``cinder:volume:<id>`` and ``cinder:snapshot:<id>``).
        :returns: :class:`Stored`.
        :raises: InvalidImageSource if the source cannot be read;
            ImageBackendError for other failures.
        """

    @abc.abstractmethod
    def copy_image(self, src_ref, image_uuid):
        """Make a new image with the content of another.

        :returns: :class:`Stored`.
        :raises: ImageBackendError.
        """

    @abc.abstractmethod
    def clone(self, src_ref, disk_uuid):
        """Make a node disk from an image, sharing blocks where possible.

        :returns: :class:`Stored`.
        :raises: ImageBackendError.
        """

    @abc.abstractmethod
    def snapshot(self, disk_ref, image_uuid):
        """Make a new image of a disk's content at this moment.

        The conductor powers the node off first, so the content is
        consistent.

        :returns: :class:`Stored`.
        :raises: ImageBackendError.
        """

    @abc.abstractmethod
    def delete(self, ref):
        """Delete an image or a disk; deleting a missing one succeeds.

        :raises: ImageBackendError (for instance, still exported).
        """

    @abc.abstractmethod
    def export(self, disk_ref, disk_uuid, initiator_iqn, chap_username,
               chap_secret):
        """Export a disk to exactly one initiator, with CHAP.

        Only ``initiator_iqn`` logging in with these CHAP credentials may
        reach the target. Exporting again replaces the credentials.

        :param chap_username: CHAP user name proposed by the conductor.
        :param chap_secret: CHAP secret proposed by the conductor.
        :returns: :class:`Export`; a backend that sets credentials itself
            (Cinder) returns its own.
        :raises: ImageBackendError.
        """

    @abc.abstractmethod
    def unexport(self, disk_ref, disk_uuid):
        """Remove every export of a disk, closing any session.

        Works from the disk alone, so an export whose reference was never
        recorded (a crash inside :meth:`export`) is removed too. A disk
        with no export succeeds.

        :raises: ImageBackendError.
        """

    @abc.abstractmethod
    def is_exported(self, disk_ref, disk_uuid):
        """Whether the disk is exported (read back from the target).

        :raises: ImageBackendError if the target cannot be asked.
        """
