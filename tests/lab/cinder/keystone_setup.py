"""Register a test Cinder in Keystone: its service user and endpoints.

Run by peer-cinder.sh with the Cinder venv's Python:
``keystone_setup.py KEYSTONE_URL ADMIN_PASSWORD CINDER_URL``. Idempotent.
The cinder user (password ADMIN_PASSWORD) gets roles admin and service in
project service; services block-storage and volumev3 point at CINDER_URL.
"""

import sys

from keystoneauth1.identity import v3
from keystoneauth1 import session
from keystoneclient.v3 import client


def main(url, password, cinder_url):
    ks = client.Client(session=session.Session(auth=v3.Password(
        auth_url=url, username='admin', password=password,
        project_name='admin', user_domain_id='default',
        project_domain_id='default')))
    project = ks.projects.find(name='service')
    user = next(iter(ks.users.list(name='cinder')), None) or \
        ks.users.create('cinder', domain='default', password=password)
    for role in ('admin', 'service'):
        ks.roles.grant(ks.roles.find(name=role), user=user, project=project)
    for stype in ('block-storage', 'volumev3'):
        service = next(iter(ks.services.list(type=stype)), None) or \
            ks.services.create('cinder-' + stype, stype)
        if not ks.endpoints.list(service=service, interface='public'):
            for interface in ('public', 'internal', 'admin'):
                ks.endpoints.create(service, cinder_url, interface=interface,
                                    region='RegionOne')


if __name__ == '__main__':
    main(*sys.argv[1:4])
