"""Create the test projects and users in a fresh Keystone.

Run by peer-keystone.sh with the Keystone venv's Python (it has
openstacksdk): ``keystone_fixtures.py URL PASSWORD``. Prints the
peer-keystone.env lines that name them; every user gets PASSWORD.
"""

import sys

import openstack

PREFIX = 'HIL_OS_TEST_KEYSTONE_'

PROJECTS = {'PROJECT_A': 'hil-proj-a', 'PROJECT_B': 'hil-proj-b'}

# variable: (user name, project key or 'system' or 'domain', roles)
USERS = {
    'A_MANAGER': ('hil-a-manager', 'PROJECT_A', ['manager']),
    'A_MEMBER': ('hil-a-member', 'PROJECT_A', ['member']),
    'A_READER': ('hil-a-reader', 'PROJECT_A', ['reader']),
    'B_MEMBER': ('hil-b-member', 'PROJECT_B', ['member']),
    'B_READER': ('hil-b-reader', 'PROJECT_B', ['reader']),
    'SYSTEM_READER': ('hil-system-reader', 'system', ['reader']),
    'DOMAIN_READER': ('hil-domain-reader', 'domain', ['reader']),
    'SERVICE_USER': ('hil-os', 'SERVICE_PROJECT', ['service', 'admin']),
}


def main(url, password):
    conn = openstack.connect(
        load_yaml_config=False, load_envvars=False, auth_type='password',
        auth_url=url, username='admin', password=password,
        project_name='admin', user_domain_id='default',
        project_domain_id='default', region_name='RegionOne')
    identity = conn.identity
    roles = {r.name: r for r in identity.roles()}
    projects = {key: identity.create_project(name=name, domain_id='default')
                for key, name in PROJECTS.items()}
    projects['SERVICE_PROJECT'] = identity.create_project(
        name='service', domain_id='default')
    env = {'URL': url, 'REGION': 'RegionOne', 'DOMAIN': 'Default',
           'PASSWORD': password, 'ADMIN_USER': 'admin',
           'ADMIN_PROJECT': 'admin', 'SERVICE_PROJECT': 'service'}
    for key, project in projects.items():
        env[key] = project.name
        env[key + '_ID'] = project.id
    for key, (name, where, role_names) in USERS.items():
        user = identity.create_user(
            name=name, password=password, domain_id='default',
            default_project_id=projects[where].id
            if where in projects else None)
        for role in role_names:
            if where == 'system':
                identity.assign_system_role_to_user(user, roles[role], 'all')
            elif where == 'domain':
                identity.assign_domain_role_to_user('default', user,
                                                    roles[role])
            else:
                identity.assign_project_role_to_user(projects[where], user,
                                                     roles[role])
        env[key] = name
    for key in sorted(env):
        print('%s%s=%s' % (PREFIX, key, env[key]))


if __name__ == '__main__':
    main(*sys.argv[1:])
