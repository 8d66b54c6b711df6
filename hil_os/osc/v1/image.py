"""openstack hil image ...: disk images nodes are provisioned from."""

import argparse
import re

from osc_lib.command import command
from osc_lib import exceptions

from hil_os.osc.v1 import common

STATUSES = ('creating', 'available', 'deleting', 'error')
LIST_COLUMNS = (('uuid', 'UUID'), ('name', 'Name'), ('status', 'Status'),
                ('size', 'Size'), ('project_id', 'Project'))
LONG_COLUMNS = LIST_COLUMNS + (('description', 'Description'),
                               ('protected', 'Protected'),
                               ('backend', 'Backend'), ('source', 'Source'),
                               ('message', 'Message'),
                               ('created_at', 'Created At'))
UNITS = {'': 1, 'k': 2 ** 10, 'm': 2 ** 20, 'g': 2 ** 30, 't': 2 ** 40}


def size(text):
    """argparse type of a size: bytes, or with a K, M, G or T (binary)."""
    match = re.fullmatch(r'\s*([0-9]+)\s*(?:([kmgt])(?:i?b)?|b?)\s*',
                         text, re.I)
    if not match:
        raise argparse.ArgumentTypeError(
            '%r is not a size such as 10G, 512M or 1073741824' % text)
    return int(match.group(1)) * UNITS[(match.group(2) or '').lower()]


def add_image_argument(parser):
    parser.add_argument('image', metavar='<image>',
                        help='Image name or UUID.')


class CreateImage(command.ShowOne):
    """Create an empty image of a size, or import one from a source."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('name', metavar='<name>', help='Image name.')
        content = parser.add_mutually_exclusive_group(required=True)
        content.add_argument('--size', metavar='<size>', type=size,
                             help='An empty image of this size (e.g. 10G).')
        content.add_argument('--source', metavar='<url-or-path>',
                             help='Import a raw or qcow2 image from an '
                                  'http(s) URL or a path on the conductor '
                                  '(admin).')
        parser.add_argument('--description', metavar='<text>',
                            help='Free text about the image.')
        common.add_wait_arguments(parser, 'image is stored')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        image = common.client(self).images.create(
            parsed_args.name, size=parsed_args.size,
            source=parsed_args.source, description=parsed_args.description)
        return common.show(common.wait_for_image(self, parsed_args, image))


class ListImage(command.Lister):
    """List the images the caller's project owns or may use."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--name', metavar='<name>',
                            help='Only the image with this name.')
        parser.add_argument('--project', metavar='<project-id>',
                            help='Only images owned by this project.')
        parser.add_argument('--status', metavar='<status>', choices=STATUSES,
                            help='Only images in this status (%s).' %
                                 ', '.join(STATUSES))
        parser.add_argument('--long', action='store_true',
                            help='Show more columns.')
        common.add_limit_arguments(parser)
        return parser

    def take_action(self, parsed_args):
        images = common.client(self).images.list(
            name=parsed_args.name, project_id=parsed_args.project,
            status=parsed_args.status, limit=parsed_args.limit,
            marker=parsed_args.marker)
        return common.table(images, LONG_COLUMNS if parsed_args.long
                            else LIST_COLUMNS)


class ShowImage(command.ShowOne):
    """Show an image."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        return parser

    def take_action(self, parsed_args):
        return common.show(common.client(self).images.get(parsed_args.image))


class SetImage(command.ShowOne):
    """Rename an image, or change its description or protection."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        parser.add_argument('--name', metavar='<name>', help='New name.')
        parser.add_argument('--description', metavar='<text>',
                            help='New description ("" clears it).')
        protection = parser.add_mutually_exclusive_group()
        protection.add_argument('--protected', dest='protected',
                                action='store_true', default=None,
                                help='Refuse to delete the image.')
        protection.add_argument('--unprotected', dest='protected',
                                action='store_false',
                                help='Allow deleting the image.')
        return parser

    def take_action(self, parsed_args):
        fields = {}
        if parsed_args.name is not None:
            fields['name'] = parsed_args.name
        if parsed_args.description is not None:
            fields['description'] = parsed_args.description or None
        if parsed_args.protected is not None:
            fields['protected'] = parsed_args.protected
        if not fields:
            raise exceptions.CommandError(
                'Nothing to change: give --name, --description, --protected '
                'or --unprotected.')
        return common.show(common.client(self).images.update(
            parsed_args.image, **fields))


class DeleteImage(command.Command):
    """Delete images (refused while protected or in use)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('images', metavar='<image>', nargs='+',
                            help='Image names or UUIDs.')
        common.add_wait_arguments(parser, 'images are deleted')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        actions = common.delete_all('image', parsed_args.images,
                                    common.client(self).images.delete)
        common.wait(self, parsed_args, actions)


class CopyImage(command.ShowOne):
    """Copy an image the project may use into a new one it owns."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        parser.add_argument('name', metavar='<name>',
                            help='Name of the copy.')
        parser.add_argument('--description', metavar='<text>',
                            help='Description of the copy.')
        common.add_wait_arguments(parser, 'copy is stored')
        return parser

    def take_action(self, parsed_args):
        common.check_wait_arguments(parsed_args)
        image = common.client(self).images.copy(
            parsed_args.image, parsed_args.name,
            description=parsed_args.description)
        return common.show(common.wait_for_image(self, parsed_args, image))


class ListImageAccess(command.Lister):
    """List the projects an image is shared with."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        return parser

    def take_action(self, parsed_args):
        access = common.client(self).images.access(parsed_args.image)
        return common.table(access, (('project_id', 'Project'),
                                     ('created_at', 'Created At')))


class GrantImageAccess(command.Command):
    """Let another project provision nodes from an image."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        parser.add_argument('project', metavar='<project-id>',
                            help='The project that may use the image.')
        return parser

    def take_action(self, parsed_args):
        common.client(self).images.grant(parsed_args.image,
                                         parsed_args.project)


class RevokeImageAccess(command.Command):
    """Stop sharing an image; disks already cloned from it stay."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        add_image_argument(parser)
        parser.add_argument('project', metavar='<project-id>',
                            help='The project that loses the image.')
        return parser

    def take_action(self, parsed_args):
        common.client(self).images.revoke(parsed_args.image,
                                          parsed_args.project)
