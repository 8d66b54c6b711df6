"""Pieces of the image backends that need no target: parsing, checks."""

import os

import fixtures

from hil_os.common import exception
from hil_os.drivers.image import qemu_img
from hil_os.drivers.image import tgt
from tests import base

SHOW = """Target 1: iqn.2026-11.org.hil-os:disk:aaa
    System information:
        Driver: iscsi
        State: ready
    I_T nexus information:
        I_T nexus: 3
            Initiator: iqn.2026-11.org.hil-os:node:n1 alias: none
            Connection: 0
                IP Address: 127.0.0.1
    LUN information:
        LUN: 0
            Type: controller
            Backing store path: None
        LUN: 1
            Type: disk
            Backing store path: /var/lib/hil-os/images/disk-aaa.raw
    Account information:
        hilaaa
    ACL information:
        iqn.2026-11.org.hil-os:node:n1
Target 2: iqn.2026-11.org.hil-os:disk:bbb
    System information:
        Driver: iscsi
        State: ready
    I_T nexus information:
    LUN information:
        LUN: 0
            Type: controller
            Backing store path: None
    Account information:
    ACL information:
"""


class TestTgtParsing(base.TestCase):

    use_db = False

    def test_targets_luns_accounts_acl_sessions(self):
        targets = tgt.parse_targets(SHOW)
        first = targets['iqn.2026-11.org.hil-os:disk:aaa']
        self.assertEqual(
            (1, {0: 'None', 1: '/var/lib/hil-os/images/disk-aaa.raw'},
             ['hilaaa'], ['iqn.2026-11.org.hil-os:node:n1'], 1),
            (first.tid, first.luns, first.accounts, first.acl,
             first.sessions))
        second = targets['iqn.2026-11.org.hil-os:disk:bbb']
        self.assertEqual((2, [], [], 0), (second.tid, second.accounts,
                                          second.acl, second.sessions))

    def test_secret_never_in_error(self):
        adm = tgt.Tgtadm(command='false')
        e = self.assertRaises(exception.ImageBackendError, adm.set_account,
                              'user', 'TopSecretChap1')
        self.assertNotIn('TopSecretChap1', str(e))


class TestImportSources(base.TestCase):

    use_db = False

    def setUp(self):
        super().setUp()
        self.allowed = self.useFixture(fixtures.TempDir()).path
        self.config.config(import_dirs=[self.allowed], group='image')

    def test_only_allowed_dirs_and_schemes(self):
        inside = os.path.join(self.allowed, 'a.raw')
        self.assertEqual(inside, qemu_img.check_source(inside))
        self.assertEqual(inside, qemu_img.check_source('file://' + inside))
        self.assertEqual('https://example.org/a.qcow2',
                         qemu_img.check_source('https://example.org/a.qcow2'))
        for source in ('/etc/shadow', 'file:///etc/shadow',
                       os.path.join(self.allowed, '..', 'x'),
                       'ftp://example.org/a', 'nbd://127.0.0.1/x'):
            self.assertRaises(exception.InvalidImageSource,
                              qemu_img.check_source, source)

    def test_symlink_out_of_an_allowed_dir_is_refused(self):
        link = os.path.join(self.allowed, 'escape')
        os.symlink('/etc/passwd', link)
        self.assertRaises(exception.InvalidImageSource,
                          qemu_img.check_source, link)
